import type { PartyVerifyAnswer, PartyVerifyRequest } from '@eid/shared';
import type { Party } from '../party/party.types';
import type { RpVerifyDeps } from './deps';
import { verifyForParty } from './verify-code';

export type { RpVerifyDeps };

/** Relying parties verifying bright codes they scanned (issue 16, docs/relying-party.md). */
export function createRpVerifyService(deps: RpVerifyDeps) {
  return {
    /** Checks a code for the signed-in party (`ctx.state.signed.party`) and purpose (verify-code.ts). */
    verify: (party: Party, input: PartyVerifyRequest, requestId?: string): Promise<PartyVerifyAnswer> =>
      verifyForParty(deps, party, input, requestId),
  };
}

export type RpVerifyService = ReturnType<typeof createRpVerifyService>;
