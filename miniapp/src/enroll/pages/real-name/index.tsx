import { Text } from '@tarojs/components';
import { useState } from 'react';
import { Screen } from '../../../components/ui';
import { useI18n, useTitle } from '../../i18n';
import { asAppError, describeError } from '../../../lib/errors';
import { useAction } from '../../../lib/hooks';
import { replace, routeForState } from '../../../lib/nav';
import { useStore } from '../../../lib/store';
import { submitRealName } from '../../../services/enrollment';
import { sessionStore } from '../../../services/session';
import { RealNameForm } from '../../components/RealNameForm';

/** Step 1: name and ID number, checked on the device first and then with the registry. */
export default function RealName() {
  const { t, lang } = useI18n();
  useTitle('realName.title');
  const { enrollment } = useStore(sessionStore);
  const [remaining, setRemaining] = useState<number | undefined>(() => {
    const a = enrollment?.attempts.realName;
    return a && a.remaining < a.limit ? a.remaining : undefined;
  });

  const submit = useAction(async (name: string, idNumber: string) => {
    try {
      const next = await submitRealName(name, idNumber);
      replace(routeForState(next.state));
    } catch (err) {
      const left = asAppError(err).details?.remaining;
      if (typeof left === 'number') setRemaining(left);
      throw err;
    }
  });

  return (
    <Screen title={t('realName.title')}>
      <Text className="step">{t('steps.label', { n: 1, total: 2 })}</Text>
      <Text className="lead">{t('realName.lead')}</Text>
      <RealNameForm
        onSubmit={(name, idNumber) => void submit.run(name, idNumber)}
        busy={submit.busy}
        error={submit.error === undefined ? undefined : describeError(submit.error, t, lang)}
        remaining={remaining}
      />
    </Screen>
  );
}
