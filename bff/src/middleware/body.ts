import type { IncomingMessage } from 'node:http';
import type { Middleware } from 'koa';
import { AppError } from '@eid/shared';

declare module 'koa' {
  interface Request {
    /** The parsed JSON body; only ever read through validate(). */
    body?: unknown;
    /**
     * The body's bytes as received (UTF-8 checked), whenever a body was read: what a request signature's
     * Content-Digest covers. For `/api/v1/rp/` paths it is the only form of the body until the party's
     * signed-request guard has verified it and parsed it itself. Not `rawBody`: @koa/bodyparser (the
     * stand-ins' parser) declares that name as a string on the same interface.
     */
    rawBytes?: Buffer;
  }
}

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Paths whose bodies are signed by relying parties (RFC 9421 over the raw bytes): left unparsed here so that
 * nothing reads them before the signature is verified (the party module's requireSignedRequest parses them).
 */
export const SIGNED_BODY_PREFIX = '/api/v1/rp/';

const tooLarge = () => new AppError('BODY_TOO_LARGE', 'The request body is too large');

// JSON is UTF-8 (RFC 8259 section 8.1). One decoder for every request: decode() without `stream` keeps no
// state between calls. Fatal, so bytes that are not UTF-8 are refused instead of becoming U+FFFD and
// reaching the registry as a name; about 20 ns more than Buffer#toString on a 560-byte verify body.
const utf8 = new TextDecoder('utf-8', { fatal: true });
const UTF8_LABELS = new Set(['utf-8', 'utf8']);
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)/gi;

/** True when every `charset` parameter of the Content-Type names UTF-8 (or there is none). */
function declaresUtf8(contentType: string): boolean {
  // The usual header has no parameters at all: no regex runs for it.
  if (!contentType.includes(';')) return true;
  CHARSET.lastIndex = 0;
  for (let m = CHARSET.exec(contentType); m !== null; m = CHARSET.exec(contentType)) {
    if (!UTF8_LABELS.has(m[1]!.toLowerCase())) return false;
  }
  return true;
}

/** Reads at most `limitBytes` of the request; stops reading (and refuses) the moment it goes over. */
async function readBytes(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limitBytes) throw tooLarge();
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('BAD_REQUEST', 'The request body could not be read');
  }
  return Buffer.concat(chunks, size);
}

/** A route that reads larger bodies than the rest: its own bound, by method and exact path. */
export interface RouteBodyLimit {
  method: string;
  path: string;
  limitBytes: number;
}

/**
 * A JSON body as every route takes it, undefined when empty: jsonBody's rule, also for the signed-request
 * guard, which parses only after verifying the bytes.
 */
export function parseJsonObject(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  // Every body of this API is an object: a bare string, number, null or an array is not a body at all,
  // refused here with one code before any schema (which would say VALIDATION_FAILED).
  if (trimmed[0] !== '{') throw new AppError('BAD_REQUEST', 'The request body must be a JSON object');
  try {
    return JSON.parse(trimmed);
  } catch {
    throw new AppError('BAD_REQUEST', 'The request body is not valid JSON');
  }
}

/**
 * JSON bodies only, UTF-8, under `limitBytes`, and an object at the top; anything else is refused before
 * a route sees it (415 before the body is read, 400 after), so nothing is counted or changed. A small reader of
 * our own instead of a general body parser: it sits on every request of the verification hot path,
 * where the general one cost about 9% of the CPU (bench/card.bench.ts profile). A route of `larger` reads up to
 * its own bound (or `limitBytes`, when that is more); any other spelling of its path gets `limitBytes`.
 */
export function jsonBody(limitBytes: number, larger: readonly RouteBodyLimit[] = []): Middleware {
  const byPath = new Map(larger.map((route) => [route.path, route]));
  return async function readJsonBody(ctx, next) {
    if (WITH_BODY.has(ctx.method)) {
      const own = byPath.size > 0 ? byPath.get(ctx.path) : undefined;
      const limit = own && own.method === ctx.method ? Math.max(own.limitBytes, limitBytes) : limitBytes;
      const declared = Number(ctx.get('content-length') || 0);
      if (declared > limit) {
        ctx.set('Connection', 'close');
        throw tooLarge();
      }
      if (declared > 0 || ctx.get('transfer-encoding')) {
        // The usual header, spelt exactly so, is taken as it is: type-is's parse of it cost about 35 µs a
        // request, 3% of the verification hot path's CPU (bench/card/online.ts profile).
        if (ctx.get('content-type') !== 'application/json' && !ctx.is('application/json'))
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json');
        if (!declaresUtf8(ctx.get('content-type'))) {
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'JSON bodies are UTF-8: send charset=utf-8 or none');
        }
        const encoding = ctx.get('content-encoding');
        if (encoding && encoding !== 'identity') {
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Compressed bodies are not accepted');
        }
        let bytes: Buffer;
        try {
          bytes = await readBytes(ctx.req, limit);
        } catch (err) {
          // The rest of the body is left unread: do not keep the connection for another request.
          ctx.set('Connection', 'close');
          throw err;
        }
        let text: string;
        try {
          text = utf8.decode(bytes);
        } catch {
          throw new AppError('BAD_REQUEST', 'The request body is not valid UTF-8');
        }
        ctx.request.rawBytes = bytes;
        // A signed body stays bytes until its signature is verified (the party guard parses it then).
        if (!ctx.path.startsWith(SIGNED_BODY_PREFIX)) ctx.request.body = parseJsonObject(text);
      }
    }
    await next();
  };
}
