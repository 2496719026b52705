import { AppError, type Card } from '@eid/shared';
import { useEffect, useState } from 'react';
import { toBase64 } from '../../lib/base64';
import { clock } from '../../lib/clock';
import { getCard, getPortrait } from '../../services/card';
import { getEnrollment } from '../../services/enrollment';
import { canChooseDisclosure, holdsCard, issueToThisDevice, loadWallet, rememberCard } from '../../wallet';

// Credentials live about a month; renewing a week ahead keeps the card usable offline for that week.
const RENEW_BEFORE_MS = 7 * 24 * 3600 * 1000;

export type MyCardState =
  | { kind: 'loading'; issuing?: boolean }
  | { kind: 'error'; error: unknown }
  | { kind: 'not-eligible' }
  | { kind: 'elsewhere'; card: Card }
  | { kind: 'card'; card: Card };

/**
 * The resident's card as this device should hold it: issued here when the resident is eligible and has
 * none, renewed a week before the credential lapses, and its portrait once the card is shown.
 */
export function useMyCard() {
  const [view, setView] = useState<MyCardState>({ kind: 'loading' });
  const [portrait, setPortrait] = useState<string | null | undefined>(undefined);

  const loadPortrait = () => {
    getPortrait().then(
      ({ bytes, contentType }) => setPortrait(`data:${contentType};base64,${toBase64(bytes)}`),
      () => setPortrait(null),
    );
  };

  const load = async () => {
    setView({ kind: 'loading' });
    try {
      let card: Card;
      try {
        card = await getCard();
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'CARD_NOT_FOUND')) throw err;
        if ((await getEnrollment()).state !== 'eligible') {
          setView({ kind: 'not-eligible' });
          return;
        }
        setView({ kind: 'loading', issuing: true });
        card = await issueToThisDevice();
      }
      if (card.status !== 'revoked' && !holdsCard(card.cardId)) {
        setView({ kind: 'elsewhere', card });
        return;
      }
      const wallet = loadWallet();
      const expiresAt = wallet?.expiresAt;
      const lapsing = expiresAt !== undefined && expiresAt - clock.now() < RENEW_BEFORE_MS;
      // A credential from before selective disclosure (no holder secrets) is renewed too, so the
      // resident can choose what a code shows from then on.
      if (card.status === 'active' && (lapsing || !canChooseDisclosure(wallet))) {
        // Same device key: the BFF renews without a face check. Offline, the current credential stands.
        card = await issueToThisDevice().catch(() => card);
      }
      rememberCard(card);
      setView({ kind: 'card', card });
      loadPortrait();
    } catch (error) {
      setView({ kind: 'error', error });
    }
  };

  useEffect(() => {
    void load();
  }, []);

  return { view, portrait, load };
}
