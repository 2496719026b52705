import fc from 'fast-check';
import {
  parseSfDictionary,
  serializeSfDictionary,
  SIGNATURE_FAILURE_REASONS,
  signRequest,
  tweetnaclEd25519,
  utf8Encode,
  verifyContentDigest,
  verifyRequest,
  type Ed25519,
} from '@eid/shared';
import { createNodeEd25519 } from '../../../bff/src/infra/ed25519';
import { mutatedText } from '../../fuzz/refusal';
import { HTTP_SIGNATURE_VECTORS, profileKeys, vectorRequest } from './vectors';

const { profile } = HTTP_SIGNATURE_VECTORS;
const keys = profileKeys();
const nodeEd25519 = createNodeEd25519();
// The tampered-body vector carries the good request's headers; its body is put back here.
const tampered = profile.rejections.find((r) => r.name === 'body changed after signing')!.request;
const signedGood = {
  ...vectorRequest(tampered),
  headers: tampered.headers as Record<string, string>,
  body: utf8Encode(profile.examples[0]!.request.body),
};
const options = (verify: Ed25519) => ({
  resolveKey: (kid: string) => keys.get(kid),
  now: profile.now,
  verify,
});

/** A copy of `text` with a few characters replaced, inserted or deleted: structured-field punctuation or Latin. */
const mutated = (text: string) =>
  mutatedText(
    text,
    fc.oneof(
      fc.constantFrom(...'();=,": \\?*-0A'.split('')),
      fc.integer({ min: 0, max: 0x17f }).map((c) => String.fromCharCode(c)),
    ),
  );

describe('verifyRequest under fuzzing', () => {
  test('the good request verifies (the fuzzing starts from an accepted request)', () => {
    expect(verifyRequest(signedGood, options(tweetnaclEd25519))).toMatchObject({ ok: true });
  });

  // Runs per field: a mutated content-digest always reaches both Ed25519 verifications, so it gets fewer.
  test.each([
    ['signature-input', 300],
    ['signature', 200],
    ['content-digest', 40],
  ] as const)(
    'when %s is mutated, then verification never throws, both Ed25519 paths agree, and only a no-op edit passes',
    (field, numRuns) => {
      fc.assert(
        fc.property(mutated(signedGood.headers[field]!), (value) => {
          const request = { ...signedGood, headers: { ...signedGood.headers, [field]: value } };
          const a = verifyRequest(request, options(tweetnaclEd25519));
          const b = verifyRequest(request, options(nodeEd25519));
          expect(b).toEqual(a);
          if (a.ok) {
            // Only spellings that mean the same thing pass: the same structured field (a verifier re-serialises
            // Signature-Input), or for Content-Digest, whose text is signed as is, the same text.
            const same = (text: string) =>
              field === 'content-digest'
                ? text.replace(/^[ \t]+|[ \t]+$/g, '')
                : serializeSfDictionary(parseSfDictionary(text));
            expect(same(value)).toBe(same(signedGood.headers[field]!));
          } else {
            expect(SIGNATURE_FAILURE_REASONS).toContain(a.reason);
          }
        }),
        { numRuns },
      );
    },
  );

  test('when headers are arbitrary strings or arrays, then verification returns a reason and never throws', () => {
    const value = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.array(fc.string({ maxLength: 40 }), { maxLength: 3 }),
    );
    fc.assert(
      fc.property(
        fc.record(
          { 'signature-input': value, signature: value, 'content-digest': value },
          { requiredKeys: [] },
        ),
        fc.string({ maxLength: 40 }),
        fc.string({ maxLength: 8 }),
        (headers, url, method) => {
          const result = verifyRequest(
            { method, url, headers, body: new Uint8Array(0) },
            options(tweetnaclEd25519),
          );
          expect(result.ok).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
  });

  // tweetnacl is slow (about 10 ms a signature on a loaded machine), so it takes a smaller share of the runs.
  test.each([
    ['node:crypto', nodeEd25519, 150],
    ['tweetnacl', tweetnaclEd25519, 10],
  ] as const)(
    'when any method, path, query and body are signed through %s, then they verify, and a flipped body byte is caught',
    (_name, ed, numRuns) => {
      const pair = tweetnaclEd25519.keyPairFromSeed(new Uint8Array(32).fill(7));
      fc.assert(
        fc.property(
          fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
          fc.stringMatching(/^(\/[A-Za-z0-9._~%!$&'()*+,;=:@-]{0,10}){0,3}$/),
          fc.option(fc.stringMatching(/^[A-Za-z0-9._~%!$&'()*+,;=:@/?-]{0,20}$/), { nil: undefined }),
          fc.uint8Array({ maxLength: 200 }),
          (method, path, query, body) => {
            const url = `https://rp.example${path}${query === undefined ? '' : `?${query}`}`;
            const out = signRequest({
              method,
              url,
              headers: {},
              body,
              keyId: 'k',
              created: 1_800_000_000,
              sign: (m) => ed.sign(pair.secretKey, m),
            });
            const opts = {
              resolveKey: () => ({ publicKey: pair.publicKey }),
              now: 1_800_000_000_000,
              verify: ed,
            };
            expect(verifyRequest({ method, url, headers: out, body }, opts)).toMatchObject({
              ok: true,
              keyId: 'k',
            });
            if (body.length > 0) {
              const flipped = body.slice();
              flipped[0] ^= 1;
              expect(verifyRequest({ method, url, headers: out, body: flipped }, opts)).toMatchObject({
                reason: 'digest_mismatch',
              });
            }
          },
        ),
        { numRuns },
      );
    },
  );

  test('when a Content-Digest is arbitrary text, then its check returns a problem and never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.uint8Array({ maxLength: 10 }), (field, body) => {
        const check = verifyContentDigest(field, body);
        if (!check.ok)
          expect(['missing', 'malformed', 'unsupported_algorithm', 'mismatch']).toContain(check.problem);
      }),
      { numRuns: 2000 },
    );
  });
});
