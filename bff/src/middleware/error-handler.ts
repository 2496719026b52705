import type { Middleware } from 'koa';
import { mongo } from 'mongoose';
import { AppError, type ErrorBody, type ErrorCode } from '@eid/shared';
import type { Logger } from '../infra/logger';

/**
 * Errors thrown by Koa's own stack carry an HTTP status; map them onto our codes. Bodies are read by
 * middleware/body.ts, which throws AppError itself, so what is left here is the router and URL parsing.
 */
function fromHttpError(err: { status?: number }): AppError | undefined {
  if (err.status === 405 || err.status === 501) {
    return new AppError('METHOD_NOT_ALLOWED', 'This method is not allowed here');
  }
  if (err.status !== undefined && err.status >= 400 && err.status < 500) {
    return new AppError('BAD_REQUEST', 'The request is malformed');
  }
  return undefined;
}

/**
 * A database that fails or cannot be reached is a passing condition, not a bug in the request: the
 * client is told to come back (503 NOT_READY, the code /readyz gives) instead of a bare 500. The write
 * that failed was not acknowledged, so nothing was promised.
 */
function fromDatabaseError(err: unknown): AppError | undefined {
  if (!(err instanceof mongo.MongoError)) return undefined;
  return new AppError('NOT_READY', 'The database is not reachable; try again shortly', { retryAfterS: 1 });
}

/** What any thrown value answers as: our own errors as they are, a database failure as 503, else INTERNAL. */
function toAppError(caught: unknown): AppError {
  if (caught instanceof AppError) return caught;
  return (
    fromDatabaseError(caught) ??
    fromHttpError(caught as { status?: number }) ??
    new AppError('INTERNAL', 'Something went wrong on our side')
  );
}

/**
 * The one place errors become answers: `{ code, message, requestId, details? }`. 4xx messages are shown
 * as written; anything else is logged with its stack and answered with a generic INTERNAL.
 */
export function errorHandler(logger: Logger): Middleware {
  return async function renderErrors(ctx, next) {
    const started = process.hrtime.bigint();
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new AppError('NOT_FOUND', 'No such resource');
      }
    } catch (caught) {
      const appError = toAppError(caught);
      if (!appError.expose) {
        logger.error(
          { requestId: ctx.state.requestId, errorCode: appError.code, err: caught },
          'server error',
        );
      }
      const body: ErrorBody = {
        code: appError.code as ErrorCode,
        message: appError.expose ? appError.message : 'Something went wrong on our side',
        requestId: String(ctx.state.requestId ?? ''),
      };
      if (appError.details) body.details = appError.details;
      ctx.status = appError.status;
      ctx.body = body;
      if (
        (appError.status === 429 || appError.status === 503) &&
        typeof appError.details?.retryAfterS === 'number'
      ) {
        ctx.set('Retry-After', String(appError.details.retryAfterS));
      }
    } finally {
      // Paths only, never query strings or bodies: those may carry personal data.
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info(
        {
          requestId: ctx.state.requestId,
          method: ctx.method,
          route: ctx._matchedRoute ?? ctx.path,
          status: ctx.status,
          ms,
        },
        'request',
      );
    }
  };
}
