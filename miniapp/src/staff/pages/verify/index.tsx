import { Text, View } from '@tarojs/components';
import { AppError, type ErrorCode } from '@eid/shared';
import { useState } from 'react';
import { Btn, Choose, Field, Loading, Notice, Panel, Screen } from '../../../components/ui';
import { describeError } from '../../../lib/errors';
import { useAsync } from '../../../lib/hooks';
import { go, ROUTES } from '../../../lib/nav';
import { useStore } from '../../../lib/store';
import { staffStore } from '../../../services/request';
import { staffLogout } from '../../../services/staff';
import { CodeScanner } from '../../../components/CodeScanner';
import { OfflineStatus } from '../../components/OfflineStatus';
import { StaffLogin } from '../../components/StaffLogin';
import { VerdictView } from '../../components/VerdictView';
import { useI18n, useTitle } from '../../i18n';
import { terminalPurposes } from '../../lib/useOfflineTerminal';
import { useVerifyCode } from '../../lib/useVerifyCode';
import './index.scss';

// The codes that mean the staff token no longer works, so the page is back at sign-in.
const SESSION_ENDED: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'UNAUTHENTICATED',
  'TOKEN_EXPIRED',
  'TOKEN_INVALID',
  'SESSION_REVOKED',
]);

/** The staff verifier for a service window: sign in, choose the purpose, scan or paste, read the verdict. */
export default function StaffVerify() {
  const { t, lang } = useI18n();
  useTitle('staff.title');
  const staff = useStore(staffStore);
  const purposes = useAsync(terminalPurposes);
  const [purpose, setPurpose] = useState('');
  const chosen = purpose || purposes.data?.[0]?.code || '';
  const { code, edit, missing, result, check, scanned, next, offline } = useVerifyCode(chosen);

  const sessionEnded =
    staff === null && check.error instanceof AppError && SESSION_ENDED.has(check.error.code);

  return (
    <Screen showBack={false} title={t('staff.title')} className="staff">
      {!staff ? (
        <>
          {sessionEnded && <Notice tone="warn">{t('staff.sessionEnded')}</Notice>}
          <StaffLogin />
          <OfflineStatus sync={offline} listsAge={offline.listsAge} signedIn={false} />
        </>
      ) : (
        <>
          <View className="staff__who">
            <Text>{t('staff.signedInAs', { name: staff.staff.displayName, org: staff.staff.org })}</Text>
            <Btn tone="link" label={t('staff.logout')} onClick={staffLogout} />
          </View>
          <Btn tone="secondary" label={t('staff.windowEntry')} onClick={() => go(ROUTES.staffWindow)} />
          <Btn tone="link" label={t('staff.checkEntry')} onClick={() => go(ROUTES.check)} />
          <Panel>
            {purposes.loading && <Loading />}
            {purposes.error !== undefined && (
              <Notice tone="error">{describeError(purposes.error, t, lang)}</Notice>
            )}
            {purposes.data && (
              <Choose
                id="staff-purpose"
                label={t('staff.purpose')}
                value={chosen}
                choices={purposes.data.map((p) => ({ value: p.code, label: p[lang] }))}
                onChange={setPurpose}
              />
            )}
            <Field
              id="staff-code"
              label={t('staff.code')}
              hint={t('staff.codeHint')}
              value={code}
              onChange={edit}
              multiline
              onSubmit={() => void check.run()}
              error={missing ? t('staff.codeRequired') : undefined}
            />
            <CodeScanner
              onCode={scanned}
              t={t}
              prefix="staff.camera"
              testId="camera-scanner"
              disabled={!chosen}
            />
            <Btn
              label={check.busy ? t('staff.verifying') : t('staff.verify')}
              onClick={() => void check.run()}
              busy={check.busy}
              disabled={!chosen}
            />
          </Panel>
          <OfflineStatus sync={offline} listsAge={offline.listsAge} signedIn />
          {check.error !== undefined && <Notice tone="error">{describeError(check.error, t, lang)}</Notice>}
          {result && (
            <>
              <VerdictView result={result} purpose={chosen} />
              <Btn tone="secondary" label={t('staff.next')} onClick={next} />
            </>
          )}
        </>
      )}
    </Screen>
  );
}
