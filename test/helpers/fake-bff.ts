import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A plain HTTP server on port 0 for the mini-program's component tests, answering as the BFF would:
 * CORS preflights are answered here (the pages run in jsdom, a browser origin), every other request goes
 * to `handle`, which answers with `reply`.
 */
export interface FakeBff {
  server: Server;
  /** `http://127.0.0.1:PORT`, what TARO_APP_API_BASE is set to. */
  base: string;
  close(): Promise<void>;
}

export function reply(res: ServerResponse, status: number, body?: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

export async function readJson(req: IncomingMessage): Promise<Record<string, string>> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? (JSON.parse(text) as Record<string, string>) : {};
}

export async function startFakeBff(
  handle: (req: IncomingMessage, res: ServerResponse) => unknown,
  allowMethods = 'GET, POST',
): Promise<FakeBff> {
  const server = http.createServer(async (req, res) => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': allowMethods,
        'access-control-allow-headers': 'authorization, content-type, accept-language',
      });
      res.end();
      return;
    }
    await handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * jsdom reports every cut connection on the console as a browser would; a suite that cuts them on purpose
 * (the BFF down, offline checks) calls this in `beforeAll`, so every other console error still shows.
 * `jest.restoreAllMocks()` puts the console back.
 */
export function quietCutConnections(): void {
  const realError = console.error;
  jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    if (/socket hang up|ECONNRESET|ECONNREFUSED/.test(String(args[0]))) return;
    realError(...args);
  });
}
