/**
 * rp-request.json (docs/relying-party.md, "Test vectors"): one fixed relying-party key and four signed
 * requests to the RP API (create a consent request, read it, acknowledge a deletion, verify a code), each with
 * its Content-Digest, signature parameters, signature base and signature, made with shared's signRequest.
 * Written by `npx tsx scripts/vectors/rp-request.ts`; test/mock/relying-party-vectors.test.ts recomputes them
 * with the example hotel's own node:crypto signer.
 */
import { createPrivateKey } from 'node:crypto';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import {
  base64urlEncode,
  signRequest,
  toHex,
  tweetnaclEd25519 as ed,
  utf8Encode,
  requestSignatureBase,
} from '@eid/shared';
import { keyOf } from './fixture';

export const RP_VECTOR_KID = 'hotel-2026-1';
const ORIGIN = 'https://eid.example.cn';
const CREATED = 1795420800; // 2026-11-23T08:00:00Z
const CONSENT_ID = 'bXlfY29uc2VudF9pZF8wMQ';

const REQUESTS = [
  {
    name: 'create a consent request',
    method: 'POST',
    path: '/api/v1/rp/consents',
    body: JSON.stringify({
      purpose: 'hotel_check_in',
      scopes: ['name_masked_id'],
      reason: '入住登记 Check-in',
      retentionDays: 30,
      reference: 'A1001',
    }),
    nonce: 'Zm9yLXRoZS1yZXF1ZXN0LTE',
  },
  {
    name: 'read a consent (GET: the digest of the empty body)',
    method: 'GET',
    path: `/api/v1/rp/consents/${CONSENT_ID}`,
    body: '',
    nonce: 'Zm9yLXRoZS1yZXF1ZXN0LTI',
  },
  {
    name: 'acknowledge a deletion',
    method: 'POST',
    path: `/api/v1/rp/consents/${CONSENT_ID}/deletion-ack`,
    body: JSON.stringify({ deletedAt: 1795420790000, note: '已删除入住登记 #A1001' }),
    nonce: 'Zm9yLXRoZS1yZXF1ZXN0LTM',
  },
  {
    name: 'verify a scanned code',
    method: 'POST',
    path: '/api/v1/rp/verify',
    body: JSON.stringify({ code: 'EID2:EXAMPLE', purpose: 'hotel_check_in' }),
    nonce: 'Zm9yLXRoZS1yZXF1ZXN0LTQ',
  },
];

export function rpRequestVectors() {
  const key = keyOf('relying party hotel-2026-1');
  const pem = createPrivateKey({
    key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(key.seed)]),
    format: 'der',
    type: 'pkcs8',
  })
    .export({ format: 'pem', type: 'pkcs8' })
    .toString();
  return {
    description:
      'Signed requests to the relying-party API (RFC 9421, ed25519, Content-Digest sha-256). Never use this key for anything real.',
    key: {
      kid: RP_VECTOR_KID,
      seed: toHex(key.seed),
      publicKeyHex: toHex(key.pair.publicKey),
      publicKey: base64urlEncode(key.pair.publicKey),
      privateKeyPem: pem,
    },
    requests: REQUESTS.map((r) => {
      const url = `${ORIGIN}${r.path}`;
      const body = utf8Encode(r.body);
      const headers = signRequest({
        method: r.method,
        url,
        headers: {},
        body,
        keyId: RP_VECTOR_KID,
        created: CREATED,
        nonce: r.nonce,
        components: ['@method', '@target-uri', 'content-digest'],
        sign: (m) => ed.sign(key.pair.secretKey, m),
      });
      const signatureBase = requestSignatureBase({ method: r.method, url, headers: { ...headers } }, 'sig1');
      return {
        name: r.name,
        method: r.method,
        url,
        body: r.body,
        created: CREATED,
        nonce: r.nonce,
        keyid: RP_VECTOR_KID,
        contentDigest: headers['content-digest'],
        signatureParams: headers['signature-input'].slice('sig1='.length),
        signatureBase,
        signatureInput: headers['signature-input'],
        signature: headers.signature,
        signatureBase64: headers.signature.slice('sig1=:'.length, -1),
      };
    }),
  };
}

async function main(): Promise<void> {
  // Loaded here, not at the top: the vectors test imports rpRequestVectors, and jest cannot load prettier.
  const prettier = await import('prettier');
  const file = join(__dirname, '..', '..', 'docs', 'formats', 'vectors', 'rp-request.json');
  const config = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(
    file,
    await prettier.format(JSON.stringify(rpRequestVectors()), { ...config, parser: 'json' }),
  );
  console.log(`wrote ${file}`);
}

if (require.main === module) void main();
