/** What a province node answered the national: status and, when it was JSON, the parsed body. */
export interface NodeReply {
  status: number;
  body: unknown;
  text: string;
}

/** The most the national reads of a node's answer (a cosignature line, a state object). */
const MAX_REPLY_BYTES = 256 * 1024;

/**
 * One request to a province node with a deadline: undefined when the node did not answer in time or could
 * not be reached (the caller counts it as unreachable). Never follows redirects: the node's URL is the one
 * the national enrolled.
 */
export async function callNode(
  fetchFn: typeof fetch,
  url: string,
  init: { method: 'GET' | 'POST'; body?: unknown; accept?: string },
  timeoutMs: number,
): Promise<NodeReply | undefined> {
  try {
    const res = await fetchFn(url, {
      method: init.method,
      headers: {
        accept: init.accept ?? 'application/json',
        ...(init.body !== undefined && { 'content-type': 'application/json' }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const buffer = new Uint8Array(await res.arrayBuffer());
    if (buffer.length > MAX_REPLY_BYTES) return { status: res.status, body: undefined, text: '' };
    const text = new TextDecoder().decode(buffer);
    let body: unknown;
    if ((res.headers.get('content-type') ?? '').includes('json')) {
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
    }
    return { status: res.status, body, text };
  } catch {
    return undefined;
  }
}
