import { AppError, payloadFromPdf, type LicenceVerifyAnswer } from '@eid/shared';
import { useEffect, useState } from 'react';
import { toBase64 } from '../../lib/base64';
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
 * The public check: a pasted or scanned text, or an uploaded PDF's payload, sent to the BFF's public
 * verification; when the BFF cannot be reached, the text is checked on the device with the lists it keeps,
 * and says so.
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

  /** Online, or on the device with the lists it keeps when the BFF cannot be reached. */
  const verifyText = async (text: string) => {
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
    await verifyText(text);
  });

  /**
   * An annotated copy's PDF: the payload it carries is read here and checked as a pasted one is (a few
   * kilobytes sent instead of the file, and possible offline). A file without one goes to the BFF whole,
   * as base64, which reads it its own way.
   */
  const pdf = useAction(async (bytes: Uint8Array) => {
    start();
    check.clearError();
    const payload = payloadFromPdf(bytes);
    if (payload) {
      await verifyText(payload);
      return;
    }
    try {
      setResult(await verifyLicencePdf(toBase64(bytes)));
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
