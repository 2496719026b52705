import { View } from '@tarojs/components';
import { useState } from 'react';
import { useI18n } from '../i18n';
import { describeError } from '../lib/errors';
import { useAction } from '../lib/hooks';
import { replace, routeForState } from '../lib/nav';
import { useStore } from '../lib/store';
import { getLoginCode } from '../platform/login';
import { login } from '../services/auth';
import { getEnrollment, giveConsent } from '../services/enrollment';
import { clearSignOutReason, sessionStore } from '../services/session';
import { Btn, Check, Notice } from './ui';

/**
 * The explicit agreement to the privacy notice `version`: signs in first when needed, records consent
 * for a new resident, and goes on to the step the resident's enrollment is at.
 */
export function ConsentForm({ version }: { version: string }) {
  const { t, lang } = useI18n();
  const session = useStore(sessionStore);
  const [agreed, setAgreed] = useState(false);
  const [mustAgree, setMustAgree] = useState(false);

  const agree = useAction(async () => {
    if (!agreed) {
      setMustAgree(true);
      return;
    }
    clearSignOutReason();
    let enrollment = session.enrollment;
    if (!sessionStore.get().tokens) enrollment = (await login(await getLoginCode())).resident.enrollment;
    else enrollment ??= await getEnrollment();
    if (enrollment.state === 'new') {
      enrollment = await giveConsent(version);
    }
    replace(routeForState(enrollment.state));
  });

  return (
    <View className="actions">
      <Check
        id="consent"
        checked={agreed}
        onChange={(v) => {
          setAgreed(v);
          setMustAgree(false);
        }}
        label={t('consent.checkbox')}
      />
      {mustAgree && <Notice tone="warn">{t('consent.mustAgree')}</Notice>}
      {agree.error !== undefined && <Notice tone="error">{describeError(agree.error, t, lang)}</Notice>}
      <Btn label={t('consent.agree')} onClick={() => void agree.run()} busy={agree.busy} />
    </View>
  );
}
