import { AppError } from '@eid/shared';
import type { SignInDeps } from './deps';
import type { SignInService } from './signin.types';

/** Placeholder of the skeleton commit: the sign-in module's helper replaces it. */
export function createSignInService(deps: SignInDeps): SignInService {
  void deps;
  const notYet = async (): Promise<never> => {
    throw new AppError('NOT_READY', 'Remote sign-in is not built yet');
  };
  return {
    start: notYet,
    outcome: notYet,
    complete: notYet,
    cancel: notYet,
    claimsFor: notYet,
    accountActive: notYet,
  };
}
