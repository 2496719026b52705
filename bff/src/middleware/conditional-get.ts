import { createHash } from 'node:crypto';
import type { Context } from 'koa';

/** A signed document (a trust list, a status list) with what its HTTP answer needs. */
export interface SignedDocument {
  bytes: Uint8Array;
  issuedAt: number;
  etag: string;
}

/** A strong ETag of the document's bytes: identical bytes at every process give the same tag. */
export const etagOf = (bytes: Uint8Array): string =>
  `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`;

/**
 * Sets the cache validators and answers 304 when the client's copy is current (RFC 9110 section 13.2.2).
 * Our own evaluation rather than `ctx.fresh`: that one never answers 304 to a request with
 * `Cache-Control: no-cache`, which fetch() adds to every conditional request, though an origin server
 * must still evaluate the conditions.
 */
export function conditional(ctx: Context, doc: SignedDocument, maxAgeSeconds: number): boolean {
  ctx.set('Cache-Control', `public, max-age=${maxAgeSeconds}`);
  ctx.set('ETag', doc.etag);
  ctx.lastModified = new Date(doc.issuedAt);
  const noneMatch = ctx.get('if-none-match');
  const modifiedSince = Date.parse(ctx.get('if-modified-since'));
  const current = noneMatch
    ? noneMatch === '*' || noneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === doc.etag)
    : Number.isFinite(modifiedSince) && Math.floor(doc.issuedAt / 1000) * 1000 <= modifiedSince;
  ctx.status = current ? 304 : 200;
  return current;
}
