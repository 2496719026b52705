import { type VerifyAnswer } from '@eid/shared';
import { useState } from 'react';
import { useAction } from '../../lib/hooks';
import { verifyCode } from '../../services/staff';

/**
 * The code being checked and its verdict. `chosen` is the purpose the check is for; an empty code is
 * refused here, before anything is sent.
 */
export function useVerifyCode(chosen: string) {
  const [code, setCode] = useState('');
  const [result, setResult] = useState<VerifyAnswer | null>(null);
  const [missing, setMissing] = useState(false);

  // `given` is a code read by the camera: checked at once, without waiting for the field to re-render.
  const check = useAction(async (given?: string) => {
    const text = (given ?? code).trim();
    if (!text) {
      setMissing(true);
      return;
    }
    setResult(null);
    setResult(await verifyCode(text, chosen));
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

  return { code, edit, missing, result, check, scanned, next };
}
