import { createHmac } from 'node:crypto';
import { signWebhook, type HmacSha256 } from '@eid/shared';
import type { CallbackDeps } from './deps';

// node:crypto's HMAC under shared's interface: the portable one is for the mini-program, not the hot path.
const nodeHmacSha256: HmacSha256 = (key, message) => createHmac('sha256', key).update(message).digest();

/**
 * The `webhook-signature` header of one attempt (Standard Webhooks, shared signWebhook): `v1` per live
 * `whsec_` secret of the party (HMAC-SHA256, what the standard libraries verify), then `v1a` per callback
 * key (Ed25519, so the party can later prove what it was sent). During a rotation both secrets and both keys
 * sign, so a party holding either verifies.
 */
export async function signatureHeader(
  deps: Pick<CallbackDeps, 'parties' | 'keys'>,
  input: { id: string; partyId: string; timestampS: number; body: string },
): Promise<string> {
  const secrets = await deps.parties.webhookSecretsOf(input.partyId);
  return signWebhook({
    id: input.id,
    timestampS: input.timestampS,
    body: input.body,
    secrets,
    signers: deps.keys.callbackKeys().map(
      ({ kid }) =>
        (m: Uint8Array) =>
          deps.keys.signAsCallback(kid, m),
    ),
    hmac: nodeHmacSha256,
  });
}
