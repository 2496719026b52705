import { defer } from './deferral';
import type { OversightDeps } from './deps';
import { lookup, reveal } from './lookup';
import { noticesOf } from './notices';
import type { OversightService } from './oversight.types';
import { answer, ask, questionsFor, questionsOf } from './questions';

export type { OversightDeps } from './deps';
export type { OversightService } from './oversight.types';

/**
 * Staff lookups and their accountability (issue 19 §4): lookup.ts finds and reveals, deferral.ts holds a
 * lookup's records back for a bounded time, notices.ts tells the resident, questions.ts lets the resident
 * question an access and an auditor answer. Each use case is its own file; this composes them.
 */
export function createOversightService(deps: OversightDeps): OversightService {
  return {
    lookup: (caller, input) => lookup(deps, caller, input),
    reveal: (caller, id, input) => reveal(deps, caller, id, input),
    defer: (caller, id, input) => defer(deps, caller, id, input),
    notices: (residentId) => noticesOf(deps, residentId),
    ask: (residentId, eventId, text) => ask(deps, residentId, eventId, text),
    questionsOf: (residentId) => questionsOf(deps, residentId),
    questionsFor: (status, limit) => questionsFor(deps, status, limit),
    answer: (caller, id, input) => answer(deps, caller, id, input),
  };
}
