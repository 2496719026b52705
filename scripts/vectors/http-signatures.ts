/**
 * http-signatures.json (docs/formats/http-signatures.md): RFC 9421 Appendix B's test request, key and
 * signatures (copied from the RFC; B.2.6 is ed25519, deterministic, so our signer must reproduce it), RFC
 * 9530's digests of its body, derived component values, and our profile's own signed requests with one
 * refused variant per reason. Written by `npx tsx scripts/vectors/http-signatures.ts`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as prettier from 'prettier';
import {
  base64DecodeStrict,
  base64Encode,
  base64urlEncode,
  componentValue,
  contentDigest,
  ED25519_SMALL_ORDER_ENCODINGS,
  fromHex,
  requestSignatureBase,
  serializeSfMember,
  sha256,
  signatureBase,
  signRequest,
  toHex,
  tweetnaclEd25519 as ed,
  utf8Encode,
  DERIVED_COMPONENTS,
  type HeaderBag,
  type SfInnerList,
} from '@eid/shared';
import { keyJson, keyOf, T0 } from './fixture';

const RFC_REQUEST = {
  method: 'POST',
  url: 'https://example.com/foo?param=Value&Pet=dog',
  headers: {
    host: 'example.com',
    date: 'Tue, 20 Apr 2021 02:07:55 GMT',
    'content-type': 'application/json',
    'content-digest':
      'sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:',
    'content-length': '18',
  },
  body: '{"hello": "world"}',
};

// Signature-Input, signature base and Signature of RFC 9421 B.2.1, B.2.3, B.2.5 and B.2.6, as the RFC prints them (RSA-PSS ones are randomised, so
// only their bases are checkable; B.2.2 uses @query-param, which we do not derive, and B.2.4 is a response).
const RFC_SIGNATURES = [
  {
    section: 'B.2.1',
    signatureBase:
      '"@signature-params": ();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd"',
    label: 'sig-b21',
    alg: 'rsa-pss-sha512',
    signatureInput: 'sig-b21=();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd"',
  },
  {
    section: 'B.2.3',
    signatureBase:
      '"date": Tue, 20 Apr 2021 02:07:55 GMT\n"@method": POST\n"@path": /foo\n"@query": ?param=Value&Pet=dog\n"@authority": example.com\n"content-type": application/json\n"content-digest": sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:\n"content-length": 18\n"@signature-params": ("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-rsa-pss"',
    label: 'sig-b23',
    alg: 'rsa-pss-sha512',
    signatureInput:
      'sig-b23=("date" "@method" "@path" "@query" "@authority" "content-type" "content-digest" "content-length");created=1618884473;keyid="test-key-rsa-pss"',
  },
  {
    section: 'B.2.5',
    signatureBase:
      '"date": Tue, 20 Apr 2021 02:07:55 GMT\n"@authority": example.com\n"content-type": application/json\n"@signature-params": ("date" "@authority" "content-type");created=1618884473;keyid="test-shared-secret"',
    label: 'sig-b25',
    alg: 'hmac-sha256',
    signatureInput:
      'sig-b25=("date" "@authority" "content-type");created=1618884473;keyid="test-shared-secret"',
    signature: 'sig-b25=:pxcQw6G3AjtMBQjwo8XzkZf/bws5LelbaMk5rGIGtE8=:',
  },
  {
    section: 'B.2.6',
    signatureBase:
      '"date": Tue, 20 Apr 2021 02:07:55 GMT\n"@method": POST\n"@path": /foo\n"@authority": example.com\n"content-type": application/json\n"content-length": 18\n"@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"',
    label: 'sig-b26',
    alg: 'ed25519',
    signatureInput:
      'sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"',
    signature:
      'sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:',
  },
];

const RFC_ED25519_SEED = '9f8362f87a484a954e6e740c5b4c0e84229139a20aa8ab56ff66586f6a7d29c5';

function rfcVectors() {
  const pair = ed.keyPairFromSeed(fromHex(RFC_ED25519_SEED));
  return {
    source:
      'RFC 9421 Appendix B: B.1.4 test-key-ed25519, B.1.5 test-shared-secret, B.2 test-request, B.2.x signatures',
    keys: {
      'test-key-ed25519': {
        pkcs8Pem: 'MC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF',
        spkiPem: 'MCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=',
        seed: RFC_ED25519_SEED,
        publicKey: toHex(pair.publicKey),
      },
      'test-shared-secret': {
        base64: 'uzvJfB4u3N0Jy4T7NZ75MDVcr8zSTInedJtkgcu46YW4XByzNJjxBdtjUkdJPBtbmHhIDi6pcl8jsasjlTMtDQ==',
      },
    },
    request: RFC_REQUEST,
    signatures: RFC_SIGNATURES.map((s) => {
      const ours = requestSignatureBase(
        { ...RFC_REQUEST, headers: { ...RFC_REQUEST.headers, 'signature-input': s.signatureInput } },
        s.label,
      );
      if (ours !== s.signatureBase) throw new Error(`our signature base differs from RFC 9421 ${s.section}`);
      return { ...s, created: 1618884473 };
    }),
  };
}

// RFC 9421 section 2.2's example request, with the values its subsections print.
const RFC_COMPONENTS = {
  method: 'POST',
  url: 'https://www.example.com/path?param=value',
  headers: {},
  values: {
    '@method': 'POST',
    '@target-uri': 'https://www.example.com/path?param=value',
    '@authority': 'www.example.com',
    '@scheme': 'https',
    '@request-target': '/path?param=value',
    '@path': '/path',
    '@query': '?param=value',
  },
};

function componentVectors() {
  for (const [c, v] of Object.entries(RFC_COMPONENTS.values)) same(componentValue(RFC_COMPONENTS, c), v);
  const requests = [
    { method: 'GET', url: 'https://www.example.com/path?queryString', headers: {} },
    { method: 'GET', url: 'https://www.example.com/path', headers: {} },
    { method: 'GET', url: 'https://EID.Example.cn:443/api/v1/x?a=%E5%85%A5%E4%BD%8F&b', headers: {} },
    { method: 'POST', url: 'http://127.0.0.1:8080', headers: {} },
  ];
  const header = {
    method: 'GET',
    url: 'https://example.com/',
    headers: {
      'Cache-Control': ['  max-age=60 ', 'must-revalidate'],
      'X-Folded': 'one,\r\n  two',
    } as HeaderBag,
  };
  return [
    { source: 'RFC 9421 section 2.2', ...RFC_COMPONENTS },
    ...requests.map((r) => ({
      source: 'ours',
      ...r,
      values: Object.fromEntries(DERIVED_COMPONENTS.map((c) => [c, componentValue(r, c)])),
    })),
    {
      source: 'ours',
      ...header,
      values: {
        'cache-control': componentValue(header, 'cache-control'),
        'x-folded': componentValue(header, 'x-folded'),
      },
    },
  ];
}

const rp = keyOf('http-signatures relying party');
const retired = keyOf('http-signatures retired relying-party key');
const RP_KID = 'rp-example-2026-1';
const RETIRED_KID = 'rp-example-2025-1';
const CREATED = T0 / 1000;
const nonceOf = (n: number) =>
  base64urlEncode(sha256(utf8Encode(`eid test vector nonce: ${n}`)).subarray(0, 16));
const sign = (secretKey: Uint8Array) => (m: Uint8Array) => ed.sign(secretKey, m);

interface VectorRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

function signed(
  r: VectorRequest,
  extra: { nonce?: string; components?: string[]; keyId?: string; secretKey?: Uint8Array },
) {
  const out = signRequest({
    ...r,
    body: utf8Encode(r.body),
    keyId: extra.keyId ?? RP_KID,
    sign: sign(extra.secretKey ?? rp.pair.secretKey),
    created: CREATED,
    nonce: extra.nonce ?? nonceOf(1),
    ...(extra.components && { components: extra.components }),
  });
  return { ...r, headers: { ...r.headers, ...out } };
}

/** Signs what signRequest would refuse to produce (no nonce, a digest of our choosing), as a lax signer would. */
function signedRaw(r: VectorRequest, headers: Record<string, string>, nonce: string | undefined) {
  const params = new Map([
    ['created', { type: 'integer' as const, value: CREATED }],
    ['keyid', { type: 'string' as const, value: RP_KID }],
    ['alg', { type: 'string' as const, value: 'ed25519' }],
  ]);
  if (nonce !== undefined) params.set('nonce', { type: 'string', value: nonce });
  const input: SfInnerList = {
    kind: 'inner-list',
    items: ['@method', '@target-uri', 'content-digest', 'content-type'].map((value) => ({
      kind: 'item' as const,
      value: { type: 'string' as const, value },
      params: new Map(),
    })),
    params,
  };
  const request = { ...r, headers: { ...r.headers, ...headers } };
  const signature = ed.sign(rp.pair.secretKey, utf8Encode(signatureBase(request, input)));
  return {
    ...request,
    headers: {
      ...request.headers,
      'signature-input': `sig1=${serializeSfMember(input)}`,
      signature: `sig1=:${base64Encode(signature)}:`,
    },
  };
}

