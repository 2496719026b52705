import { Text, View } from '@tarojs/components';
import type { WindowDocumentCall } from '@eid/shared';
import { Btn, Notice, Screen } from '../../../components/ui';
import { go, ROUTES } from '../../../lib/nav';
import { useStore } from '../../../lib/store';
import { staffStore } from '../../../services/request';
import { staffLogout } from '../../../services/staff';
import { StaffLogin } from '../../components/StaffLogin';
import { WindowRequestForm } from '../../components/WindowRequestForm';
import { useI18n, useTitle } from '../../i18n';
import './index.scss';

/** The service window's new document call: sign in, fill the request, then its code on the next page. */
export default function StaffWindow() {
  const { t } = useI18n();
  useTitle('window.title');
  const staff = useStore(staffStore);

  const created = (call: WindowDocumentCall) => go(ROUTES.staffWindowCall, { id: call.id });

  return (
    <Screen title={t('window.title')} className="staff window">
      {!staff ? (
        <StaffLogin />
      ) : (
        <>
          <View className="staff__who">
            <Text>{t('staff.signedInAs', { name: staff.staff.displayName, org: staff.staff.org })}</Text>
            <Btn tone="link" label={t('staff.logout')} onClick={staffLogout} />
          </View>
          {staff.staff.window ? (
            <>
              <Text className="window__at">{t('window.at', { name: staff.staff.window.name })}</Text>
              <WindowRequestForm onCreated={created} />
            </>
          ) : (
            <Notice tone="warn">{t('window.noWindow')}</Notice>
          )}
          <Btn tone="link" label={t('staff.verifyEntry')} onClick={() => go(ROUTES.staff)} />
        </>
      )}
    </Screen>
  );
}
