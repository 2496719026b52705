import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import {
  CALLBACK_RETRY_SCHEDULE_MS,
  constantTimeEqual,
  ED25519_SMALL_ORDER_ENCODINGS,
  encodeWebhookPublicKey,
  encodeWebhookSecret,
  fromHex,
  hmacSha256,
  parseWebhookPublicKey,
  parseWebhookSecret,
  signWebhook,
  toHex,
  tweetnaclEd25519,
  utf8Encode,
  verifyWebhook,
  webhookSignedContent,
  type HmacSha256,
} from '@eid/shared';
import { createNodeEd25519, nodeSha256 } from '@eid/bff/infra/ed25519';
import { webhookVectors } from '../../../scripts/vectors/webhooks';

const vectors: ReturnType<typeof webhookVectors> = JSON.parse(
  readFileSync(path.join(__dirname, '../../../docs/formats/vectors/webhooks.json'), 'utf8'),
);
const nodeHmac: HmacSha256 = (key, message) =>
  new Uint8Array(createHmac('sha256', key).update(message).digest());
const nodeEd = createNodeEd25519();
const { callback } = vectors;
const secret = vectors.secret.whsec;
const nextSecret = vectors.nextSecret.whsec;
const seedPair = (hex: string) => tweetnaclEd25519.keyPairFromSeed(fromHex(hex));
const key = seedPair(vectors.callbackKey.seed);
const nextKey = seedPair(vectors.nextCallbackKey.seed);
const T = callback.timestampS;
const NOW = T * 1000;
const headersOf = (signature: string, timestampS = T, id = callback.id) => ({
  'webhook-id': id,
  'webhook-timestamp': String(timestampS),
  'webhook-signature': signature,
});
const sign = (k: typeof key) => (m: Uint8Array) => tweetnaclEd25519.sign(k.secretKey, m);

describe('webhooks.json', () => {
  it('when the vectors are computed again from their seeds, then they equal the published file', () => {
    expect(webhookVectors()).toEqual(vectors);
  });

  it('when node:crypto computes v1 from the documented strings alone, then it is the published value', () => {
    const raw = Buffer.from(secret.slice('whsec_'.length), 'base64');
    expect(raw.toString('hex')).toBe(vectors.secret.bytes);
    const mac = createHmac('sha256', raw)
      .update(`${callback.id}.${callback.timestampS}.${callback.body}`)
      .digest('base64');
    expect(callback.v1).toBe(`v1,${mac}`);
    expect(callback.signedContent).toBe(`${callback.id}.${callback.timestampS}.${callback.body}`);
    expect(callback.header).toBe(`${callback.v1} ${callback.v1a}`);
  });

  it('when node:crypto checks the published v1a with the whpk_ key, then it verifies', () => {
    const publicKey = parseWebhookPublicKey(vectors.callbackKey.whpk)!;
    expect(toHex(publicKey)).toBe(vectors.callbackKey.publicKey);
    const sig = Buffer.from(callback.v1a.slice('v1a,'.length), 'base64');
    expect(nodeEd.verify(publicKey, fromHex(callback.signedContentHex), sig)).toBe(true);
  });

  it.each(vectors.receiverCases.map((c) => [c.note, c] as const))(
    'when the receiver case is "%s", then the answer is as published',
    (_, c) => {
      const answer = verifyWebhook(c.headers, c.body, {
        secrets: c.secrets,
        publicKeys: c.publicKeys.map((k) => parseWebhookPublicKey(k)!),
        nowMs: c.nowMs,
        ed25519: nodeEd,
        hmac: nodeHmac,
      });
      expect(answer.ok ? { ok: true, scheme: answer.scheme } : { ok: false, reason: answer.reason }).toEqual(
        c.expect,
      );
    },
  );

  it('when the page docs/formats/webhooks.md is read, then it prints every published value exactly', () => {
    const page = readFileSync(path.join(__dirname, '../../../docs/formats/webhooks.md'), 'utf8');
    for (const value of [
      secret,
      vectors.secret.bytes,
      nextSecret,
      vectors.callbackKey.seed,
      vectors.callbackKey.whpk,
      vectors.nextCallbackKey.whpk,
      callback.id,
      String(callback.timestampS),
      callback.body,
      callback.signedContent,
      callback.v1,
      callback.v1a,
      callback.header,
      callback.rotationHeader,
    ])
      expect(page).toContain(value);
  });

  it('when the schedule is read, then it is Standard Webhooks’ ten delays', () => {
    expect(vectors.retryScheduleMs).toEqual([0, 5e3, 3e5, 18e5, 72e5, 18e6, 36e6, 504e5, 72e6, 864e5]);
    expect([...CALLBACK_RETRY_SCHEDULE_MS]).toEqual(vectors.retryScheduleMs);
    expect(Object.isFrozen(CALLBACK_RETRY_SCHEDULE_MS)).toBe(true);
  });
});