function profileVectors() {
  const post: VectorRequest = {
    method: 'POST',
    url: 'https://eid.example.cn/api/v1/rp/verify',
    headers: { 'content-type': 'application/json' },
    body: '{"code":"EID1:EXAMPLE","purpose":"hotel_check_in","note":"入住登记"}',
  };
  const get: VectorRequest = {
    method: 'GET',
    url: 'https://licence.example.cn/documents?types=driving_licence,passport',
    headers: {},
    body: '',
  };
  const example = (name: string, r: VectorRequest, nonce: string) => {
    const s = signed(r, { nonce });
    const input = { ...r, headers: s.headers };
    return {
      name,
      request: r,
      keyId: RP_KID,
      created: CREATED,
      nonce,
      expected: {
        'content-digest': s.headers['content-digest'],
        'signature-input': s.headers['signature-input'],
        signatureBase: requestSignatureBase(input, 'sig1'),
        signature: s.headers.signature,
      },
    };
  };

  const good = signed(post, { nonce: nonceOf(1) });
  const now = T0;
  const withHeaders = (h: Record<string, string>) => ({ ...good, headers: h });
  const drop = (...names: string[]) =>
    Object.fromEntries(Object.entries(good.headers).filter(([k]) => !names.includes(k)));

  // A non-canonical copy of the good signature: S + L still verifies in a lax implementation.
  const sig = good.headers.signature;
  const sBytes = base64DecodeStrict(sig.slice('sig1=:'.length, -1))!;
  const L = fromHex('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010');
  let carry = 0;
  for (let i = 0; i < 32; i++) {
    const v = sBytes[32 + i]! + L[i]! + carry;
    sBytes[32 + i] = v & 0xff;
    carry = v >> 8;
  }
  const nonCanonical = `sig1=:${base64Encode(sBytes)}:`;
  const identity = ED25519_SMALL_ORDER_ENCODINGS[0]!;
  const forged = `sig1=:${base64Encode(fromHex(identity + '00'.repeat(32)))}:`;

  const rejections = [
    {
      name: 'no signature fields',
      request: withHeaders(drop('signature', 'signature-input')),
      reason: 'missing_signature',
    },
    {
      name: 'Signature-Input cut short',
      request: withHeaders({
        ...good.headers,
        'signature-input': good.headers['signature-input'].slice(0, 30),
      }),
      reason: 'malformed_signature',
    },
    {
      name: 'signature byte sequence without padding',
      request: withHeaders({ ...good.headers, signature: good.headers.signature.replace('==:', ':') }),
      reason: 'malformed_signature',
    },
    {
      name: 'Signature-Input names one label twice',
      request: withHeaders({
        ...good.headers,
        'signature-input': `${good.headers['signature-input']}, sig1=("@method");created=${CREATED};keyid="${RP_KID}"`,
      }),
      reason: 'malformed_signature',
    },
    {
      name: 'unknown keyid',
      request: signed(post, { keyId: 'rp-nobody-1', secretKey: rp.pair.secretKey }),
      reason: 'unknown_key',
    },
    {
      name: 'retired key',
      request: signed(post, { keyId: RETIRED_KID, secretKey: retired.pair.secretKey }),
      reason: 'retired_key',
    },
    { name: 'method changed to PUT', request: { ...good, method: 'PUT' }, reason: 'bad_signature' },
    {
      name: 'target changed',
      request: { ...good, url: 'https://eid.example.cn/api/v1/rp/verify?again=1' },
      reason: 'bad_signature',
    },
    {
      name: 'content-type changed',
      request: withHeaders({ ...good.headers, 'content-type': 'text/plain' }),
      reason: 'bad_signature',
    },
    {
      name: 'non-canonical signature (S + L)',
      request: withHeaders({ ...good.headers, signature: nonCanonical }),
      reason: 'bad_signature',
    },
    {
      name: 'small-order key and R with S = 0 (verifies in cofactorless RFC 8032 for any message)',
      request: signed(post, { keyId: 'rp-small-order', secretKey: rp.pair.secretKey }),
      replaceSignature: forged,
      reason: 'bad_signature',
    },
    {
      name: 'created 6 minutes before the verifier clock',
      request: good,
      now: now + 6 * 60_000,
      reason: 'created_out_of_window',
    },
    {
      name: 'created 6 minutes after the verifier clock',
      request: good,
      now: now - 6 * 60_000,
      reason: 'created_out_of_window',
    },
    {
      name: 'content-digest not covered',
      request: signed(post, { components: ['@method', '@target-uri', 'content-type'] }),
      reason: 'missing_component',
    },
    {
      name: 'body changed after signing',
      request: { ...good, body: good.body.replace('hotel_check_in', 'bank_account') },
      reason: 'digest_mismatch',
    },
    {
      name: 'Content-Digest with only an algorithm we do not accept',
      request: signedRaw(post, { 'content-digest': 'md5=:ICbmT1c4ubmrm+N45+eZ9Q==:' }, nonceOf(1)),
      reason: 'digest_mismatch',
    },
    {
      name: 'no nonce',
      request: signedRaw(post, { 'content-digest': contentDigest(utf8Encode(post.body)) }, undefined),
      reason: 'missing_nonce',
    },
  ];

  return {
    keys: [
      { keyId: RP_KID, ...keyJson(rp), retired: false },
      { keyId: RETIRED_KID, ...keyJson(retired), retired: true },
      {
        keyId: 'rp-small-order',
        publicKey: identity,
        retired: false,
        note: 'a small-order key nobody should register',
      },
    ],
    now,
    examples: [
      example('POST with a JSON body', post, nonceOf(1)),
      example('GET without a body', get, nonceOf(2)),
    ],
    rejections: rejections.map(({ replaceSignature, ...c }) => {
      const headers: Record<string, string> = { ...c.request.headers };
      if (replaceSignature) headers.signature = replaceSignature;
      return { ...c, request: { ...c.request, headers }, now: c.now ?? now };
    }),
  };
}

