import type { SealedStore } from '../enrollment/enrollment.types';
import { checkPasscode } from './check';
import { statusOf, type PasscodeContext } from './context';
import type { PasscodeDeps } from './deps';
import { createPasscodeRepository } from './passcode.repository';
import type { PasscodeService } from './passcode.types';
import { resetPasscode } from './reset';
import { setPasscode } from './set';

/**
 * The resident's e-ID passcode (issue 17, level 2): stored as a sealed scrypt hash, tries counted before
 * they are compared, growing pauses that a face check ends. Each use case is its own file; this composes
 * them. `sealedStore` lets the master-key re-wrap reach the sealed hashes (app.ts registers it).
 */
export function createPasscodeService({
  db,
  ...rest
}: PasscodeDeps): PasscodeService & { sealedStore: SealedStore } {
  const ctx: PasscodeContext = { repo: createPasscodeRepository(db), ...rest };
  return {
    isSet: async (residentId) => (await ctx.repo.get(residentId)) !== null,
    async check(residentId, passcode) {
      await checkPasscode(ctx, residentId, passcode);
    },
    status: async (residentId) => statusOf(ctx, await ctx.repo.get(residentId), ctx.clock.now()),
    set: (residentId, input, requestId) => setPasscode(ctx, residentId, input, requestId),
    reset: (residentId, input, requestId) => resetPasscode(ctx, residentId, input, requestId),
    // Idempotent: a repeated delivery finds nothing left to erase.
    async onIdentityWithdrawn(residentId, reason) {
      if (await ctx.repo.erase(residentId)) {
        ctx.logger.info({ residentId, reason, step: 'passcode_erased' }, 'passcode erased with the identity');
      }
    },
    sealedStore: {
      name: 'passcodes',
      page: (after, limit) => ctx.repo.sealedPage(after, limit),
      replace: (id, from, to) => ctx.repo.replaceSealed(id, from, to),
    },
  };
}
