/**
 * Code generation on the device (issue 14): `buildCodeV2` as the mini-program runs it (tweetnacl, the portable
 * SHA-256), hotel check-in set and "over 18 only", beside a bare tweetnacl sign of the same bytes.
 */
import nacl from 'tweetnacl';
import { buildCodeV2, codeV2SigningInput, parseCodeV2 } from '@eid/shared';
import type { BenchResult } from '../types';
import { alternate } from './common';
import { V2_SETS, purposeClaims, v2Card } from './offline-v2';

/** v2 codes per second on the device path next to tweetnacl signatures per second of their signing input. */
export function measureDevice(): BenchResult[] {
  const card = v2Card();
  const now = Date.UTC(2026, 10, 23, 8, 0, 0);
  return V2_SETS.map((set) => {
    const make = () =>
      buildCodeV2({
        credential: card.credential,
        secrets: card.secrets,
        ...purposeClaims(set.purpose),
        deviceSecretKey: card.device.secretKey,
        now,
      });
    const message = codeV2SigningInput(parseCodeV2(make()));
    const result = alternate(make, () => nacl.sign.detached(message, card.device.secretKey), {
      rounds: 3,
      batch: 8,
    });
    return {
      name: `device code v2, ${set.label} (tweetnacl, codes/s)`,
      reference: 'bare tweetnacl sign, same bytes',
      ...result,
    };
  });
}
