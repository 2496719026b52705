import { Text } from '@tarojs/components';
import { useState } from 'react';
import { FaceCheck } from '../../../components/FaceCheck';
import { ReviewStatus } from '../../../components/ReviewStatus';
import { Btn, Notice, Screen } from '../../../components/ui';
import { useI18n, useTitle } from '../../i18n';
import { replace, routeForState, ROUTES } from '../../../lib/nav';
import { completeRealPerson, startRealPerson } from '../../../services/enrollment';
import type { Enrollment } from '@eid/shared';

/** Step 2: the face check that proves the person holding the phone is the person named. */
export default function RealPerson() {
  const { t } = useI18n();
  useTitle('realPerson.title');
  const [done, setDone] = useState<Enrollment | null>(null);

  return (
    <Screen title={t('realPerson.title')}>
      <Text className="step">{t('steps.label', { n: 2, total: 2 })}</Text>
      <Text className="lead">{t('realPerson.lead')}</Text>
      {done?.state === 'in_review' && done.review ? (
        <>
          <ReviewStatus review={done.review} />
          <Btn label={t('common.home')} onClick={() => replace(ROUTES.home)} />
        </>
      ) : done ? (
        <>
          <Notice tone="success">{t('realPerson.passed')}</Notice>
          <Btn
            label={t('realPerson.toCard')}
            onClick={() => replace(done.state === 'eligible' ? ROUTES.card : routeForState(done.state))}
          />
        </>
      ) : (
        <FaceCheck start={startRealPerson} complete={completeRealPerson} onPassed={setDone} />
      )}
    </Screen>
  );
}
