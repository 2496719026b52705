import { createHash } from 'node:crypto';
import nacl from 'tweetnacl';
import {
  base64DecodeStrict,
  componentValue,
  fromHex,
  SIGNATURE_FAILURE_REASONS,
  signRequest,
  tweetnaclEd25519,
  utf8Encode,
  verifyRequest,
  verifyRequestAsync,
  type Ed25519,
} from '@eid/shared';
import { createNodeEd25519 } from '../../../bff/src/infra/ed25519';
import { HTTP_SIGNATURE_VECTORS, profileKeys, vectorRequest } from './vectors';

const { profile, components } = HTTP_SIGNATURE_VECTORS;
const keys = profileKeys();
const rpSeed = fromHex(profile.keys[0]!.seed!);
const implementations: ReadonlyArray<readonly [string, Ed25519]> = [
  ['tweetnacl', tweetnaclEd25519],
  ['node:crypto', createNodeEd25519()],
];

describe('derived components', () => {
  test.each(components.map((c) => [c.url, c] as const))(
    'when the components of %s are derived, then each value is the vector one',
    (_url, c) => {
      for (const [name, value] of Object.entries(c.values))
        expect([name, componentValue(c, name)]).toEqual([name, value]);
    },
  );

  test('when a target URI has a fragment, user info or a space, then no component is derived from it', () => {
    for (const url of [
      'https://a.example/x#frag',
      'https://user@a.example/x',
      'https://a.example/x y',
      '/relative',
    ])
      expect(() => componentValue({ method: 'GET', url, headers: {} }, '@path')).toThrow(TypeError);
  });

  test('when a covered header value carries a line break, then it cannot enter a signature base', () => {
    const request = { method: 'GET', url: 'https://a.example/', headers: { 'x-a': 'one\r\n"@method": PUT' } };
    expect(() => componentValue(request, 'x-a')).toThrow(TypeError);
  });
});

describe('our profile: signing', () => {
  test.each(
    implementations.flatMap(([name, ed]) => profile.examples.map((e) => [e.name, name, ed, e] as const)),
  )(
    'when "%s" is signed through %s, then every header and the signature base are the vector ones',
    (_e, _n, ed, e) => {
      const pair = ed.keyPairFromSeed(rpSeed);
      let signedBase = '';
      const out = signRequest({
        ...vectorRequest(e.request),
        keyId: e.keyId,
        created: e.created,
        nonce: e.nonce,
        sign: (m) => {
          signedBase = new TextDecoder().decode(m);
          return ed.sign(pair.secretKey, m);
        },
      });
      const { signatureBase, ...headers } = e.expected;
      expect(out).toEqual(headers);
      expect(signedBase).toBe(signatureBase);
    },
  );

  test.each(
    implementations.flatMap(([name, ed]) => profile.examples.map((e) => [e.name, name, ed, e] as const)),
  )(
    'when "%s" is verified through %s at its created time, then it is accepted with its keyid and nonce',
    (_e, _n, ed, e) => {
      const { signatureBase: _base, ...signed } = e.expected;
      const request = vectorRequest({ ...e.request, headers: { ...e.request.headers, ...signed } });
      const result = verifyRequest(request, {
        resolveKey: (kid) => keys.get(kid),
        now: profile.now,
        verify: ed,
      });
      expect(result).toMatchObject({
        ok: true,
        label: 'sig1',
        keyId: e.keyId,
        created: e.created,
        nonce: e.nonce,
      });
    },
  );

  test('when no nonce is given, then a fresh 22-character one is made for each request', () => {
    const pair = tweetnaclEd25519.keyPairFromSeed(rpSeed);
    const sign = (m: Uint8Array) => tweetnaclEd25519.sign(pair.secretKey, m);
    const base = { method: 'GET', url: 'https://a.example/', headers: {}, keyId: 'k', created: 1, sign };
    const nonces = [signRequest(base), signRequest(base)].map(
      (s) => /nonce="([^"]+)"/.exec(s['signature-input'])![1],
    );
    expect(nonces[0]).toHaveLength(22);
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  test('when the caller asks for what no verifier accepts, then signing throws TypeError', () => {
    const ok = {
      method: 'POST',
      url: 'https://a.example/x',
      headers: {},
      keyId: 'k',
      created: 1_800_000_000,
      nonce: 'n'.repeat(16),
      sign: () => new Uint8Array(64),
    };
    const bad: Array<Partial<Parameters<typeof signRequest>[0]>> = [
      { label: 'Sig' },
      { keyId: '' },
      { keyId: 'ключ' },
      { nonce: 'short' },
      { created: 1_800_000_000_000.5 },
      { created: -1 },
      { expires: 1_799_999_999 },
      { components: ['@method', '@method'] },
      { components: ['@signature-params'] },
      { components: ['@query-param'] },
      { components: ['x-absent'] },
      { headers: { 'content-digest': 'sha-256=:AAAA:' }, body: utf8Encode('x') },
      { sign: () => new Uint8Array(63) },
      { url: 'https://a.example/x#f' },
    ];
    expect(() => signRequest(ok)).not.toThrow();
    for (const change of bad) expect(() => signRequest({ ...ok, ...change })).toThrow(TypeError);
  });
});

