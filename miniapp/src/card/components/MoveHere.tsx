import { Text } from '@tarojs/components';
import { useState } from 'react';
import { FaceCheck } from '../../components/FaceCheck';
import { Btn, Panel } from '../../components/ui';
import { completeReauth, startReauth } from '../../services/enrollment';
import { issueToThisDevice } from '../../wallet';
import { useI18n } from '../i18n';

/** The card is active on another device: move it here after a fresh face check. */
export function MoveHere({ onMoved }: { onMoved: () => void }) {
  const { t } = useI18n();
  const [moving, setMoving] = useState(false);
  return (
    <Panel title={t('card.moveHere')}>
      <Text>{t('card.otherDevice')}</Text>
      {moving ? (
        <FaceCheck
          start={startReauth}
          complete={async (verifyId) => issueToThisDevice((await completeReauth(verifyId)).reauthToken)}
          onPassed={onMoved}
        />
      ) : (
        <Btn label={t('card.moveHere')} onClick={() => setMoving(true)} />
      )}
    </Panel>
  );
}