const RFC9530_SHA256 = 'sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:';
const RFC9530_SHA512 =
  'sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:';

function same(ours: string, published: string): string {
  if (ours !== published) throw new Error(`our value ${ours} differs from the published ${published}`);
  return published;
}

export function httpSignatureVectors() {
  const body = utf8Encode(RFC_REQUEST.body);
  return {
    description:
      'HTTP Message Signatures (RFC 9421, ed25519) and Content-Digest (RFC 9530) as docs/formats/http-signatures.md profiles them. Bodies are UTF-8 text; times are epoch seconds (created) and ms (now). Never use these keys.',
    rfc9421: rfcVectors(),
    rfc9530: {
      source: 'RFC 9530 section 2 examples; the B.2 test-request body of RFC 9421',
      body: RFC_REQUEST.body,
      'sha-256': same(contentDigest(body, ['sha-256']), RFC9530_SHA256),
      'sha-512': same(contentDigest(body, ['sha-512']), RFC9530_SHA512),
    },
    components: componentVectors(),
    profile: profileVectors(),
  };
}

async function main(): Promise<void> {
  const file = join(__dirname, '..', '..', 'docs', 'formats', 'vectors', 'http-signatures.json');
  mkdirSync(join(file, '..'), { recursive: true });
  const config = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(
    file,
    await prettier.format(JSON.stringify(httpSignatureVectors()), { ...config, parser: 'json' }),
  );
  console.log(`wrote ${file}`);
}

if (require.main === module) void main();