describe('our profile: refusals', () => {
  test('the vectors name every reason at least once', () => {
    const named = new Set(profile.rejections.map((r) => r.reason));
    expect([...SIGNATURE_FAILURE_REASONS].filter((r) => !named.has(r))).toEqual([]);
  });

  test.each(
    implementations.flatMap(([name, ed]) => profile.rejections.map((r) => [r.name, name, ed, r] as const)),
  )('when %s (through %s), then the reason is the vector one', (_r, _n, ed, r) => {
    const result = verifyRequest(vectorRequest(r.request), {
      resolveKey: (kid) => keys.get(kid),
      now: r.now,
      verify: ed,
    });
    expect(result).toMatchObject({ ok: false, reason: r.reason });
  });

  test('when the non-canonical (S + L) signature meets a lax verifier, then it passes there: the refusal is ours', () => {
    const r = profile.rejections.find((x) => x.name.startsWith('non-canonical'))!;
    const good = profile.rejections.find((x) => x.name === 'body changed after signing')!;
    const sig = base64DecodeStrict(r.request.headers.signature!.slice(6, -1))!;
    const base = utf8Encode(profile.examples[0]!.expected.signatureBase);
    expect(good.request.headers.signature).not.toBe(r.request.headers.signature);
    expect(nacl.sign.detached.verify(base, sig, keys.get('rp-example-2026-1')!.publicKey)).toBe(true);
    expect(tweetnaclEd25519.verify(keys.get('rp-example-2026-1')!.publicKey, base, sig)).toBe(false);
  });

  test('when the tampered body is refused, then the detail says which digest failed', () => {
    const r = profile.rejections.find((x) => x.reason === 'digest_mismatch')!;
    const result = verifyRequest(vectorRequest(r.request), {
      resolveKey: (kid) => keys.get(kid),
      now: r.now,
    });
    expect(result).toEqual({
      ok: false,
      reason: 'digest_mismatch',
      detail: 'Content-Digest mismatch: sha-256 does not match the body',
    });
  });

  test('when the digest names only md5, then the detail says no supported algorithm was offered', () => {
    const r = profile.rejections.find((x) => x.name.includes('algorithm we do not accept'))!;
    const result = verifyRequest(vectorRequest(r.request), {
      resolveKey: (kid) => keys.get(kid),
      now: r.now,
    });
    expect(result).toMatchObject({
      reason: 'digest_mismatch',
      detail: expect.stringContaining('unsupported_algorithm'),
    });
  });
});

