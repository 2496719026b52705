import { createHmac } from 'node:crypto';
import {
  contentDigest,
  fromHex,
  requestSignatureBase,
  tweetnaclEd25519,
  utf8Encode,
  verifyContentDigest,
  verifyRequest,
} from '@eid/shared';
import { createNodeEd25519 } from '../../../bff/src/infra/ed25519';
import { HTTP_SIGNATURE_VECTORS, vectorRequest } from './vectors';

const { rfc9421, rfc9530 } = HTTP_SIGNATURE_VECTORS;
const implementations = [
  ['tweetnacl', tweetnaclEd25519],
  ['node:crypto', createNodeEd25519()],
] as const;

function withSignature(section: string) {
  const s = rfc9421.signatures.find((x) => x.section === section)!;
  const headers: Record<string, string> = { ...rfc9421.request.headers, 'signature-input': s.signatureInput };
  if (s.signature) headers.signature = s.signature;
  return { s, request: vectorRequest({ ...rfc9421.request, headers }) };
}

describe('RFC 9421 Appendix B', () => {
  test('when the B.1.4 key is read from its PEM, then its seed and public key are the vector ones', () => {
    const key = rfc9421.keys['test-key-ed25519'];
    const pkcs8 = Uint8Array.from(atob(key.pkcs8Pem), (c) => c.charCodeAt(0));
    const spki = Uint8Array.from(atob(key.spkiPem), (c) => c.charCodeAt(0));
    expect(Array.from(pkcs8.subarray(16))).toEqual(Array.from(fromHex(key.seed)));
    expect(Array.from(spki.subarray(12))).toEqual(Array.from(fromHex(key.publicKey)));
    expect(tweetnaclEd25519.keyPairFromSeed(fromHex(key.seed)).publicKey).toEqual(fromHex(key.publicKey));
  });

  test.each(rfc9421.signatures.map((s) => [s.section, s] as const))(
    'when the signature base of %s is rebuilt, then it is the RFC text byte for byte',
    (section) => {
      const { s, request } = withSignature(section);
      expect(requestSignatureBase(request, s.label)).toBe(s.signatureBase);
    },
  );

  test.each(implementations)(
    'when B.2.6 is signed with test-key-ed25519 through %s, then the signature is the RFC one byte for byte',
    (_name, ed) => {
      const { s, request } = withSignature('B.2.6');
      const pair = ed.keyPairFromSeed(fromHex(rfc9421.keys['test-key-ed25519'].seed));
      const signature = ed.sign(pair.secretKey, utf8Encode(requestSignatureBase(request, s.label)));
      expect(`${s.label}=:${btoa(String.fromCharCode(...signature))}:`).toBe(s.signature);
    },
  );

  test('when B.2.5 is signed with HMAC-SHA256 and the shared secret, then the base we build gives the RFC MAC', () => {
    const { s, request } = withSignature('B.2.5');
    const secret = Buffer.from(rfc9421.keys['test-shared-secret'].base64, 'base64');
    const mac = createHmac('sha256', secret).update(requestSignatureBase(request, s.label)).digest('base64');
    expect(`${s.label}=:${mac}:`).toBe(s.signature);
  });

  test.each(implementations)(
    'when B.2.6 is verified through %s with the RFC policy (no nonce, no required coverage), then it is accepted',
    (_name, ed) => {
      const { request } = withSignature('B.2.6');
      const result = verifyRequest(request, {
        resolveKey: (kid) =>
          kid === 'test-key-ed25519' ? { publicKey: fromHex(rfc9421.keys[kid].publicKey) } : undefined,
        now: 1618884473_000,
        requiredComponents: [],
        requireNonce: false,
        verify: ed,
      });
      expect(result).toMatchObject({
        ok: true,
        label: 'sig-b26',
        keyId: 'test-key-ed25519',
        created: 1618884473,
      });
    },
  );

  test('when B.2.6 meets our profile, then it is refused for its missing nonce, then for its coverage', () => {
    const { request } = withSignature('B.2.6');
    const options = {
      resolveKey: () => ({ publicKey: fromHex(rfc9421.keys['test-key-ed25519'].publicKey) }),
      now: 1618884473_000,
    };
    expect(verifyRequest(request, options)).toMatchObject({ ok: false, reason: 'missing_nonce' });
    expect(verifyRequest(request, { ...options, requireNonce: false })).toMatchObject({
      ok: false,
      reason: 'missing_component',
      detail: 'the signature does not cover @target-uri',
    });
  });
});

describe('RFC 9530 Content-Digest', () => {
  const body = utf8Encode(rfc9530.body);

  test('when the test body is digested, then sha-256 and sha-512 are the RFC values', () => {
    expect(contentDigest(body)).toBe(rfc9530['sha-256']);
    expect(contentDigest(body, ['sha-512'])).toBe(rfc9530['sha-512']);
    expect(contentDigest(body, ['sha-256', 'sha-512'])).toBe(`${rfc9530['sha-256']}, ${rfc9530['sha-512']}`);
  });

  test('when the RFC digests are checked against the body, then each passes and names its algorithm', () => {
    expect(verifyContentDigest(rfc9530['sha-256'], body)).toEqual({ ok: true, algorithms: ['sha-256'] });
    expect(verifyContentDigest(rfc9530['sha-512'], body)).toEqual({ ok: true, algorithms: ['sha-512'] });
  });
});
