import { createNodeEd25519 } from '../../infra/ed25519';
import { accountActive, claimsFor } from './account';
import { approveSignIn } from './approve';
import { cancelSignIn, completeSignIn, signInOutcome } from './broker';
import { declineSignIn } from './decline';
import type { SignInContext, SignInDeps } from './deps';
import { openSignIn, readSignIn } from './open';
import { createSignInRepository } from './signin.repository';
import type { SignInService } from './signin.types';
import { startSignIn } from './start';

/**
 * Remote sign-in (issue 17): the sign-ins the OpenID provider starts and completes, and the resident's side
 * that opens and answers them on the phone. Each use case is its own file; this composes them over one set
 * of deps and starts nothing.
 */
export function createSignInService({ db, ...rest }: SignInDeps): SignInService {
  const deps: SignInContext = { ...rest, repo: createSignInRepository(db), ed25519: createNodeEd25519() };
  return {
    start: (input) => startSignIn(deps, input),
    outcome: (id) => signInOutcome(deps, id),
    complete: (id) => completeSignIn(deps, id),
    cancel: (id) => cancelSignIn(deps, id),
    claimsFor: (residentId, scopes) => claimsFor(deps, residentId, scopes),
    accountActive: (residentId) => accountActive(deps, residentId),
    open: (residentId, code) => openSignIn(deps, residentId, code),
    forResident: (residentId, id) => readSignIn(deps, residentId, id),
    approve: (residentId, id, input, requestId) => approveSignIn(deps, residentId, id, input, requestId),
    decline: (residentId, id, requestId) => declineSignIn(deps, residentId, id, requestId),
  };
}
