/**
 * A small static server for the H5 build that also proxies the API and the stand-in systems, so the
 * page, the BFF and the mocks share one origin (no CORS, cookies and camera permission on one host).
 * Used by `npm start` and by the browser tests.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';

export interface ServeH5Options {
  /** The H5 build directory (miniapp/dist/h5). */
  dir: string;
  port?: number;
  host?: string;
  /**
   * Path prefix -> target origin (optionally with a base path). A request keeps its path
   * (`/api/v1/x` -> `http://bff/api/v1/x`), except under `/mock/<system>`, whose prefix is stripped
   * because each stand-in serves from its own root (`/mock/face/v1/capture` -> `http://face/v1/capture`).
   * The longest matching prefix wins.
   */
  proxies?: Record<string, string>;
  /** Which prefixes are stripped; by default those under `/mock/`. */
  stripPrefix?: (prefix: string) => boolean;
  /**
   * Other sets of proxies, chosen per request by the value of the cookie `cookie` (`npm start --
   * --federation`: one set per province node, the page switching by setting `eid_province`). A request
   * without the cookie, or with a value not listed, uses `proxies`.
   */
  variants?: { cookie: string; proxies: Record<string, Record<string, string>> };
  /**
   * The admin pages' build (miniapp/dist/admin, docs/admin.md), served under `/admin/` on the same origin
   * as `/api`; absent: `/admin/` is a route of the H5 app like any other path.
   */
  adminDir?: string;
}

export interface H5Server {
  url: string;
  port: number;
  /**
   * Stops listening and closes idle connections at once; requests in flight (proxied ones included) get
   * up to `graceMs` (default 0) to finish before their connections are cut.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  // WebAssembly.instantiateStreaming insists on this type (the staff camera's QR decoder).
  '.wasm': 'application/wasm',
};

// Webpack names long-lived assets `<name>.<8+ hex>.<ext>`; those never change under the same URL.
const HASHED_ASSET = /\.[0-9a-f]{8,}\.[a-z0-9]+$/i;

// Hop-by-hop headers must not be forwarded by a proxy (RFC 9110 section 7.6.1).
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);

interface ProxyRoute {
  prefix: string;
  target: URL;
  strip: boolean;
}

function matchProxy(
  pathname: string,
  search: string,
  routes: ProxyRoute[],
): { target: URL; rest: string } | null {
  for (const { prefix, target, strip } of routes) {
    if (pathname === prefix || pathname.startsWith(`${prefix}/`)) {
      return { target, rest: (strip ? pathname.slice(prefix.length) : pathname) + search };
    }
  }
  return null;
}

function proxy(req: IncomingMessage, res: ServerResponse, target: URL, rest: string): void {
  const base = target.pathname.replace(/\/+$/, '');
  const headers: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
  }
  headers.host = target.host;
  headers['x-forwarded-for'] = req.socket.remoteAddress ?? '';
  headers['x-forwarded-host'] = req.headers.host ?? '';
  headers['x-forwarded-proto'] = 'http';

  const upstream = http.request(
    {
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      method: req.method,
      path: `${base}${rest}`.replace(/^(?!\/)/, '/'),
      headers,
    },
    (answer) => {
      const out: http.OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(answer.headers)) {
        if (!HOP_BY_HOP.has(name) && value !== undefined) out[name] = value;
      }
      res.writeHead(answer.statusCode ?? 502, out);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(502, { 'content-type': 'application/json; charset=utf-8' });
    res.end(
      JSON.stringify({
        code: 'UPSTREAM_UNAVAILABLE',
        message: 'The service behind this page is not answering.',
        requestId: '',
      }),
    );
  });
  req.pipe(upstream);
}

async function serveFile(
  res: ServerResponse,
  file: string,
  method: string,
  cache: string,
  status = 200,
): Promise<void> {
  const info = await stat(file);
  res.writeHead(status, {
    'content-type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-length': info.size,
    'cache-control': cache,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'permissions-policy': 'camera=(self), microphone=(), geolocation=()',
  });
  if (method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** Serves an H5 build with SPA fallback and same-origin proxies; resolves once listening. */
export async function serveH5({
  dir,
  port = 0,
  host = '127.0.0.1',
  proxies = {},
  stripPrefix = (prefix) => prefix.startsWith('/mock/'),
  variants,
  adminDir,
}: ServeH5Options): Promise<H5Server> {
  const root = path.resolve(dir);
  const adminRoot = adminDir ? path.resolve(adminDir) : undefined;
  const index = path.join(root, 'index.html');
  if (!(await isFile(index))) {
    throw new Error(`serveH5: no H5 build at ${root}; run \`npm run build:h5 -w miniapp\` first`);
  }
  const compile = (set: Record<string, string>): ProxyRoute[] =>
    Object.entries(set)
      .map(([raw, target]) => {
        const prefix = raw.replace(/\/+$/, '');
        return { prefix, target: new URL(target), strip: stripPrefix(prefix) };
      })
      .sort((a, b) => b.prefix.length - a.prefix.length);
  const routes = compile(proxies);
  const variantRoutes = new Map(
    Object.entries(variants?.proxies ?? {}).map(([value, set]) => [value, compile(set)]),
  );
  const routesOf = (req: IncomingMessage): ProxyRoute[] => {
    if (!variants) return routes;
    const cookie = (req.headers.cookie ?? '')
      .split(';')
      .map((c) => c.trim().split('='))
      .find(([name]) => name === variants.cookie);
    return (cookie && variantRoutes.get(cookie[1] ?? '')) || routes;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const proxied = matchProxy(url.pathname, url.search, routesOf(req));
    if (proxied) {
      proxy(req, res, proxied.target, proxied.rest);
      return;
    }
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (adminRoot && pathname === '/admin') {
      res.writeHead(301, { location: `/admin/${url.search}` }).end();
      return;
    }
    const admin = adminRoot !== undefined && pathname.startsWith('/admin/');
    const base = admin ? adminRoot! : root;
    const file = path.resolve(base, `.${admin ? pathname.slice('/admin'.length) : pathname}`);
    if (file !== base && !file.startsWith(`${base}${path.sep}`)) {
      res.writeHead(404).end();
      return;
    }
    if (await isFile(file)) {
      const cache = HASHED_ASSET.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache';
      await serveFile(res, file, method, cache);
      return;
    }
    // A missing asset is a 404; any other path is a client-side route of the single-page app.
    if (path.extname(pathname) !== '') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    await serveFile(res, admin ? path.join(base, 'index.html') : index, method, 'no-cache');
  }

  const sockets = new Set<Socket>();
  let closing = false;
  const server = http.createServer((req, res) => {
    // server.close() leaves a keep-alive connection open until keepAliveTimeout once its answer is
    // written; while draining, close it as soon as it is idle.
    res.once('finish', () => {
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  let stopped: Promise<void> | undefined;
  return {
    url: `http://${host}:${bound}`,
    port: bound,
    stop: ({ graceMs = 0 } = {}) =>
      (stopped ??= new Promise<void>((resolve) => {
        closing = true;
        const cut = setTimeout(() => {
          for (const socket of sockets) socket.destroy();
        }, graceMs);
        server.close(() => {
          clearTimeout(cut);
          resolve();
        });
        server.closeIdleConnections();
      })),
  };
}
