import { promises as dns } from 'node:dns';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';

/**
 * Outbound requests to addresses a relying party chose (callback URLs). A party must not be able to make
 * the BFF reach the internal network (SSRF): the URL is checked when it is registered and again at every
 * send, the host is resolved here and every address judged, and the connection goes to exactly the address
 * that was judged, so a second DNS answer (DNS rebinding) never gets a say. Redirects are never followed.
 */

/** Hosts (`host` or `host:port`) that may be reached although they are plain http or internal; from CALLBACK_ALLOW_HOSTS. */
export interface AllowList {
  /** Host-only entries (any port), normalised as WHATWG URL normalises a hostname. */
  readonly hosts: ReadonlySet<string>;
  /** `hostname:port` entries. */
  readonly hostPorts: ReadonlySet<string>;
}

/** Stable short codes of why a URL or a send is refused; CALLBACK_URL_REFUSED carries it as details.reason. */
export type UrlProblem =
  'malformed' | 'scheme' | 'credentials' | 'not_https' | 'internal_address' | 'localhost';

/**
 * Parses `host[:port],...` (spaces ignored). Each host is normalised through WHATWG URL, so `127.1` and
 * `127.0.0.1` are one entry, and IPv6 is written in brackets (`[::1]:8080`). Throws on an entry that is
 * not a host: a typo in the allow-list must stop the boot, not silently allow nothing.
 */
export function parseAllowList(text: string | undefined): AllowList {
  const hosts = new Set<string>();
  const hostPorts = new Set<string>();
  for (const raw of (text ?? '').split(',')) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    // A port is only what follows the last colon outside IPv6 brackets.
    const m = /^(\[[^\]]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(entry);
    let hostname: string | undefined;
    try {
      hostname = m ? new URL(`http://${m[1]}`).hostname : undefined;
    } catch {
      hostname = undefined;
    }
    if (!m || !hostname) throw new Error(`CALLBACK_ALLOW_HOSTS: not a host or host:port: ${raw.trim()}`);
    if (m[2] === undefined) hosts.add(hostname);
    else hostPorts.add(`${hostname}:${Number(m[2])}`);
  }
  return { hosts, hostPorts };
}

function isAllowed(url: URL, allow: AllowList): boolean {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return allow.hosts.has(url.hostname) || allow.hostPorts.has(`${url.hostname}:${port}`);
}

// Everything that is not the public internet, or that embeds an IPv4 address we cannot judge as one
// (mapped, compatible, NAT64, 6to4, Teredo): refusing these is cheaper than translating each.
// Two lists: BlockList also judges an IPv4 address by IPv6 rules as ::ffff:a.b.c.d, which the mapped
// range below would refuse, so IPv4 addresses are only ever checked against IPv4 rules.
const internal4 = new BlockList();
const internal6 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this" network, 0.0.0.0 reaches the local host
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata at 169.254.169.254
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved and broadcast
] as const) {
  internal4.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128],
  ['::', 96], // IPv4-compatible (deprecated)
  ['::ffff:0:0', 96], // IPv4-mapped
  ['64:ff9b::', 96], // NAT64
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard-only
  ['2001::', 32], // Teredo
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4
  ['fc00::', 7], // unique-local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  internal6.addSubnet(net, prefix, 'ipv6');
}

/** True when `address` (an IP literal, IPv6 with or without brackets) is not a public internet address. */
export function isInternalAddress(address: string): boolean {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const family = isIP(bare);
  if (family === 0) return false;
  return family === 4 ? internal4.check(bare, 'ipv4') : internal6.check(bare, 'ipv6');
}

