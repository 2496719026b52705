import { codeOf, expired, notFound, settle, stateAt, wrongState, type SignInContext } from './deps';
import type { SignInRecord } from './signin.repository';
import type { CompletedSignIn, SignInOutcome } from './signin.types';

function outcomeOf(deps: SignInContext, s: SignInRecord): SignInOutcome {
  return {
    id: s.id,
    state: stateAt(s, deps.clock.now()),
    controlCode: codeOf(deps, s.id).controlCode,
    expiresAt: s.expiresAt,
    ...(s.residentId !== undefined && { residentId: s.residentId }),
    ...(s.approvedLevel !== undefined && { level: s.approvedLevel }),
    ...(s.acr !== undefined && { acr: s.acr }),
    ...(s.amr !== undefined && { amr: [...s.amr] }),
    scopes: [...s.scopes],
    fields: [...s.fields],
    ...(s.approvedAt !== undefined && { approvedAt: s.approvedAt }),
  };
}

async function byId(deps: SignInContext, id: string): Promise<SignInRecord> {
  const s = await deps.repo.byId(id);
  if (!s) throw notFound();
  return s;
}

/** What the desktop page polls: the sign-in's state, its expiry written when it has lapsed. */
export async function signInOutcome(deps: SignInContext, id: string): Promise<SignInOutcome> {
  return outcomeOf(deps, await settle(deps, await byId(deps, id)));
}

/**
 * The provider takes the approval over: approved -> completed in one conditional write, so of racing
 * finishes (two tabs, a replayed request) exactly one gets it; the others, and any other state, are
 * SIGNIN_WRONG_STATE, and a sign-in that lapsed before it was taken over is SIGNIN_EXPIRED.
 */
export async function completeSignIn(deps: SignInContext, id: string): Promise<CompletedSignIn> {
  const won = await deps.repo.complete(id, deps.clock.now());
  if (won) {
    deps.logger.info({ signinId: id, partyId: won.partyId }, 'sign-in completed');
    return outcomeOf(deps, won) as CompletedSignIn;
  }
  const current = await settle(deps, await byId(deps, id));
  if (current.state === 'expired') throw expired();
  throw wrongState(current.state, 'This sign-in is not approved, or was handed over already');
}

/** The browser gave up: a sign-in nobody answered yet becomes cancelled; anything else stays as it is. */
export async function cancelSignIn(deps: SignInContext, id: string): Promise<void> {
  await byId(deps, id);
  const won = await deps.repo.cancel(id, deps.clock.now());
  if (won) deps.logger.info({ signinId: id, partyId: won.partyId }, 'sign-in cancelled by the browser');
}
