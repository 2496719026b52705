import {
  openRequestCode,
  tweetnaclEd25519,
  type DocumentRequest,
  type OpenedDocumentCall,
  type RequestCodeProblem,
} from '@eid/shared';
import { useCallback, useEffect, useState } from 'react';
import { asAppError } from '../../lib/errors';
import { clock } from '../../lib/clock';
import { openDocumentCall } from '../../services/document-calls';
import { codeOf } from './errors';
import { forgetTrustList, trustList } from './trust';

/** Why a code is not a genuine request: the signature check on this phone, or the BFF's record of it. */
export type Refusal =
  Exclude<RequestCodeProblem, 'expired'> | 'unknown_request' | 'not_as_recorded' | 'other';

export type RequestPhase =
  | { kind: 'none' }
  | { kind: 'checking' }
  | { kind: 'forged'; reason: Refusal }
  | { kind: 'expired' }
  | { kind: 'not_found' }
  | { kind: 'failed'; error: unknown }
  | {
      kind: 'verified';
      /** The request as its signature says, checked on this phone against the trust list. */
      request: DocumentRequest;
      /** The BFF's view of the same request (its id, state, labels). */
      call: OpenedDocumentCall;
      /** What an approval names. */
      digest: string;
      kid: string;
    };

const REFUSALS: readonly string[] = [
  'malformed',
  'unknown_signer',
  'bad_signature',
  'overreach',
  'unknown_request',
  'not_as_recorded',
];

/** True when the BFF's view is the very request the phone verified: who, what, which fields, how long. */
export function sameAsSigned(request: DocumentRequest, call: OpenedDocumentCall, digest: string): boolean {
  const docs = (d: readonly { type: string; fields: readonly string[]; required: boolean }[]) =>
    JSON.stringify(d.map(({ type, fields, required }) => [type, [...fields].sort(), required]).sort());
  return (
    call.requestDigest === digest &&
    call.window.id === request.window.id &&
    call.window.name === request.window.name &&
    call.window.organisation === request.window.organisation &&
    call.staff.id === request.staff.id &&
    call.staff.displayName === request.staff.displayName &&
    call.service.code === request.service &&
    call.purpose === request.purpose &&
    call.answerBy === request.answerBy &&
    call.accessForMs === request.accessForMs &&
    docs(call.documents.map((d) => ({ ...d, fields: d.fields.map((f) => f.key) }))) ===
      docs(request.documents)
  );
}

/**
 * Checks a scanned request code twice before anything is shown as verified: on the phone, its signature
 * against the trust list (a forged or altered code never reaches the BFF's approval), then with the BFF,
 * which holds the record of what it signed; the two must describe the same request.
 */
export async function checkRequestCode(code: string): Promise<RequestPhase> {
  let list = await trustList();
  let local = openRequestCode(code.trim(), list, tweetnaclEd25519, clock);
  if (!local.ok && local.reason === 'unknown_signer') {
    // A key added since the list was fetched: look once more before calling the code forged.
    forgetTrustList();
    list = await trustList();
    local = openRequestCode(code.trim(), list, tweetnaclEd25519, clock);
  }
  if (!local.ok)
    return local.reason === 'expired' ? { kind: 'expired' } : { kind: 'forged', reason: local.reason };

  let call: OpenedDocumentCall;
  try {
    call = await openDocumentCall(code.trim());
  } catch (err) {
    const failure = codeOf(err);
    if (failure === 'DOCUMENT_REQUEST_EXPIRED') return { kind: 'expired' };
    if (failure === 'NOT_FOUND') return { kind: 'not_found' };
    if (failure === 'DOCUMENT_REQUEST_INVALID') {
      const reason = String(asAppError(err).details?.reason ?? '');
      return { kind: 'forged', reason: (REFUSALS.includes(reason) ? reason : 'other') as Refusal };
    }
    return { kind: 'failed', error: err };
  }
  if (!sameAsSigned(local.request, call, local.digest)) return { kind: 'forged', reason: 'not_as_recorded' };
  return { kind: 'verified', request: local.request, call, digest: local.digest, kid: local.kid };
}

/** The check of `code` as page state, run when the code changes and again on `retry`. */
export function useRequestCheck(code: string | null) {
  const [phase, setPhase] = useState<RequestPhase>(code ? { kind: 'checking' } : { kind: 'none' });
  const run = useCallback(async () => {
    if (!code) {
      setPhase({ kind: 'none' });
      return;
    }
    setPhase({ kind: 'checking' });
    try {
      setPhase(await checkRequestCode(code));
    } catch (error) {
      setPhase({ kind: 'failed', error });
    }
  }, [code]);
  useEffect(() => {
    void run();
  }, [run]);
  return { phase, retry: run, setPhase };
}