function isLocalhostName(hostname: string): boolean {
  const name = hostname.replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

/**
 * Why `url` may not be a callback URL, or undefined when it may. Only absolute http(s) URLs without
 * credentials; https unless the host (or host:port) is allow-listed; IP literals in internal ranges and
 * `localhost` names refused unless allow-listed. WHATWG URL has already turned decimal (2130706433), octal
 * (0177.0.0.1), hex (0x7f.1) and short (127.1) IPv4 spellings into dotted form, so one check sees them all.
 * Names are judged again at send time, after resolution.
 */
export function callbackUrlProblem(url: string, allow: AllowList): UrlProblem | undefined {
  // WHATWG URL drops tabs and line breaks anywhere and trims controls and spaces at the ends, so
  // `https://a.example/cb\r\nX-Injected: 1` parsed as a harmless URL while the text stored and shown kept the
  // CR/LF (issue 21 §4): a callback URL is refused unless it is printable ASCII without spaces as written.
  if (/[^\x21-\x7e]/.test(url)) return 'malformed';
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'malformed';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'scheme';
  if (!u.hostname) return 'malformed';
  if (u.username || u.password) return 'credentials';
  if (isAllowed(u, allow)) return undefined;
  if (isInternalAddress(u.hostname)) return 'internal_address';
  if (isLocalhostName(u.hostname)) return 'localhost';
  if (u.protocol !== 'https:') return 'not_https';
  return undefined;
}

/** The send was refused before any connection: the URL or a resolved address is not allowed. */
export class SendRefused extends Error {
  constructor(readonly reason: UrlProblem | 'unresolved') {
    super(`send refused: ${reason}`);
    this.name = 'SendRefused';
  }
}

/** The send was attempted and did not produce a response. `detail` is an error code, never a body. */
export class SendFailed extends Error {
  constructor(
    readonly reason: 'timeout' | 'network',
    readonly detail?: string,
  ) {
    super(detail ? `send failed: ${reason} (${detail})` : `send failed: ${reason}`);
    this.name = 'SendFailed';
  }
}

export interface ResolvedAddress {
  address: string;
  family: number;
}

export interface SafeSenderOptions {
  allow: AllowList;
  /** Resolves a host name to all its addresses; default dns.lookup with `all`. Tests inject names. */
  resolve?: (host: string) => Promise<ResolvedAddress[]>;
  /** Whole attempt, from resolution to the last byte read. */
  timeoutMs: number;
  /** Bytes of the response body kept; the rest is dropped with the connection. */
  maxResponseBytes?: number;
  /** Extra trusted CA certificates (PEM) for https; for tests with a local https server. */
  ca?: string | Buffer | Array<string | Buffer>;
}

export interface SafeResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** At most maxResponseBytes. */
  body: Buffer;
  /** True when the body was cut at maxResponseBytes. */
  truncated: boolean;
  durationMs: number;
}

export interface SafeSender {
  send(request: {
    url: string;
    headers?: Record<string, string>;
    body: string | Buffer;
  }): Promise<SafeResponse>;
}

const defaultResolve = async (host: string): Promise<ResolvedAddress[]> =>
  dns.lookup(host, { all: true, verbatim: true });

/**
 * A POST-only client for URLs a party chose. Throws SendRefused for what policy forbids (no connection is
 * made), SendFailed for a timeout or a network error; any HTTP status, 3xx included, is a response.
 *
 * @example
 * const sender = createSafeSender({ allow: parseAllowList(config.CALLBACK_ALLOW_HOSTS), timeoutMs: 15_000 });
 * const { status } = await sender.send({ url, headers: { 'content-type': 'application/json' }, body });
 */
