import { Text } from '@tarojs/components';
import { useState } from 'react';
import { FaceCheck } from '../../components/FaceCheck';
import { Btn, Panel } from '../../components/ui';
import { revealIdNumber } from '../../services/card';
import { completeReauth, startReauth } from '../../services/enrollment';
import { useI18n } from '../i18n';

export interface RevealPanelProps {
  /** The full number while it is shown. */
  revealed: string | null;
  onRevealed: (idNumber: string) => void;
  onHide: () => void;
}

/** Shows the full ID number after a fresh face check, or the button that hides it again. */
export function RevealPanel({ revealed, onRevealed, onHide }: RevealPanelProps) {
  const { t } = useI18n();
  const [revealing, setRevealing] = useState(false);
  return (
    <Panel>
      {revealed ? (
        <Btn tone="secondary" label={t('card.hide')} onClick={onHide} />
      ) : revealing ? (
        <>
          <Text>{t('face.reauthLead')}</Text>
          <FaceCheck
            start={startReauth}
            complete={async (verifyId) =>
              (await revealIdNumber((await completeReauth(verifyId)).reauthToken)).idNumber
            }
            onPassed={(idNumber) => {
              setRevealing(false);
              onRevealed(idNumber);
            }}
          />
          <Btn tone="link" label={t('common.cancel')} onClick={() => setRevealing(false)} />
        </>
      ) : (
        <>
          <Text className="muted">{t('card.revealHint')}</Text>
          <Btn tone="secondary" label={t('card.reveal')} onClick={() => setRevealing(true)} />
        </>
      )}
    </Panel>
  );
}
