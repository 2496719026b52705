import { encodeWebhookPublicKey, type CallbackKeysAnswer } from '@eid/shared';
import type { CallbackDeps } from './deps';

/**
 * The public halves of the keys that sign callbacks (`v1a`), newest first, as `whpk_` + base64: what a party
 * fetches (`GET /api/v1/rp/callback-keys`) to verify, and later prove, what it was sent. During a rotation
 * both keys are listed, as both sign.
 */
export function callbackKeysAnswer(deps: Pick<CallbackDeps, 'keys'>): CallbackKeysAnswer {
  return {
    keys: deps.keys.callbackKeys().map(({ kid, publicKey }) => ({
      kid,
      publicKey: encodeWebhookPublicKey(publicKey),
    })),
  };
}
