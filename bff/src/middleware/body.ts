import type { IncomingMessage } from 'node:http';
import type { Middleware } from 'koa';
import { AppError } from '@eid/shared';

declare module 'koa' {
  interface Request {
    /** The parsed JSON body; only ever read through validate(). */
    body?: unknown;
  }
}

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const tooLarge = () => new AppError('BODY_TOO_LARGE', 'The request body is too large');

/** Reads at most `limitBytes` of the request; stops reading (and refuses) the moment it goes over. */
async function readText(req: IncomingMessage, limitBytes: number): Promise<string> {
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
  return Buffer.concat(chunks, size).toString('utf8');
}

/**
 * JSON bodies only, under `limitBytes`; anything else is refused before it is read. A small reader of
 * our own instead of a general body parser: it sits on every request of the verification hot path,
 * where the general one cost about 9% of the CPU (bench/card.bench.ts profile).
 */
export function jsonBody(limitBytes: number): Middleware {
  return async function readJsonBody(ctx, next) {
    if (WITH_BODY.has(ctx.method)) {
      const declared = Number(ctx.get('content-length') || 0);
      if (declared > limitBytes) {
        ctx.set('Connection', 'close');
        throw tooLarge();
      }
      if (declared > 0 || ctx.get('transfer-encoding')) {
        if (!ctx.is('application/json'))
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json');
        const encoding = ctx.get('content-encoding');
        if (encoding && encoding !== 'identity') {
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Compressed bodies are not accepted');
        }
        let text: string;
        try {
          text = await readText(ctx.req, limitBytes);
        } catch (err) {
          // The rest of the body is left unread: do not keep the connection for another request.
          ctx.set('Connection', 'close');
          throw err;
        }
        const trimmed = text.trim();
        if (trimmed !== '') {
          // Strict, as JSON APIs are: an object or an array at the top, never a bare string or number.
          if (trimmed[0] !== '{' && trimmed[0] !== '[') {
            throw new AppError('BAD_REQUEST', 'The request body must be a JSON object');
          }
          try {
            ctx.request.body = JSON.parse(trimmed);
          } catch {
            throw new AppError('BAD_REQUEST', 'The request body is not valid JSON');
          }
        }
      }
    }
    await next();
  };
}
