import { type HeaderBag, type SignatureKey, fromHex, utf8Encode } from '@eid/shared';
import vectors from '../../../docs/formats/vectors/http-signatures.json';

/** docs/formats/vectors/http-signatures.json as the document publishes it. */
export const HTTP_SIGNATURE_VECTORS = vectors;

/** A vector request with its body as bytes, ready for verifyRequest. */
export function vectorRequest(r: { method: string; url: string; headers: HeaderBag; body: string }) {
  return { method: r.method, url: r.url, headers: r.headers, body: utf8Encode(r.body) };
}

/** The profile's keys by keyid, as a relying-party registry would answer. */
export function profileKeys(): Map<string, SignatureKey> {
  return new Map(
    vectors.profile.keys.map((k) => [k.keyId, { publicKey: fromHex(k.publicKey), retired: k.retired }]),
  );
}
