import { createHash, randomBytes } from 'node:crypto';
import {
  base64urlEncode,
  encodeWebhookSecret,
  type PartyCreated,
  type RotateWebhookSecretRequest,
} from '@eid/shared';
import { changeParty, liveSecrets, partyView, type PartyDeps } from './deps';
import type { WebhookSecretDoc } from './party.repository';

/** How long the old secret keeps signing beside the new one after a rotation, unless told otherwise. */
export const DEFAULT_SECRET_OVERLAP_MS = 24 * 3600 * 1000;

const aadOf = (partyId: string, secretId: string) => `party:${partyId}:whsec:${secretId}`;

/**
 * A fresh Standard Webhooks secret (`whsec_` + base64 of 32 random bytes) and what is stored of it: its id
 * (first 8 bytes of SHA-256 of the text, base64url) and the text sealed under the master key.
 */
export function newWebhookSecret(
  deps: Pick<PartyDeps, 'keys'>,
  partyId: string,
  now: number,
): { text: string; doc: WebhookSecretDoc } {
  const text = encodeWebhookSecret(new Uint8Array(randomBytes(32)));
  const id = base64urlEncode(createHash('sha256').update(text).digest().subarray(0, 8));
  return { text, doc: { id, sealed: deps.keys.seal(text, aadOf(partyId, id)), createdAt: now } };
}

/**
 * Rotates the party's webhook secret: the new one signs from now on; the ones signing until now keep
 * signing beside it for `overlapMs` (24 h by default), so the party can switch without losing a callback.
 * Secrets already past their time are dropped. The new secret is in this answer only.
 */
export async function rotateWebhookSecret(
  deps: PartyDeps,
  staffId: string,
  partyId: string,
  input: RotateWebhookSecretRequest,
): Promise<PartyCreated> {
  let text = '';
  const p = await changeParty(deps, partyId, staffId, (party, now) => {
    const until = now + (input.overlapMs ?? DEFAULT_SECRET_OVERLAP_MS);
    const secret = newWebhookSecret(deps, partyId, now);
    text = secret.text;
    const kept = liveSecrets(party, now).map((s) => ({
      ...s,
      retiresAt: s.retiresAt === undefined ? until : Math.min(s.retiresAt, until),
    }));
    return { webhookSecrets: [secret.doc, ...kept] };
  });
  deps.logger.info({ partyId, secretId: p.webhookSecrets[0]!.id, staffId }, 'party webhook secret rotated');
  return { party: partyView(p, await deps.repo.keysOf(partyId), deps.clock.now()), webhookSecret: text };
}

/**
 * The `whsec_` secrets that sign callbacks to the party now, newest first: two during a rotation's overlap.
 * Read through the short-lived party cache; each secret's time is compared with the clock on every call.
 */
export function createSecretReader(deps: Pick<PartyDeps, 'cache' | 'keys' | 'clock'>) {
  // Opened secrets by their sealed text: opening unwraps a data key, done once per secret, not per callback.
  const opened = new Map<string, string>();
  return async function webhookSecretsOf(partyId: string): Promise<string[]> {
    const p = await deps.cache.party(partyId);
    if (!p) return [];
    return liveSecrets(p, deps.clock.now()).map((s) => {
      let text = opened.get(s.sealed);
      if (text === undefined) {
        text = deps.keys.open(s.sealed, aadOf(partyId, s.id));
        if (opened.size >= 1000) opened.delete(opened.keys().next().value!);
        opened.set(s.sealed, text);
      }
      return text;
    });
  };
}
