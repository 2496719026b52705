/**
 * webhooks.json (docs/formats/webhooks.md): RFC 4231's HMAC-SHA256 cases, a fixed `whsec_` secret (and a
 * second one for rotation), a fixed callback key, and a callback signed with them, with every intermediate
 * value; then receiver cases (header set, body, clock → answer). Written by `npx tsx scripts/vectors/webhooks.ts`;
 * test/shared/webhooks/vectors.test.ts recomputes it and fails on drift.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  base64Encode,
  CALLBACK_RETRY_SCHEDULE_MS,
  encodeWebhookPublicKey,
  encodeWebhookSecret,
  fromHex,
  hmacSha256,
  parseWebhookPublicKey,
  parseWebhookSecret,
  sha256,
  signWebhook,
  toHex,
  tweetnaclEd25519 as ed,
  utf8Decode,
  utf8Encode,
  verifyWebhook,
  webhookSignedContent,
  type CallbackEvent,
} from '@eid/shared';
import { keyJson, keyOf, T0 } from './fixture';

const hex = (text: string) => toHex(utf8Encode(text));
const repeat = (byte: number, n: number) => toHex(new Uint8Array(n).fill(byte));

// RFC 4231 section 4 (case 5 is truncated to 128 bits there and left out here).
const RFC4231 = [
  {
    case: 1,
    key: repeat(0x0b, 20),
    data: hex('Hi There'),
    hmac: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
  },
  {
    case: 2,
    key: hex('Jefe'),
    data: hex('what do ya want for nothing?'),
    hmac: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
  },
  {
    case: 3,
    key: repeat(0xaa, 20),
    data: repeat(0xdd, 50),
    hmac: '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe',
  },
  {
    case: 4,
    key: toHex(Uint8Array.from({ length: 25 }, (_, i) => i + 1)),
    data: repeat(0xcd, 50),
    hmac: '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b',
  },
  {
    case: 6,
    key: repeat(0xaa, 131),
    data: hex('Test Using Larger Than Block-Size Key - Hash Key First'),
    hmac: '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
  },
  {
    case: 7,
    key: repeat(0xaa, 131),
    data: hex(
      'This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.',
    ),
    hmac: '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
  },
];

const secretOf = (label: string) => encodeWebhookSecret(sha256(utf8Encode(`eid test vector seed: ${label}`)));
export const WEBHOOK_SECRET = secretOf('webhook secret 1');
export const WEBHOOK_SECRET_NEXT = secretOf('webhook secret 2');
export const CALLBACK_KEY = keyOf('callback key 1');
export const CALLBACK_KEY_NEXT = keyOf('callback key 2');
export const WEBHOOK_ID = 'evt_3mQ8kZP1vR7xT2nW5yB9cD';
export const WEBHOOK_TIMESTAMP_S = T0 / 1000;

const event: CallbackEvent = {
  type: 'consent.approved',
  timestamp: new Date(T0).toISOString(),
  data: {
    consentId: 'cns_Jm2q7wXc4kP9sT1vB6nY0a',
    reference: 'A1024',
    state: 'approved',
    subject: 'ps_Q3k9',
  },
};
// The bytes exactly as sent (compact JSON). The second body carries Chinese, so a receiver that signs a
// re-encoded string instead of the received bytes finds out.
export const WEBHOOK_BODY = JSON.stringify(event);
const CHINESE_BODY = JSON.stringify({ ...event, data: { ...event.data, reference: '入住登记A1024' } });

const signer = (k: typeof CALLBACK_KEY) => (m: Uint8Array) => ed.sign(k.pair.secretKey, m);

function signed(body: string, secrets: string[], keys: (typeof CALLBACK_KEY)[]) {
  return signWebhook({
    id: WEBHOOK_ID,
    timestampS: WEBHOOK_TIMESTAMP_S,
    body,
    secrets,
    signers: keys.map(signer),
  });
}

const headersOf = (signature: string, timestampS = WEBHOOK_TIMESTAMP_S, id = WEBHOOK_ID) => ({
  'webhook-id': id,
  'webhook-timestamp': String(timestampS),
  'webhook-signature': signature,
});

function receiverCases() {
  const both = signed(WEBHOOK_BODY, [WEBHOOK_SECRET], [CALLBACK_KEY]);
  const rotation = signed(
    WEBHOOK_BODY,
    [WEBHOOK_SECRET_NEXT, WEBHOOK_SECRET],
    [CALLBACK_KEY_NEXT, CALLBACK_KEY],
  );
  const [v1, v1a] = both.split(' ') as [string, string];
  const cases: {
    note: string;
    headers: Record<string, string>;
    body: string;
    nowMs: number;
    secrets: string[];
    publicKeys: string[];
  }[] = [
    {
      note: 'v1 and v1a; the secret checks v1',
      headers: headersOf(both),
      body: WEBHOOK_BODY,
      nowMs: T0,
      secrets: [WEBHOOK_SECRET],
      publicKeys: [],
    },
    {
      note: 'v1a only checked (receiver holds the public key only)',
      headers: headersOf(both),
      body: WEBHOOK_BODY,
      nowMs: T0,
      secrets: [],
      publicKeys: [encodeWebhookPublicKey(CALLBACK_KEY.pair.publicKey)],
    },
    {
      note: 'rotation: new and old signatures side by side; a receiver still on the old secret accepts',
      headers: headersOf(rotation),
      body: WEBHOOK_BODY,
      nowMs: T0,
      secrets: [WEBHOOK_SECRET],
      publicKeys: [],
    },
    {
      note: 'rotation: a receiver on the new key only accepts',
      headers: headersOf(rotation),
      body: WEBHOOK_BODY,
      nowMs: T0,
      secrets: [],
      publicKeys: [encodeWebhookPublicKey(CALLBACK_KEY_NEXT.pair.publicKey)],
    },
    {
      note: 'UTF-8 body (Chinese reference)',
      headers: headersOf(signed(CHINESE_BODY, [WEBHOOK_SECRET], [])),
      body: CHINESE_BODY,
      nowMs: T0,
      secrets: [WEBHOOK_SECRET],
      publicKeys: [],
    },
    {
      note: 'header names in any case',
      headers: {
        'Webhook-Id': WEBHOOK_ID,
        'WEBHOOK-TIMESTAMP': String(WEBHOOK_TIMESTAMP_S),
        'Webhook-Signature': v1,
      },
      body: WEBHOOK_BODY,
      nowMs: T0,
      secrets: [WEBHOOK_SECRET],
      publicKeys: [],
    },
    {
      note: 'unknown version tags and junk entries are skipped',
      headers: headersOf(`v2,AAAA v1,notbase64 junk ${v1}`),
      body: WEBHOOK_BODY,
      nowMs: T0,
      secrets: [WEBHOOK_SECRET],
      publicKeys: [],
    },
    {
      note: 'exactly 300 s old: still accepted',
      headers: headersOf(v1),
      body: WEBHOOK_BODY,
      nowMs: T0 + 300_000,
      secrets: [WEBHOOK_SECRET],
      publicKeys: [],
    },
    {
      note: '301 s old',
      headers: headersOf(v1),
      body: WEBHOOK_BODY,
      nowMs: T0 + 301_000,
      secrets: [WEBHOOK_SECRET],
      publicKeys: [],
    },
    {
      note: '301 s in the future',
      headers: headersOf(v1),
      body: WEBHOOK_BODY,
      nowMs: T0 - 301_000,
      secrets: [WEBHOOK_SECRET],
      publicKeys: [],
    },
    {
      note: 'body changed by one byte',
      headers: headersOf(both),
      body: WEBHOOK_BODY.replace('A1024', 'A1025'),
      nowMs: T0,
      secrets: [WEBHOOK_SECRET],
      publicKeys: [encodeWebhookPublicKey(CALLBACK_KEY.pair.publicKey)],
    },
    {
      note: 'timestamp changed (signature kept)',
      headers: headersOf(both, WEBHOOK_TIMESTAMP_S + 1),
      body: WEBHOOK_BODY,
      nowMs: T0,
      secrets: [WEBHOOK_SECRET],
      publicKeys: [encodeWebhookPublicKey(CALLBACK_KEY.pair.publicKey)],
    },
    {
      note: 'id changed (signature kept)',
      headers: headersOf(both, WEBHOOK_TIMESTAMP_S, 'evt_other'),
      body: WEBHOOK_BODY,
      nowMs: T0,
      secrets: [WEBHOOK_SECRET],
      publicKeys: [encodeWebhookPublicKey(CALLBACK_KEY.pair.publicKey)],
    },
    {
      note: 'v1a presented as v1 (versions are not interchangeable)',
      headers: headersOf(v1a.replace('v1a,', 'v1,')),
      body: WEBHOOK_BODY,
      nowMs: T0,
      secrets: [WEBHOOK_SECRET],
      publicKeys: [encodeWebhookPublicKey(CALLBACK_KEY.pair.publicKey)],
    },
    {
      note: 'another secret',
      headers: headersOf(v1),
      body: WEBHOOK_BODY,
      nowMs: T0,
      secrets: [WEBHOOK_SECRET_NEXT],
      publicKeys: [],
    },
    {
      note: 'timestamp in milliseconds instead of seconds: far in the future',
      headers: headersOf(v1, T0),
      body: WEBHOOK_BODY,
      nowMs: T0,
      secrets: [WEBHOOK_SECRET],
      publicKeys: [],
    },
    {
      note: 'timestamp not a decimal integer',
      headers: { ...headersOf(v1), 'webhook-timestamp': '1.795e9' },
      body: WEBHOOK_BODY,
      nowMs: T0,
      secrets: [WEBHOOK_SECRET],
      publicKeys: [],
    },
    {
      note: 'signature header without any entry',
      headers: headersOf('   '),
      body: WEBHOOK_BODY,
      nowMs: T0,
      secrets: [WEBHOOK_SECRET],
      publicKeys: [],
    },
    {
      note: 'webhook-signature missing',
      headers: { 'webhook-id': WEBHOOK_ID, 'webhook-timestamp': String(WEBHOOK_TIMESTAMP_S) },
      body: WEBHOOK_BODY,
      nowMs: T0,
      secrets: [WEBHOOK_SECRET],
      publicKeys: [],
    },
  ];
  return cases.map((c) => {
    const answer = verifyWebhook(c.headers, c.body, {
      secrets: c.secrets,
      publicKeys: c.publicKeys.map((k) => parseWebhookPublicKey(k)!),
      nowMs: c.nowMs,
    });
    return {
      ...c,
      expect: answer.ok ? { ok: true, scheme: answer.scheme } : { ok: false, reason: answer.reason },
    };
  });
}

export function webhookVectors() {
  const content = webhookSignedContent(WEBHOOK_ID, WEBHOOK_TIMESTAMP_S, WEBHOOK_BODY);
  const secretBytes = parseWebhookSecret(WEBHOOK_SECRET)!;
  return {
    description:
      'Callback signatures (docs/formats/webhooks.md, Standard Webhooks): HMAC-SHA256 (RFC 4231), a fixed whsec_ secret and Ed25519 callback key, one callback with its signed content and header values, and receiver cases. Hex is lower case; bodies are UTF-8 text. Never use these keys.',
    retryScheduleMs: [...CALLBACK_RETRY_SCHEDULE_MS],
    hmacSha256: RFC4231.map((c) => {
      const computed = toHex(hmacSha256(fromHex(c.key), fromHex(c.data)));
      if (computed !== c.hmac) throw new Error(`RFC 4231 case ${c.case}: our HMAC gives ${computed}`);
      return { source: `RFC 4231 section 4.${c.case + 1}`, ...c };
    }),
    secret: {
      whsec: WEBHOOK_SECRET,
      bytes: toHex(secretBytes),
      seedLabel: 'SHA-256("eid test vector seed: webhook secret 1")',
    },
    nextSecret: { whsec: WEBHOOK_SECRET_NEXT, bytes: toHex(parseWebhookSecret(WEBHOOK_SECRET_NEXT)!) },
    callbackKey: {
      kid: 'cb-1',
      ...keyJson(CALLBACK_KEY),
      whpk: encodeWebhookPublicKey(CALLBACK_KEY.pair.publicKey),
    },
    nextCallbackKey: {
      kid: 'cb-2',
      ...keyJson(CALLBACK_KEY_NEXT),
      whpk: encodeWebhookPublicKey(CALLBACK_KEY_NEXT.pair.publicKey),
    },
    callback: {
      id: WEBHOOK_ID,
      timestampS: WEBHOOK_TIMESTAMP_S,
      body: WEBHOOK_BODY,
      signedContent: utf8Decode(content),
      signedContentHex: toHex(content),
      v1: `v1,${base64Encode(hmacSha256(secretBytes, content))}`,
      v1a: `v1a,${base64Encode(ed.sign(CALLBACK_KEY.pair.secretKey, content))}`,
      header: signed(WEBHOOK_BODY, [WEBHOOK_SECRET], [CALLBACK_KEY]),
      rotationHeader: signed(
        WEBHOOK_BODY,
        [WEBHOOK_SECRET_NEXT, WEBHOOK_SECRET],
        [CALLBACK_KEY_NEXT, CALLBACK_KEY],
      ),
    },
    receiverCases: receiverCases(),
  };
}

async function main(): Promise<void> {
  const file = join(__dirname, '..', '..', 'docs', 'formats', 'vectors', 'webhooks.json');
  mkdirSync(join(file, '..'), { recursive: true });
  // Loaded here, not at the top: jest imports the vectors function and cannot load prettier's ESM parts.
  const prettier = await import('prettier');
  const config = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(file, await prettier.format(JSON.stringify(webhookVectors()), { ...config, parser: 'json' }));
  console.log(`wrote ${file}`);
}

if (require.main === module) void main();
