import { AppError, type LicenceVerifyAnswer } from '@eid/shared';
import { useEffect, useState } from 'react';
import { useAction } from '../../lib/hooks';
import { verifyLicenceCode, verifyLicencePdf } from '../../services/check';
import { refreshStatusFor, refreshTrust, verifyOffline } from './offline';

/** A verdict as the page shows it; `offline` when this device decided it without the BFF. */
export interface ShownCheck extends LicenceVerifyAnswer {
  offline?: true;
}

/** Why nothing could be checked without the BFF. */
export type OfflineProblem = 'no_data' | 'pdf';

/** No answer at all from the BFF (not an error answer): the moment to check on the device instead. */
export function isUnreachable(err: unknown): boolean {
  return err instanceof AppError && err.details?.network === true;
}

/**
 * The public check: a pasted or scanned text, or an uploaded PDF, sent to the BFF's public verification;
 * when the BFF cannot be reached, a text is checked on the device with the lists it keeps, and says so.
 */
export function useCheck() {
  const [code, setCode] = useState('');
  const [missing, setMissing] = useState(false);
  const [result, setResult] = useState<ShownCheck | null>(null);
  const [offlineProblem, setOfflineProblem] = useState<OfflineProblem | null>(null);

  // The lists for an offline check are fetched while the BFF answers; failing here changes nothing shown.
  useEffect(() => {
    void refreshTrust().catch(() => undefined);
  }, []);

  const start = () => {
    setResult(null);
    setOfflineProblem(null);
  };

  // `given` is a text read by the camera: checked at once, without waiting for the field to re-render.
  const check = useAction(async (given?: string) => {
    const text = (given ?? code).trim();
    if (!text) {
      setMissing(true);
      return;
    }
    start();
    pdf.clearError();
    try {
      setResult(await verifyLicenceCode(text));
    } catch (err) {
      if (!isUnreachable(err)) throw err;
      const offline = verifyOffline(text);
      if (offline) setResult({ ...offline, offline: true });
      else setOfflineProblem('no_data');
      return;
    }
    // Kept for a later offline check of the same issuing body's documents.
    void refreshStatusFor(text).catch(() => undefined);
  });

  /** An annotated copy's PDF, as base64: the BFF reads the payload the file carries. */
  const pdf = useAction(async (base64: string) => {
    start();
    check.clearError();
    try {
      setResult(await verifyLicencePdf(base64));
    } catch (err) {
      if (!isUnreachable(err)) throw err;
      setOfflineProblem('pdf');
    }
  });

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
    start();
    check.clearError();
    pdf.clearError();
  };

  return { code, edit, missing, result, offlineProblem, check, pdf, scanned, next };
}
