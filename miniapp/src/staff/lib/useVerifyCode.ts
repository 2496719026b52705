import { type VerifyAnswer } from '@eid/shared';
import { useState } from 'react';
import { useAction } from '../../lib/hooks';
import { verifyCode } from '../../services/staff';
import { isUnreachable, useOfflineTerminal, type OfflineOutcome } from './useOfflineTerminal';

/** A verdict as the page shows it; `offline` when the terminal checked it without the BFF. */
export interface ShownVerdict extends VerifyAnswer {
  offline?: { statusAgeMs: number | null; maxStatusAgeMs: number };
}

function shownOffline(o: OfflineOutcome): ShownVerdict {
  return {
    verdict: o.verdict,
    checkedAt: o.checkedAt,
    ...(o.issuer && { issuer: o.issuer }),
    ...(o.verdict === 'valid' && { card: o.fields }),
    offline: { statusAgeMs: o.statusAgeMs, maxStatusAgeMs: o.maxStatusAgeMs },
  };
}

/**
 * The code being checked and its verdict. `chosen` is the purpose the check is for; an empty code is
 * refused here, before anything is sent. When the BFF cannot be reached (no answer at all, not an error
 * answer) the device's offline terminal decides instead, and says so.
 */
export function useVerifyCode(chosen: string) {
  const [code, setCode] = useState('');
  const [result, setResult] = useState<ShownVerdict | null>(null);
  const offline = useOfflineTerminal();
  const [missing, setMissing] = useState(false);

  // `given` is a code read by the camera: checked at once, without waiting for the field to re-render.
  const check = useAction(async (given?: string) => {
    const text = (given ?? code).trim();
    if (!text) {
      setMissing(true);
      return;
    }
    setResult(null);
    let answer: VerifyAnswer;
    try {
      answer = await verifyCode(text, chosen);
    } catch (err) {
      if (!isUnreachable(err)) throw err;
      setResult(shownOffline(await offline.check(text, chosen)));
      return;
    }
    setResult(answer);
    // The BFF answers again: whatever was checked offline goes up now.
    void offline.online();
  });

  /** A code the camera (or WeChat's scanner) read: shown in the field and checked as a pasted one is. */
  const scanned = (text: string) => {
    setCode(text);
    setMissing(false);
    void check.run(text);
  };

  const edit = (value: string) => {
    setCode(value);
    setMissing(false);
  };

  const next = () => {
    setCode('');
    setResult(null);
    check.clearError();
  };

  return { code, edit, missing, result, check, scanned, next, offline };
}
