import { AppError, type Card } from '@eid/shared';
import { useEffect, useState } from 'react';
import { useAction } from '../../lib/hooks';
import { logout } from '../../services/auth';
import { getCard, suspendCard } from '../../services/card';
import { deleteAccount, withdrawConsent } from '../../services/enrollment';
import { endSession } from '../../services/session';
import { clearWallet, rememberCard } from '../../wallet';
import type { MessageKey } from '../i18n';

/** Which step of card management is open; at most one at a time. */
export type Flow = 'none' | 'resume' | 'move' | 'confirm-suspend' | 'confirm-withdraw' | 'confirm-close';

/** The card being managed, the open step, the sentence after a change, and the destructive actions. */
export function useManage() {
  const [card, setCard] = useState<Card | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<unknown>(undefined);
  const [flow, setFlow] = useState<Flow>('none');
  const [done, setDone] = useState<MessageKey | null>(null);

  const load = async () => {
    setLoadError(undefined);
    try {
      const c = await getCard();
      rememberCard(c);
      setCard(c);
    } catch (err) {
      if (err instanceof AppError && err.code === 'CARD_NOT_FOUND') setCard(null);
      else setLoadError(err);
    }
  };
  useEffect(() => {
    void load();
  }, []);

  const updated = (c: Card, message: MessageKey) => {
    rememberCard(c);
    setCard(c);
    setFlow('none');
    setDone(message);
  };

  const suspend = useAction(async () => {
    updated(await suspendCard(), 'manage.suspended');
  });
  const withdraw = useAction(async () => {
    await withdrawConsent();
    clearWallet();
    await logout('withdrawn');
  });
  const close = useAction(async () => {
    await deleteAccount();
    clearWallet();
    // The BFF erased every session with the account: nothing to log out of.
    endSession('closed');
  });
  const ask = (next: Flow) => {
    setDone(null);
    setFlow(next);
  };

  return {
    card,
    loadError,
    load,
    flow,
    done,
    ask,
    cancel: () => setFlow('none'),
    updated,
    suspend,
    withdraw,
    close,
    actionError: suspend.error ?? withdraw.error ?? close.error,
  };
}
