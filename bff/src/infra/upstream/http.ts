import { AppError } from '@eid/shared';
import type { z } from 'zod';
import type { Deadline } from './types';

export type UpstreamSystem = 'superapp' | 'registry' | 'face';

/** The answer of one upstream call, fully read within the call's time budget. */
export interface UpstreamResponse {
  status: number;
  contentType: string;
  bytes: Uint8Array;
}

export interface UpstreamRequest {
  system: UpstreamSystem;
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Sent as a JSON body. */
  json?: unknown;
  timeoutMs: number;
  /** Ends the call once `timeoutMs` have passed; a real timer (`AbortSignal.timeout`) by default. */
  deadline?: Deadline;
  /** Answers larger than this are refused as unavailable. */
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 1024 * 1024;

/** UPSTREAM_UNAVAILABLE for `system`; messages name the system only, never what was sent. */
export function unavailable(system: UpstreamSystem, why: string, retryable: boolean): AppError {
  return new AppError('UPSTREAM_UNAVAILABLE', `${system} ${why}`, { upstream: system, retryable });
}

function mapFailure(system: UpstreamSystem, timeoutMs: number, err: unknown): AppError {
  if (err instanceof AppError) return err;
  if ((err as { name?: unknown })?.name === 'TimeoutError') {
    return new AppError('UPSTREAM_TIMEOUT', `${system} did not answer within ${timeoutMs} ms`, {
      upstream: system,
      retryable: true,
    });
  }
  return unavailable(system, 'is unreachable', true);
}

/**
 * One HTTP call to an upstream system with a hard time budget covering the whole answer. A timeout is
 * UPSTREAM_TIMEOUT, a connection failure or 5xx is UPSTREAM_UNAVAILABLE (both retryable); other
 * statuses are returned for the caller to interpret.
 */
export async function callUpstream(request: UpstreamRequest): Promise<UpstreamResponse> {
  const { system, timeoutMs } = request;
  const maxBytes = request.maxBytes ?? DEFAULT_MAX_BYTES;
  try {
    const headers: Record<string, string> = { Accept: 'application/json', ...request.headers };
    if (request.json !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(request.url, {
      method: request.method ?? 'GET',
      headers,
      body: request.json === undefined ? undefined : JSON.stringify(request.json),
      signal: request.deadline ? request.deadline(timeoutMs) : AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    if (response.status >= 500) {
      await response.body?.cancel();
      throw unavailable(system, `answered ${response.status}`, true);
    }
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > maxBytes) {
      await response.body?.cancel();
      throw unavailable(system, 'answer is too large', false);
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.length > maxBytes) throw unavailable(system, 'answer is too large', false);
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', bytes };
  } catch (err) {
    throw mapFailure(system, timeoutMs, err);
  }
}

/** Parses an answer as JSON and validates it; anything that does not fit is UPSTREAM_UNAVAILABLE. */
export function parseAnswer<T>(system: UpstreamSystem, response: UpstreamResponse, schema: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(response.bytes));
  } catch {
    throw unavailable(system, 'sent an answer that is not JSON', false);
  }
  const parsed = schema.safeParse(value);
  // The issues may quote personal data from the answer, so they are not passed on.
  if (!parsed.success) throw unavailable(system, 'sent a malformed answer', false);
  return parsed.data;
}

/** The `error` field of a stand-in style error body (`{ error, message }`), if there is one. */
export function errorField(response: UpstreamResponse): string | undefined {
  try {
    const value = JSON.parse(new TextDecoder().decode(response.bytes)) as { error?: unknown };
    return typeof value?.error === 'string' ? value.error : undefined;
  } catch {
    return undefined;
  }
}

/** `baseUrl` + `path` without doubling or dropping slashes, keeping any path prefix of the base. */
export function joinUrl(baseUrl: string, path: string): string {
  return baseUrl.replace(/\/+$/, '') + path;
}
