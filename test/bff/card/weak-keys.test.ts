import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  ED25519_SMALL_ORDER_ENCODINGS,
  base64urlDecode,
  base64urlEncode,
  decodeCredential,
  fromHex,
  sign1Decode,
  toHex,
  tweetnaclEd25519,
  verifyCode,
} from '@eid/shared';
import { loadConfig } from '@eid/bff/config';
import { createKeyStore } from '@eid/bff/infra/keystore';
import { createLogger } from '@eid/bff/infra/logger';
import { announceTrustRoot } from '@eid/bff/server';
import { TRUST_ROOT_KID } from '@eid/bff/modules/trust/trust.types';
import { startStack, type Stack } from '../../helpers/stack';
import { enroll, freshPerson } from '../../helpers/identity';
import { FORGED_SIGNATURE, NEUTRAL_POINT, codeWithSignature, credentialBoundTo } from '../../shared/forge';
import {
  ed25519,
  holderWithCard,
  offlineLists,
  staffToken,
  v1CredentialOf,
  type Holder,
} from '../../helpers/card-flow';

const DOCS = join(__dirname, '..', '..', '..', 'docs', 'formats');
const NON_CANONICAL = [`ee${'ff'.repeat(30)}7f`, `ed${'ff'.repeat(30)}7f`, `01${'00'.repeat(30)}80`];

describe('issue 10: small-order and non-canonical Ed25519 keys are refused everywhere', () => {
  let stack: Stack;
  let token: string;
  let holder: Holder;
  beforeAll(async () => {
    stack = await startStack();
    ({ token } = await enroll(stack, freshPerson()));
    holder = await holderWithCard(stack);
  });
  afterAll(async () => {
    await stack.stop();
  });

  const issueWith = (devicePublicKey: Uint8Array, signature = FORGED_SIGNATURE) =>
    stack.api('POST', '/api/v1/card/issue', {
      token,
      body: {
        devicePublicKey: base64urlEncode(devicePublicKey),
        deviceProof: { at: stack.clock.now(), signature: base64urlEncode(signature) },
      },
    });

  it('when a resident asks for a card for the neutral point with the constant proof (the repro), then 400 DEVICE_KEY_INVALID weak_key and no card', async () => {
    const res = await issueWith(NEUTRAL_POINT);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'DEVICE_KEY_INVALID', details: { reason: 'weak_key' } });
    const card = await stack.api('GET', '/api/v1/card', { token });
    expect(card.body.code).toBe('CARD_NOT_FOUND');
  });

  it.each([...ED25519_SMALL_ORDER_ENCODINGS, ...NON_CANONICAL])(
    'when the device key is %s, then issuance refuses it as weak_key',
    async (hex) => {
      const res = await issueWith(fromHex(hex));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'DEVICE_KEY_INVALID', details: { reason: 'weak_key' } });
    },
  );

  /** A genuine card's credential re-signed by this node's issuer key, bound to the neutral point instead. */
  function forgedCode(): string {
    // A v1 credential: the v2 encoder, like the BFF, refuses to bind one to a weak key at all.
    const { kid, claims } = decodeCredential(v1CredentialOf(stack, holder));
    const credential = credentialBoundTo(kid, claims, NEUTRAL_POINT, (tbs) =>
      stack.deps.keys.signAsIssuer(kid, tbs),
    );
    return codeWithSignature(credential, stack.clock.now());
  }

  it('when a staff terminal checks a code of a credential bound to the neutral point, then the online verifier answers bad_signature and discloses nothing', async () => {
    const staff = await staffToken(stack);
    for (let i = 0; i < 2; i++) {
      const res = await stack.api('POST', '/api/v1/verify', {
        token: staff,
        body: { code: forgedCode(), purpose: 'hotel_check_in' },
      });
      expect(res.status).toBe(200);
      expect(res.body.verdict).toBe('bad_signature');
      expect(res.body.card).toBeUndefined();
    }
  });

  it.each([
    ['tweetnacl', tweetnaclEd25519],
    ['node:crypto', ed25519],
  ])(
    'when an offline terminal (%s) checks that forged code with the lists it downloaded, then bad_signature',
    async (_name, ed) => {
      const { trustList, statusLists } = await offlineLists(stack);
      const result = verifyCode(forgedCode(), {
        trustList,
        statusLists,
        clock: stack.clock,
        ed25519: ed,
        maxStatusAgeMs: 3_600_000,
      });
      expect(result.verdict).toBe('bad_signature');
      expect(result.claims).toBeUndefined();
    },
  );
});

describe('issue 10: the published formats say what the server does', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });

  const trustListPage = readFileSync(join(DOCS, 'trust-list.md'), 'utf8');
  const quotedEtagOf = (bytes: Uint8Array) =>
    `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`;

  it('when the development root public key is read from trust-list.md, then it is the one the development key store derives, from the documented seed', () => {
    const documented = /development root public key[\s\S]*?`([0-9a-f]{64})`/i.exec(trustListPage)?.[1];
    const seed = /development root seed[\s\S]*?`([0-9a-f]{64})`/i.exec(trustListPage)?.[1];
    const keys = createKeyStore(loadConfig({ NODE_ENV: 'test' }), stack.clock);
    expect(documented).toBe(toHex(keys.trustRootPublicKey()));
    expect(documented).toBe(toHex(stack.deps.keys.trustRootPublicKey()));
    expect(seed).toBe(createHmac('sha256', 'eid-DEVELOPMENT-ONLY-keys').update('trust-root').digest('hex'));
    expect(toHex(tweetnaclEd25519.keyPairFromSeed(fromHex(seed!)).publicKey)).toBe(documented);
  });

  it('when the BFF boots, then its log names the trust root public key a verifier pins', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    announceTrustRoot(stack.deps.keys, createLogger('info', sink));
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ kid: 'root', publicKey: toHex(stack.deps.keys.trustRootPublicKey()) }),
    ]);
  });

  it('when the trust list is downloaded, then its protected kid is the documented "root" and its ETag is the documented digest prefix', async () => {
    const res = await stack.api('GET', '/api/v1/trust-list');
    const bytes = base64urlDecode(res.body.trustList);
    expect(sign1Decode(bytes).kid).toBe(TRUST_ROOT_KID);
    expect(trustListPage).toContain(`protected \`kid\` \`"${TRUST_ROOT_KID}"\``);
    expect(res.headers.get('etag')).toBe(quotedEtagOf(bytes));
  });

  it('when a status list is downloaded, then its ETag is the first 27 characters of the base64url SHA-256 of its bytes, quoted, and answers 304', async () => {
    const kid = stack.deps.keys.activeIssuerKid();
    const res = await stack.api('GET', `/api/v1/status-lists/${kid}`);
    const etag = res.headers.get('etag')!;
    expect(etag).toBe(quotedEtagOf(base64urlDecode(res.body.statusList)));
    expect(readFileSync(join(DOCS, 'status-list.md'), 'utf8')).toContain('first 27 characters');
    const again = await stack.api('GET', `/api/v1/status-lists/${kid}`, {
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
  });
});
