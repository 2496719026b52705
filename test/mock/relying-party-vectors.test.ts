import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromHex, utf8Encode, verifyRequest } from '@eid/shared';
import { contentDigestOf, privateKeyFrom, publicKeyOf, signRpRequest } from '@eid/mock';
import { rpRequestVectors } from '../../scripts/vectors/rp-request';

/*
 * docs/formats/vectors/rp-request.json, the vectors docs/relying-party.md gives integrators, checked three
 * ways: the example hotel's own signer (node:crypto only, written from the docs) reproduces every byte;
 * a bare node:crypto verify accepts each signature over its base; and shared's verifyRequest, the BFF's
 * verifier, accepts each request as sent.
 */

interface RequestVector {
  name: string;
  method: string;
  url: string;
  body: string;
  created: number;
  nonce: string;
  keyid: string;
  contentDigest: string;
  signatureParams: string;
  signatureBase: string;
  signatureInput: string;
  signature: string;
  signatureBase64: string;
}

const file = join(__dirname, '..', '..', 'docs', 'formats', 'vectors', 'rp-request.json');
const vectors = JSON.parse(readFileSync(file, 'utf8')) as {
  key: { kid: string; seed: string; publicKeyHex: string; publicKey: string; privateKeyPem: string };
  requests: RequestVector[];
};

describe('relying-party request vectors', () => {
  it('when the generator runs again, then it writes exactly the stored vectors', () => {
    expect(JSON.parse(JSON.stringify(rpRequestVectors()))).toEqual(vectors);
  });

  it('when the key is read from its seed or its PEM, then both give the stated public key', () => {
    for (const source of [vectors.key.seed, vectors.key.privateKeyPem]) {
      const key = privateKeyFrom(source);
      expect(publicKeyOf(key)).toBe(vectors.key.publicKey);
      expect(Buffer.from(publicKeyOf(key), 'base64url').toString('hex')).toBe(vectors.key.publicKeyHex);
    }
  });

  it.each(vectors.requests.map((r) => [r.name, r] as const))(
    'when the hotel signer signs "%s", then digest, parameters, base and signature are the vectors\'',
    (_name, r) => {
      const signed = signRpRequest({
        method: r.method,
        url: r.url,
        body: Buffer.from(r.body, 'utf8'),
        keyId: r.keyid,
        privateKey: privateKeyFrom(vectors.key.seed),
        created: r.created,
        nonce: r.nonce,
      });
      expect(contentDigestOf(Buffer.from(r.body, 'utf8'))).toBe(r.contentDigest);
      expect(signed.signatureParams).toBe(r.signatureParams);
      expect(signed.signatureBase).toBe(r.signatureBase);
      expect(signed.headers).toEqual({
        'content-digest': r.contentDigest,
        'signature-input': r.signatureInput,
        signature: r.signature,
      });
      expect(r.signature).toBe(`sig1=:${r.signatureBase64}:`);
    },
  );

  it('when each signature is checked with bare node:crypto over its base, then it verifies, and not over another', () => {
    const key = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: vectors.key.publicKey },
      format: 'jwk',
    });
    for (const r of vectors.requests) {
      const sig = Buffer.from(r.signatureBase64, 'base64');
      expect(verify(null, Buffer.from(r.signatureBase, 'utf8'), key, sig)).toBe(true);
      expect(verify(null, Buffer.from(r.signatureBase.replace('sha-256', 'sha-512'), 'utf8'), key, sig)).toBe(
        false,
      );
    }
  });

  it.each(vectors.requests.map((r) => [r.name, r] as const))(
    'when the BFF\'s verifier gets "%s" as sent, then it accepts it with the vector\'s key id and nonce',
    (_name, r) => {
      const result = verifyRequest(
        {
          method: r.method,
          url: r.url,
          headers: {
            'content-type': 'application/json',
            'content-digest': r.contentDigest,
            'signature-input': r.signatureInput,
            signature: r.signature,
          },
          body: utf8Encode(r.body),
        },
        {
          resolveKey: (kid) =>
            kid === vectors.key.kid ? { publicKey: fromHex(vectors.key.publicKeyHex) } : undefined,
          now: r.created * 1000 + 60_000,
        },
      );
      expect(result).toMatchObject({ ok: true, keyId: r.keyid, nonce: r.nonce, created: r.created });
      const tampered = verifyRequest(
        {
          method: r.method,
          url: r.url,
          headers: {
            'content-digest': r.contentDigest,
            'signature-input': r.signatureInput,
            signature: r.signature,
          },
          body: utf8Encode(`${r.body} `),
        },
        {
          resolveKey: () => ({ publicKey: fromHex(vectors.key.publicKeyHex) }),
          now: r.created * 1000,
        },
      );
      expect(tampered).toMatchObject({ ok: false, reason: 'digest_mismatch' });
    },
  );
});