describe('hmacSha256', () => {
  it.each(vectors.hmacSha256.map((c) => [c.source, c] as const))(
    'when computing %s, then both SHA-256s give the RFC value',
    (_, c) => {
      expect(toHex(hmacSha256(fromHex(c.key), fromHex(c.data)))).toBe(c.hmac);
      expect(toHex(hmacSha256(fromHex(c.key), fromHex(c.data), nodeSha256))).toBe(c.hmac);
    },
  );

  it('when any key (also longer than a block) and message are used, then it agrees with node:crypto byte for byte', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 300 }), (k, m) => {
        expect(toHex(hmacSha256(k, m))).toBe(toHex(nodeHmac(k, m)));
      }),
    );
  });

  it('when two arrays differ in any byte or in length, then constantTimeEqual says so', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 40 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (a, i, x) => {
          const b = a.slice();
          b[i % a.length] = b[i % a.length]! ^ x;
          expect(constantTimeEqual(a, a.slice())).toBe(true);
          expect(constantTimeEqual(a, b)).toBe(false);
          expect(constantTimeEqual(a, a.subarray(1))).toBe(false);
        },
      ),
    );
  });
});

describe('whsec_ and whpk_ texts', () => {
  it('when secrets of 24..64 bytes are encoded, then they parse back; other lengths are refused', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 24, maxLength: 64 }), (bytes) => {
        expect(parseWebhookSecret(encodeWebhookSecret(bytes))).toEqual(bytes);
      }),
    );
    expect(() => encodeWebhookSecret(new Uint8Array(23))).toThrow(TypeError);
    expect(() => encodeWebhookSecret(new Uint8Array(65))).toThrow(TypeError);
  });

  it.each([
    ['no prefix', secret.slice('whsec_'.length)],
    ['upper-case prefix', secret.replace('whsec_', 'WHSEC_')],
    ['the public-key prefix', secret.replace('whsec_', 'whpk_')],
    ['padding removed', secret.replace(/=+$/, '')],
    [
      'base64url alphabet',
      encodeWebhookSecret(new Uint8Array(32).fill(0xfb)).replace(/\+/g, '-').replace(/\//g, '_'),
    ],
    ['a trailing newline', `${secret}\n`],
    ['a space inside', `whsec_ ${secret.slice(6)}`],
    ['23 bytes', `whsec_${Buffer.alloc(23, 1).toString('base64')}`],
    ['65 bytes', `whsec_${Buffer.alloc(65, 1).toString('base64')}`],
    ['non-zero leftover bits', `${secret.slice(0, -2)}B=`],
    ['not a string', 42],
  ])('when a secret has %s, then it is refused', (_, text) => {
    expect(parseWebhookSecret(text)).toBeUndefined();
  });

  it('when a public key is a small-order point, non-canonical or the wrong length, then whpk_ refuses it both ways', () => {
    for (const hex of [...ED25519_SMALL_ORDER_ENCODINGS, 'ed' + 'ff'.repeat(30) + '7f']) {
      const bytes = fromHex(hex);
      expect(() => encodeWebhookPublicKey(bytes)).toThrow(TypeError);
      expect(parseWebhookPublicKey(`whpk_${Buffer.from(bytes).toString('base64')}`)).toBeUndefined();
    }
    expect(
      parseWebhookPublicKey(`whpk_${Buffer.from(key.publicKey.subarray(0, 31)).toString('base64')}`),
    ).toBeUndefined();
    expect(parseWebhookPublicKey(vectors.callbackKey.whpk.replace('whpk_', 'whsec_'))).toBeUndefined();
    expect(parseWebhookPublicKey(encodeWebhookPublicKey(key.publicKey))).toEqual(key.publicKey);
  });
});

