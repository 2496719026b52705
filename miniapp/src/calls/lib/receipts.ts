import type { DocumentCallAnswer } from '@eid/shared';
import { readStored, writeStored } from '../../lib/storage';

// The answers of the resident's approvals, kept on the device so the receipt shows (and verifies from
// its signed bytes) without the network. Newest first, a bounded number.
const KEY = 'calls.answers';
const KEEP = 30;

function all(): DocumentCallAnswer[] {
  const list = readStored<DocumentCallAnswer[]>(KEY);
  return Array.isArray(list) ? list : [];
}

/** The answer kept for call `id`. */
export function keptAnswer(id: string): DocumentCallAnswer | undefined {
  return all().find((a) => a.call.id === id);
}

/** Keeps (or replaces) the answer of a call; a later answer without a receipt keeps the earlier receipt. */
export function keepAnswer(answer: DocumentCallAnswer): DocumentCallAnswer {
  const before = keptAnswer(answer.call.id);
  const merged: DocumentCallAnswer = {
    ...before,
    ...answer,
    receipt: answer.receipt ?? before?.receipt,
    delivered: answer.delivered ?? before?.delivered,
    missing: answer.missing ?? before?.missing,
  };
  writeStored(KEY, [merged, ...all().filter((a) => a.call.id !== answer.call.id)].slice(0, KEEP));
  return merged;
}
