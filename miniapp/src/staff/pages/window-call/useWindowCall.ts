import {
  base64urlDecode,
  errorCodeOf,
  openTrustList,
  toHex,
  tweetnaclEd25519,
  verifyReceipt,
  type DeliveredDocuments,
  type DocumentCallReceiptAnswer,
  type DocumentCallState,
  type WindowDocumentCall,
} from '@eid/shared';
import { useEffect, useState } from 'react';
import { clock } from '../../../lib/clock';
import { useStore } from '../../../lib/store';
import { trustRootPublicKey } from '../../../lib/trust-root';
import { staffStore } from '../../../services/request';
import { getTrustList } from '../../../services/staff';
import { getDeliveredDocuments, getDocumentCall, getDocumentCallReceipt } from '../../../services/window';
import type { ReceiptCheck } from '../../components/WindowReceipt';
import { isUnreachable } from '../../lib/offline-sync';

/**
 * How often the window asks where its request stands: often while the resident may answer, seldom once
 * delivered (only to notice a withdrawal sooner than the next read would), again soon after a failed try.
 * An object, not constants, so a test can shorten them.
 */
export const WINDOW_POLL = { pendingMs: 2_000, deliveredMs: 15_000, retryMs: 5_000 };

/** States after which nothing changes any more: the page stops asking. */
const SETTLED: ReadonlySet<DocumentCallState> = new Set<DocumentCallState>([
  'declined',
  'expired',
  'withdrawn',
  'access_expired',
]);

/** States in which the window may no longer read what was delivered. */
const ACCESS_OVER: ReadonlySet<DocumentCallState> = new Set<DocumentCallState>([
  'withdrawn',
  'access_expired',
]);

async function checkReceipt(answer: DocumentCallReceiptAnswer, callId: string): Promise<ReceiptCheck> {
  let trustList;
  try {
    const fetched = await getTrustList();
    trustList = openTrustList(base64urlDecode(fetched.trustList), trustRootPublicKey(), tweetnaclEd25519);
  } catch {
    // No trust list to check against (unreachable, or one that does not verify under the pin).
    return 'unverified';
  }
  let bytes: Uint8Array;
  try {
    bytes = base64urlDecode(answer.receipt);
  } catch {
    return 'bad';
  }
  const result = verifyReceipt(bytes, trustList, tweetnaclEd25519);
  if (!result.ok) return 'bad';
  return toHex(result.receipt.requestId) === callId ? 'verified' : 'bad';
}

/**
 * One document call as its window follows it: the request (polled until it settles), the delivered
 * documents once approved (read once; gone again when the access ends, by the BFF's 410, a withdrawal or
 * the access time passing on this clock), and the receipt with its signature checked on this device.
 */
export function useWindowCall(id: string) {
  const staff = useStore(staffStore);
  const signedIn = staff !== null;
  const [call, setCall] = useState<WindowDocumentCall | null>(null);
  const [failure, setFailure] = useState<unknown>(undefined);
  const [reconnecting, setReconnecting] = useState(false);
  const [documents, setDocuments] = useState<DeliveredDocuments | null>(null);
  const [documentsError, setDocumentsError] = useState<unknown>(undefined);
  const [accessEnded, setAccessEnded] = useState(false);
  const [receipt, setReceipt] = useState<DocumentCallReceiptAnswer | null>(null);
  const [receiptCheck, setReceiptCheck] = useState<ReceiptCheck>('checking');

  useEffect(() => {
    if (!signedIn || !id) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const round = async () => {
      let next: number;
      try {
        const answer = await getDocumentCall(id);
        if (!live) return;
        setCall(answer);
        setFailure(undefined);
        setReconnecting(false);
        if (SETTLED.has(answer.state)) return;
        next = answer.state === 'delivered' ? WINDOW_POLL.deliveredMs : WINDOW_POLL.pendingMs;
      } catch (err) {
        if (!live) return;
        if (!isUnreachable(err)) {
          // NOT_FOUND (not this window's), a signed-out staff member: asking again changes nothing.
          setFailure(err);
          return;
        }
        setReconnecting(true);
        next = WINDOW_POLL.retryMs;
      }
      timer = setTimeout(() => void round(), next);
    };
    void round();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [id, signedIn]);

  const state = call?.state;
  const delivered = state === 'delivered' && !accessEnded;

  // A withdrawal or the end of the access, as the BFF reports it.
  useEffect(() => {
    if (state && ACCESS_OVER.has(state)) {
      setAccessEnded(true);
      setDocuments(null);
    }
  }, [state]);

  // The access time passing on this clock: the documents leave the screen without waiting for a poll.
  const accessUntil = call?.accessUntil;
  useEffect(() => {
    if (!delivered || accessUntil === undefined) return;
    const end = () => {
      setAccessEnded(true);
      setDocuments(null);
    };
    const left = accessUntil - clock.now();
    if (left <= 0) {
      end();
      return;
    }
    const timer = setTimeout(end, left);
    return () => clearTimeout(timer);
  }, [delivered, accessUntil]);

  useEffect(() => {
    if (!delivered || !signedIn) return;
    let live = true;
    setDocumentsError(undefined);
    getDeliveredDocuments(id).then(
      (answer) => live && setDocuments(answer),
      (err: unknown) => {
        if (!live) return;
        if (errorCodeOf(err) === 'DOCUMENT_ACCESS_EXPIRED') {
          setAccessEnded(true);
          setDocuments(null);
        } else setDocumentsError(err);
      },
    );
    return () => {
      live = false;
    };
  }, [delivered, signedIn, id]);

  // The receipt is the window's to keep: fetched once delivered, and left on screen after the access ends.
  const approved = state === 'delivered' || (state !== undefined && ACCESS_OVER.has(state));
  useEffect(() => {
    if (!approved || !signedIn || receipt) return;
    let live = true;
    getDocumentCallReceipt(id).then(
      (answer) => live && setReceipt(answer),
      // A withdrawn call may keep no receipt for the window; nothing to show then.
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [approved, signedIn, id, receipt]);

  useEffect(() => {
    if (!receipt) return;
    let live = true;
    setReceiptCheck('checking');
    void checkReceipt(receipt, id).then((checked) => live && setReceiptCheck(checked));
    return () => {
      live = false;
    };
  }, [receipt, id]);

  /** Called when a read or a download answered 410: the access is over. */
  const ended = () => {
    setAccessEnded(true);
    setDocuments(null);
  };

  return {
    call,
    failure,
    reconnecting,
    documents,
    documentsError,
    accessEnded,
    receipt,
    receiptCheck,
    ended,
  };
}