describe('signWebhook and verifyWebhook', () => {
  const both = (body = callback.body, timestampS = T) =>
    signWebhook({ id: callback.id, timestampS, body, secrets: [secret], signers: [sign(key)] });

  it('when the fast HMAC and a Uint8Array body are used, then the header is the same bytes', () => {
    const header = signWebhook({
      id: callback.id,
      timestampS: T,
      body: utf8Encode(callback.body),
      secrets: [secret],
      signers: [(m) => nodeEd.sign(key.secretKey, m)],
      hmac: nodeHmac,
    });
    expect(header).toBe(callback.header);
    expect(toHex(webhookSignedContent(callback.id, T, callback.body))).toBe(callback.signedContentHex);
  });

  it('when any byte of the body is changed, then neither v1 nor v1a verifies', () => {
    const body = utf8Encode(callback.body);
    const options = { secrets: [secret], publicKeys: [key.publicKey], nowMs: NOW, ed25519: nodeEd };
    fc.assert(
      fc.property(fc.nat({ max: body.length - 1 }), fc.integer({ min: 1, max: 255 }), (i, x) => {
        const changed = body.slice();
        changed[i] = changed[i]! ^ x;
        expect(verifyWebhook(headersOf(callback.header), changed, options)).toEqual({
          ok: false,
          reason: 'no_matching_signature',
        });
      }),
      { numRuns: 50 },
    );
    expect(verifyWebhook(headersOf(callback.header), body, options)).toMatchObject({
      ok: true,
      scheme: 'v1',
    });
  });

  it('when any character of the v1 value is changed, then it does not verify', () => {
    const value = callback.v1.slice(3);
    fc.assert(
      fc.property(fc.nat({ max: value.length - 2 }), fc.constantFrom(...'ABCDEFabcdef0123+/'), (i, ch) => {
        fc.pre(value[i] !== ch);
        const forged = `v1,${value.slice(0, i)}${ch}${value.slice(i + 1)}`;
        expect(verifyWebhook(headersOf(forged), callback.body, { secrets: [secret], nowMs: NOW }).ok).toBe(
          false,
        );
      }),
    );
  });

  it('when the timestamp is within the tolerance either way, then it verifies; one second beyond, then stale', () => {
    for (const [delta, ok] of [
      [-300, true],
      [300, true],
      [-301, false],
      [301, false],
    ] as const) {
      const answer = verifyWebhook(headersOf(both(callback.body, T + delta), T + delta), callback.body, {
        secrets: [secret],
        nowMs: NOW,
      });
      expect(answer).toEqual(
        ok
          ? { ok: true, id: callback.id, timestampS: T + delta, scheme: 'v1' }
          : { ok: false, reason: 'stale' },
      );
    }
    const short = { secrets: [secret], nowMs: NOW + 61_000, toleranceS: 60 };
    expect(verifyWebhook(headersOf(both()), callback.body, short)).toEqual({ ok: false, reason: 'stale' });
    expect(verifyWebhook(headersOf(both()), callback.body, { ...short, nowMs: NOW - 60_000 }).ok).toBe(true);
  });

  it('when two secrets and two keys sign one header, then a receiver holding any one of them accepts', () => {
    const header = signWebhook({
      id: callback.id,
      timestampS: T,
      body: callback.body,
      secrets: [nextSecret, secret],
      signers: [sign(nextKey), sign(key)],
    });
    expect(header).toBe(callback.rotationHeader);
    expect(header.split(' ').map((e) => e.split(',')[0])).toEqual(['v1', 'v1', 'v1a', 'v1a']);
    for (const s of [secret, nextSecret])
      expect(verifyWebhook(headersOf(header), callback.body, { secrets: [s], nowMs: NOW })).toMatchObject({
        ok: true,
        scheme: 'v1',
      });
    for (const k of [key, nextKey])
      expect(
        verifyWebhook(headersOf(header), callback.body, {
          publicKeys: [k.publicKey],
          nowMs: NOW,
          ed25519: nodeEd,
        }),
      ).toMatchObject({
        ok: true,
        scheme: 'v1a',
      });
    // A receiver that already moved on to the new secret refuses a header signed by the old one alone.
    expect(verifyWebhook(headersOf(both()), callback.body, { secrets: [nextSecret], nowMs: NOW })).toEqual({
      ok: false,
      reason: 'no_matching_signature',
    });
  });

  it('when headers come as a fetch Headers or as node arrays, then they are read the same', () => {
    const h = new Headers(headersOf(callback.header));
    expect(verifyWebhook(h, callback.body, { secrets: [secret], nowMs: NOW })).toMatchObject({ ok: true });
    const arrays = { ...headersOf(callback.v1a), 'webhook-signature': [callback.v1a, callback.v1] };
    expect(verifyWebhook(arrays, callback.body, { secrets: [secret], nowMs: NOW })).toMatchObject({
      ok: true,
      scheme: 'v1',
    });
    // node joins a repeated header with ", ".
    const joined = headersOf(`${callback.v1a}, ${callback.v1}`);
    expect(verifyWebhook(joined, callback.body, { secrets: [secret], nowMs: NOW })).toMatchObject({
      ok: true,
      scheme: 'v1',
    });
  });

  it('when webhook-id is given twice (two spellings or an array of two), then it is malformed', () => {
    const twice = { ...headersOf(callback.header), 'Webhook-Id': 'evt_other' };
    expect(verifyWebhook(twice, callback.body, { secrets: [secret], nowMs: NOW })).toEqual({
      ok: false,
      reason: 'malformed',
    });
    const array = { ...headersOf(callback.header), 'webhook-id': [callback.id, callback.id] };
    expect(verifyWebhook(array, callback.body, { secrets: [secret], nowMs: NOW })).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('when any header is missing, then the reason is missing_headers', () => {
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const) {
      const h: Record<string, string> = headersOf(callback.header);
      delete h[name];
      expect(verifyWebhook(h, callback.body, { secrets: [secret], nowMs: NOW })).toEqual({
        ok: false,
        reason: 'missing_headers',
      });
    }
  });

  it('when the signature header is any text at all, then verifying answers without throwing and accepts nothing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 20 }), (sig, ts) => {
        const answer = verifyWebhook(
          { ...headersOf(sig), 'webhook-timestamp': ts || String(T) },
          callback.body,
          {
            secrets: [secret],
            publicKeys: [key.publicKey],
            nowMs: NOW,
            ed25519: nodeEd,
          },
        );
        expect(answer.ok).toBe(false);
      }),
    );
  });

  it('when the valid entry comes after sixteen others, then it is not looked at', () => {
    const junk = Array.from({ length: 16 }, () => callback.v1a).join(' ');
    const options = { secrets: [secret], nowMs: NOW };
    expect(verifyWebhook(headersOf(`${junk} ${callback.v1}`), callback.body, options)).toEqual({
      ok: false,
      reason: 'no_matching_signature',
    });
    expect(verifyWebhook(headersOf(`${callback.v1} ${junk}`), callback.body, options)).toMatchObject({
      ok: true,
    });
  });

  it('when signing with a malformed secret, a bad id, a fractional timestamp or nothing, then it throws TypeError', () => {
    const base = { id: callback.id, timestampS: T, body: '', secrets: [secret], signers: [] };
    for (const input of [
      { ...base, secrets: ['whsec_short'] },
      { ...base, id: 'has space' },
      { ...base, id: '' },
      { ...base, timestampS: T + 0.5 },
      { ...base, secrets: [] },
    ])
      expect(() => signWebhook(input)).toThrow(TypeError);
  });
});

