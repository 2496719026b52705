import { type VerifyAnswer } from '@eid/shared';
import Taro from '@tarojs/taro';
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

  const check = useAction(async () => {
    const text = code.trim();
    if (!text) {
      setMissing(true);
      return;
    }
    setResult(null);
    setResult(await verifyCode(text, chosen));
  });

  const scan = async () => {
    try {
      const { result: scanned } = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] });
      setCode(scanned);
      setMissing(false);
    } catch {
      // Scanning cancelled: nothing to do.
    }
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

  return { code, edit, missing, result, check, scan, next };
}
