import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { HotelClock } from './client';

/*
 * Checking a callback as docs/relying-party.md tells an integrator to: `v1` (HMAC-SHA256 with the party's
 * whsec_ secret) with the npm `standardwebhooks` library as it comes, and `v1a` (Ed25519 by a BFF callback
 * key from GET /api/v1/rp/callback-keys) with node:crypto. The hotel accepts an event only when both hold.
 */

/** The callback body (Standard Webhooks payload), as far as the hotel reads it. */
export interface HotelCallbackEvent {
  type: string;
  timestamp: string;
  data: { consentId?: string; reference?: string; state?: string; dueBy?: number; verdict?: string };
}

export interface CallbackCheck {
  ok: boolean;
  /** Why not, in English (never the body). */
  reason?: string;
  v1: boolean;
  v1a: boolean;
  /** The callback key whose v1a signature verified. */
  kid?: string;
  event?: HotelCallbackEvent;
}

export interface CallbackVerifierOptions {
  bffUrl: string;
  /** The live whsec_ secrets, newest first (two during a rotation). */
  secrets: () => readonly string[];
  clock: HotelClock;
}

const TOLERANCE_S = 5 * 60;
const KEYS_REFETCH_MS = 10_000;

interface CallbackKey {
  kid: string;
  key: KeyObject;
}

/** An Ed25519 public key from `whpk_` + base64 of its 32 raw bytes. */
function callbackPublicKey(text: string): KeyObject | undefined {
  const raw = Buffer.from(text.replace(/^whpk_/, ''), 'base64');
  if (raw.length !== 32) return undefined;
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
    format: 'jwk',
  });
}

/**
 * A verifier of the BFF's callbacks for one party.
 *
 * @example const check = await verifier.verify(ctx.headers, rawBody); if (!check.ok) ctx.status = 401;
 */
export function createCallbackVerifier(options: CallbackVerifierOptions) {
  const origin = options.bffUrl.replace(/\/+$/, '');
  let keys: CallbackKey[] = [];
  let fetchedAt = -Infinity;

  async function fetchKeys(): Promise<void> {
    fetchedAt = options.clock.now();
    const res = await fetch(`${origin}/api/v1/rp/callback-keys`, { headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`callback keys: HTTP ${res.status}`);
    const body = (await res.json()) as { keys?: { kid: string; publicKey: string }[] };
    keys = (body.keys ?? []).flatMap((k) => {
      const key = callbackPublicKey(k.publicKey);
      return key ? [{ kid: k.kid, key }] : [];
    });
  }

  function v1aKid(signed: Buffer, signatures: Buffer[]): string | undefined {
    for (const sig of signatures)
      for (const k of keys) if (sig.length === 64 && verify(null, signed, k.key, sig)) return k.kid;
    return undefined;
  }

  return {
    async verify(
      headers: Record<string, string | string[] | undefined>,
      rawBody: string,
    ): Promise<CallbackCheck> {
      const header = (name: string) => {
        const v = headers[name];
        return Array.isArray(v) ? v.join(', ') : v;
      };
      const id = header('webhook-id');
      const timestamp = header('webhook-timestamp');
      const signature = header('webhook-signature');
      if (!id || !timestamp || !signature)
        return { ok: false, reason: 'missing webhook headers', v1: false, v1a: false };

      let v1 = false;
      for (const secret of options.secrets()) {
        try {
          // The library checks the timestamp (5 minutes) and every `v1,` entry in constant time.
          new Webhook(secret).verify(rawBody, {
            'webhook-id': id,
            'webhook-timestamp': timestamp,
            'webhook-signature': signature,
          });
          v1 = true;
          break;
        } catch {
          // Try the next live secret (rotation).
        }
      }

      const ts = Number(timestamp);
      const fresh = Number.isInteger(ts) && Math.abs(options.clock.now() / 1000 - ts) <= TOLERANCE_S;
      const v1aSignatures = signature
        .split(' ')
        .filter((s) => s.startsWith('v1a,'))
        .map((s) => Buffer.from(s.slice(4), 'base64'));
      const signed = Buffer.from(`${id}.${timestamp}.${rawBody}`, 'utf8');
      let kid: string | undefined;
      if (fresh && v1aSignatures.length > 0) {
        kid = v1aKid(signed, v1aSignatures);
        // A key we have not seen: the BFF rotated its callback key; fetch the list again (not too often).
        if (!kid && options.clock.now() - fetchedAt >= KEYS_REFETCH_MS) {
          try {
            await fetchKeys();
          } catch {
            return { ok: false, reason: 'callback keys unavailable', v1, v1a: false };
          }
          kid = v1aKid(signed, v1aSignatures);
        }
      }
      const v1a = kid !== undefined;
      if (!v1 || !v1a) {
        const reason = !fresh
          ? 'timestamp outside 5 minutes'
          : !v1
            ? 'no valid v1 signature'
            : 'no valid v1a signature';
        return { ok: false, reason, v1, v1a };
      }
      let event: HotelCallbackEvent;
      try {
        event = JSON.parse(rawBody) as HotelCallbackEvent;
      } catch {
        return { ok: false, reason: 'body is not JSON', v1, v1a, kid };
      }
      return { ok: true, v1, v1a, kid, event };
    },
  };
}
