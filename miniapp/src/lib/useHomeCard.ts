import { AppError, type Card } from '@eid/shared';
import { useDidShow } from '@tarojs/taro';
import { useState } from 'react';
import { getCard } from '../services/card';
import { getEnrollment } from '../services/enrollment';
import { sessionStore } from '../services/session';
import { restart, ROUTES } from './nav';

export type HomeCard =
  { kind: 'loading' } | { kind: 'none' } | { kind: 'card'; card: Card } | { kind: 'error'; error: unknown };

/**
 * The resident's card at a glance, read again each time the home page shows (the card may have been
 * suspended or issued meanwhile); without a session, back to the welcome page.
 */
export function useHomeCard() {
  const [card, setCard] = useState<HomeCard>({ kind: 'loading' });

  const refresh = async () => {
    if (!sessionStore.get().tokens) {
      restart(ROUTES.welcome);
      return;
    }
    setCard((c) => (c.kind === 'card' ? c : { kind: 'loading' }));
    try {
      const enrollment = await getEnrollment();
      if (enrollment.state !== 'eligible') {
        setCard({ kind: 'none' });
        return;
      }
      setCard({ kind: 'card', card: await getCard() });
    } catch (error) {
      setCard(
        error instanceof AppError && error.code === 'CARD_NOT_FOUND'
          ? { kind: 'none' }
          : { kind: 'error', error },
      );
    }
  };
  useDidShow(() => void refresh());

  return { card, refresh };
}