describe('our profile: choices a caller makes', () => {
  const pair = tweetnaclEd25519.keyPairFromSeed(rpSeed);
  const created = profile.now / 1000;
  const signed = (extra: Partial<Parameters<typeof signRequest>[0]> = {}) => {
    const request = {
      method: 'POST',
      url: 'https://a.example/x',
      headers: { 'content-type': 'application/json' },
    };
    const body = utf8Encode('{}');
    const out = signRequest({
      ...request,
      body,
      keyId: 'rp-example-2026-1',
      created,
      sign: (m) => tweetnaclEd25519.sign(pair.secretKey, m),
      ...extra,
    });
    return { ...request, headers: { ...request.headers, ...out }, body };
  };
  const options = { resolveKey: (kid: string) => keys.get(kid), now: profile.now };

  test('when the key look-up is asynchronous, then the answer is the same as the synchronous one', async () => {
    const request = signed();
    const resolveKey = async (kid: string) => keys.get(kid);
    await expect(verifyRequestAsync(request, { ...options, resolveKey })).resolves.toEqual(
      verifyRequest(request, options),
    );
    await expect(
      verifyRequestAsync(request, { ...options, resolveKey: async () => undefined }),
    ).resolves.toMatchObject({ reason: 'unknown_key' });
  });

  test('when a proxy adds its own signature, then ours is found by label or by tag, and never guessed', () => {
    const ours = signed({ tag: 'eid-rp' });
    const proxy = signed({ label: 'proxy', keyId: 'proxy-1' });
    const headers = {
      ...ours.headers,
      'signature-input': [ours.headers['signature-input'], proxy.headers['signature-input']],
      signature: [ours.headers.signature, proxy.headers.signature],
    };
    const both = { ...ours, headers };
    expect(verifyRequest(both, options)).toMatchObject({ reason: 'malformed_signature' });
    expect(verifyRequest(both, { ...options, label: 'sig1' })).toMatchObject({ ok: true, tag: 'eid-rp' });
    expect(verifyRequest(both, { ...options, tag: 'eid-rp' })).toMatchObject({ ok: true, label: 'sig1' });
    expect(verifyRequest(both, { ...options, tag: 'other' })).toMatchObject({ reason: 'missing_signature' });
    expect(verifyRequest(both, { ...options, label: 'proxy' })).toMatchObject({ reason: 'unknown_key' });
  });

  test('when expires has passed, then the signature is out of its window even though created is fresh', () => {
    const request = signed({ expires: created + 30 });
    expect(verifyRequest(request, { ...options, now: profile.now + 29_000 })).toMatchObject({ ok: true });
    expect(verifyRequest(request, { ...options, now: profile.now + 31_000 })).toMatchObject({
      reason: 'created_out_of_window',
      detail: 'the signature has expired',
    });
  });

  test('when created is exactly 5 minutes off, then it is still inside the window; a second more is not', () => {
    const request = signed();
    for (const sign of [1, -1]) {
      expect(verifyRequest(request, { ...options, now: profile.now + sign * 300_000 })).toMatchObject({
        ok: true,
      });
      expect(verifyRequest(request, { ...options, now: profile.now + sign * 301_000 })).toMatchObject({
        reason: 'created_out_of_window',
      });
    }
  });

  test('when a caller requires more coverage, then a signature without it is refused naming the component', () => {
    expect(verifyRequest(signed(), { ...options, requiredComponents: ['@method', 'date'] })).toEqual({
      ok: false,
      reason: 'missing_component',
      detail: 'the signature does not cover date',
    });
  });

  test('when a covered field is stripped on the way, then the base cannot be rebuilt and the signature is malformed', () => {
    const request = signed();
    const { 'content-type': _dropped, ...headers } = request.headers;
    expect(verifyRequest({ ...request, headers }, options)).toMatchObject({
      reason: 'malformed_signature',
      detail: 'covered field content-type is absent',
    });
  });

  test('when headers come as Node gives them (lower case, repeated lines as arrays), then they verify', () => {
    const request = signed({
      components: ['@method', '@target-uri', 'content-digest', 'accept'],
      headers: { accept: ['a/b', 'c/d'] },
    });
    expect(request.headers['signature-input']).toContain('"accept"');
    const node = { ...request, headers: { ...request.headers, accept: ['a/b', ' c/d'] } };
    expect(verifyRequest(node, options)).toMatchObject({ ok: true });
    const mixedCase = { ...request, headers: { ...request.headers, Accept: 'a/b, c/d', accept: undefined } };
    expect(verifyRequest(mixedCase, options)).toMatchObject({ ok: true });
  });

  test('when alg names another algorithm or a parameter is unknown, then the signature is malformed', () => {
    const request = signed();
    for (const edit of [
      (s: string) => s.replace('alg="ed25519"', 'alg="rsa-pss-sha512"'),
      (s: string) => `${s};extra=1`,
      (s: string) => s.replace('"@method"', '"@method";req'),
      (s: string) => s.replace('"@method"', '"@status"'),
      (s: string) => s.replace('"@method"', '"@target-uri"'),
      (s: string) => s.replace(/created=\d+/, 'created=1.5'),
      (s: string) => s.replace(/;keyid="[^"]+"/, ''),
      (s: string) => s.replace(/;created=\d+/, ''),
    ]) {
      const headers = { ...request.headers, 'signature-input': edit(request.headers['signature-input']) };
      expect(verifyRequest({ ...request, headers }, { ...options, requiredComponents: [] })).toMatchObject({
        reason: 'malformed_signature',
      });
    }
  });

  test('when a key is registered but small-order or the wrong length, then nothing verifies against it', () => {
    const request = signed();
    for (const publicKey of [fromHex(profile.keys[2]!.publicKey), new Uint8Array(31)])
      expect(verifyRequest(request, { ...options, resolveKey: () => ({ publicKey }) })).toMatchObject({
        reason: 'bad_signature',
      });
  });

  test('when the BFF hashes with node:crypto, then the digests agree with the portable ones', () => {
    const nonce = 'fixed-nonce-for-both-hashes';
    const request = signed({ nonce });
    const sha256 = (d: Uint8Array) => new Uint8Array(createHash('sha256').update(d).digest());
    expect(signed({ nonce, sha256 })).toEqual(request);
    expect(verifyRequest(request, { ...options, sha256 })).toEqual(verifyRequest(request, options));
  });
});
