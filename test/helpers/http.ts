/** A thin fetch wrapper for tests: JSON in, status + parsed body + headers out. */
export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface CallOptions {
  body?: unknown;
  /** Raw body, sent as is (for malformed-input tests). */
  raw?: string;
  token?: string;
  headers?: Record<string, string>;
}

/** Calls `baseUrl + path` and never throws on an HTTP error status. */
export async function call<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const res = await fetch(baseUrl + path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** `call` bound to one base URL. */
export function client(baseUrl: string) {
  return <T = any>(method: string, path: string, options?: CallOptions) =>
    call<T>(baseUrl, method, path, options);
}
