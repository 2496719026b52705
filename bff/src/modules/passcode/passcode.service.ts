import { AppError } from '@eid/shared';
import type { PasscodeDeps } from './deps';
import type { PasscodeService } from './passcode.types';

/** Placeholder of the skeleton commit: the passcode module's helper replaces it. */
export function createPasscodeService(deps: PasscodeDeps): PasscodeService {
  void deps;
  const notYet = async (): Promise<never> => {
    throw new AppError('NOT_READY', 'The e-ID passcode is not built yet');
  };
  return {
    isSet: notYet,
    check: notYet,
    status: notYet,
    set: notYet,
    reset: notYet,
    onIdentityWithdrawn: async () => {},
  };
}