describe('interoperability with the standardwebhooks npm package', () => {
  // The package checks the timestamp against Date.now(); the signatures are made for that time.
  const nowS = () => Math.floor(Date.now() / 1000);

  it('when we sign v1 and v1a in one header, then its Webhook class verifies the body (it skips v1a)', () => {
    const ts = nowS();
    const header = signWebhook({
      id: callback.id,
      timestampS: ts,
      body: callback.body,
      secrets: [secret],
      signers: [sign(key)],
    });
    expect(new Webhook(secret).verify(callback.body, headersOf(header, ts))).toEqual(
      JSON.parse(callback.body),
    );
    const rotation = signWebhook({
      id: callback.id,
      timestampS: ts,
      body: callback.body,
      secrets: [nextSecret, secret],
      signers: [],
    });
    expect(new Webhook(secret).verify(callback.body, headersOf(rotation, ts))).toEqual(
      JSON.parse(callback.body),
    );
  });

  it('when the body we signed is changed, then its Webhook class refuses it too', () => {
    const ts = nowS();
    const header = signWebhook({
      id: callback.id,
      timestampS: ts,
      body: callback.body,
      secrets: [secret],
      signers: [],
    });
    expect(() =>
      new Webhook(secret).verify(callback.body.replace('A1024', 'A1025'), headersOf(header, ts)),
    ).toThrow();
  });

  it('when its sign() signs, then we verify its header, and it matches our v1 byte for byte', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (body) => {
        const ts = T;
        const theirs = new Webhook(secret).sign(callback.id, new Date(ts * 1000), body);
        expect(theirs).toBe(
          signWebhook({ id: callback.id, timestampS: ts, body, secrets: [secret], signers: [] }),
        );
        expect(verifyWebhook(headersOf(theirs, ts), body, { secrets: [secret], nowMs: NOW })).toEqual({
          ok: true,
          id: callback.id,
          timestampS: ts,
          scheme: 'v1',
        });
      }),
      { numRuns: 50 },
    );
  });
});
