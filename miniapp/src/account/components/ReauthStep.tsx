import type { Card } from '@eid/shared';
import { FaceCheck } from '../../components/FaceCheck';
import { Btn } from '../../components/ui';
import { completeReauth, startReauth } from '../../services/enrollment';

export interface ReauthStepProps {
  /** Whether the face check is on screen (else the button that starts it). */
  open: boolean;
  label: string;
  /** What the fresh reauth token is spent on. */
  run: (reauthToken: string) => Promise<Card>;
  onAsk: () => void;
  onPassed: (card: Card) => void;
}

/** A card change that needs a fresh face check first (resume, move to this phone). */
export function ReauthStep({ open, label, run, onAsk, onPassed }: ReauthStepProps) {
  if (!open) return <Btn label={label} onClick={onAsk} />;
  return (
    <FaceCheck
      start={startReauth}
      complete={async (id) => run((await completeReauth(id)).reauthToken)}
      onPassed={onPassed}
    />
  );
}