export function createSafeSender(options: SafeSenderOptions): SafeSender {
  const { allow, timeoutMs } = options;
  const resolve = options.resolve ?? defaultResolve;
  const maxResponseBytes = options.maxResponseBytes ?? 65_536;

  return {
    async send({ url, headers = {}, body }) {
      const problem = callbackUrlProblem(url, allow);
      if (problem) throw new SendRefused(problem);
      const u = new URL(url);
      const allowed = isAllowed(u, allow);
      const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
      const started = performance.now();
      // One deadline for the whole attempt: resolution, connection, TLS, headers and body.
      const abort = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          abort.abort();
          reject(new SendFailed('timeout'));
        }, timeoutMs);
      });
      try {
        const target = await Promise.race([pickAddress(host, allowed), timeout]);
        const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
        return await Promise.race([
          exchange(u, host, target, headers, bytes, abort.signal, started),
          timeout,
        ]);
      } finally {
        clearTimeout(timer);
      }
    },
  };

  /** Resolves `host` (unless it is an IP literal) and judges every address; the first one is used. */
  async function pickAddress(host: string, allowed: boolean): Promise<ResolvedAddress> {
    const family = isIP(host);
    let addresses: ResolvedAddress[];
    if (family !== 0) addresses = [{ address: host, family }];
    else {
      try {
        addresses = await resolve(host);
      } catch (err) {
        throw new SendFailed('network', errorCode(err) ?? 'dns');
      }
    }
    // A resolver answer that is not an IP address cannot be judged, so it is never connected to.
    if (addresses.length === 0 || addresses.some((a) => isIP(a.address) === 0)) {
      throw new SendRefused('unresolved');
    }
    // ANY internal answer refuses: a name that resolves to a public and a private address is an attack.
    if (!allowed && addresses.some((a) => isInternalAddress(a.address))) {
      throw new SendRefused('internal_address');
    }
    return addresses[0]!;
  }

  function exchange(
    u: URL,
    host: string,
    target: ResolvedAddress,
    headers: Record<string, string>,
    body: Buffer,
    signal: AbortSignal,
    started: number,
  ): Promise<SafeResponse> {
    // Hands the socket the address judged above, whatever it asks (one address or, with
    // autoSelectFamily, all): no second DNS query between the check and the connection.
    const lookup: LookupFunction = (_hostname, opts, callback) => {
      if (opts.all) {
        (callback as unknown as (e: null, a: ResolvedAddress[]) => void)(null, [target]);
      } else callback(null, target.address, target.family);
    };
    const isHttps = u.protocol === 'https:';
    return new Promise<SafeResponse>((resolvePromise, reject) => {
      const req = (isHttps ? https : http).request({
        method: 'POST',
        protocol: u.protocol,
        hostname: host,
        port: u.port || (isHttps ? 443 : 80),
        path: `${u.pathname}${u.search}`,
        headers: { ...headers, 'content-length': String(body.length) },
        lookup,
        family: target.family,
        // A fresh connection each time: a pooled socket would skip the address check of this send.
        agent: false,
        ...(isHttps && {
          // SNI and certificate check against the name the party registered, not the address.
          ...(isIP(host) === 0 && { servername: host }),
          ...(options.ca && { ca: options.ca }),
        }),
        signal,
      });
      req.on('error', (err) =>
        reject(
          signal.aborted ? new SendFailed('timeout') : new SendFailed('network', errorCode(err) ?? 'error'),
        ),
      );
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        const finish = () =>
          resolvePromise({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks, size),
            truncated,
            durationMs: performance.now() - started,
          });
        res.on('data', (chunk: Buffer) => {
          if (truncated) return;
          const room = maxResponseBytes - size;
          if (chunk.length > room) {
            chunks.push(chunk.subarray(0, room));
            size += room;
            truncated = true;
            // Enough read: drop the connection instead of draining a body of any size.
            finish();
            res.destroy();
            req.destroy();
            return;
          }
          chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', finish);
        res.on('error', (err) => {
          if (truncated) return;
          reject(
            signal.aborted ? new SendFailed('timeout') : new SendFailed('network', errorCode(err) ?? 'error'),
          );
        });
        // A body cut short by the peer (connection closed before its end): not a response we can judge.
        res.on('aborted', () => {
          if (!truncated) reject(new SendFailed('network', 'ECONNRESET'));
        });
      });
      req.end(body);
    });
  }
}

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code.slice(0, 40) : undefined;
}
