import { PeerFailure } from './resilience';

/** What a peer answered: status, header fields (lower-case names) and the body's bytes. */
export interface PeerAnswer {
  status: number;
  headers: Record<string, string>;
  bytes: Uint8Array;
}

/** The most a node reads of another node's answer: a bundle of 34 provinces' keys is far below it. */
export const MAX_PEER_ANSWER_BYTES = 4 * 1024 * 1024;

/**
 * One HTTP exchange with another node or the national role. A refused connection or a reset becomes
 * PeerFailure `unreachable`, a 5xx `server_error` (both counted by the circuit and retried when the call is
 * idempotent); any other status is the caller's to judge. Never follows redirects: a node's URL is the one
 * the national list names.
 */
export async function exchange(
  fetchFn: typeof fetch,
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: Uint8Array },
  signal: AbortSignal,
  maxBytes = MAX_PEER_ANSWER_BYTES,
): Promise<PeerAnswer> {
  let res: Response;
  try {
    res = await fetchFn(url, {
      method: init.method,
      headers: init.headers,
      // A copy typed on an ArrayBuffer, which fetch's BodyInit asks for under the DOM types.
      body: init.body && new Uint8Array(init.body),
      redirect: 'manual',
      signal,
    });
  } catch (err) {
    throw new PeerFailure('unreachable', `no answer from ${new URL(url).host}: ${(err as Error).name}`);
  }
  const bytes = await readLimited(res, maxBytes);
  if (res.status >= 500) throw new PeerFailure('server_error', `${new URL(url).host} answered ${res.status}`);
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { status: res.status, headers, bytes };
}

async function readLimited(res: Response, maxBytes: number): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > maxBytes) {
        await res.body.cancel().catch(() => undefined);
        throw new PeerFailure('server_error', `an answer of more than ${maxBytes} bytes`);
      }
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof PeerFailure) throw err;
    throw new PeerFailure('unreachable', 'the answer broke off');
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
