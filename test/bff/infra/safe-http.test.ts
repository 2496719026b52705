import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  callbackUrlProblem,
  createSafeSender,
  isInternalAddress,
  parseAllowList,
  SendFailed,
  SendRefused,
  type ResolvedAddress,
} from '@eid/bff/infra/safe-http';

const none = parseAllowList('');

describe('callbackUrlProblem', () => {
  it.each([
    ['https://hooks.example.com/eid', undefined],
    ['https://hooks.example.com:8443/eid?x=1', undefined],
    ['https://8.8.8.8/cb', undefined],
    ['https://[2606:4700:4700::1111]/cb', undefined],
    ['http://hooks.example.com/eid', 'not_https'],
    ['ftp://hooks.example.com/eid', 'scheme'],
    ['javascript:alert(1)', 'scheme'],
    ['file:///etc/passwd', 'scheme'],
    ['/relative/path', 'malformed'],
    ['https://', 'malformed'],
    ['not a url', 'malformed'],
    ['https://user:pw@hooks.example.com/', 'credentials'],
    ['https://user@hooks.example.com/', 'credentials'],
    ['https://localhost/cb', 'localhost'],
    ['https://LOCALHOST./cb', 'localhost'],
    ['https://api.localhost/cb', 'localhost'],
  ])('%s → %s', (url, reason) => {
    expect(callbackUrlProblem(url, none)).toBe(reason);
  });

  // Every way of writing 127.0.0.1 that WHATWG URL accepts ends up dotted, and refused.
  it.each([
    'https://127.0.0.1/',
    'https://2130706433/',
    'https://0177.0.0.1/',
    'https://0x7f.1/',
    'https://0x7f000001/',
    'https://127.1/',
    'https://127.0.1/',
    'https://017700000001/',
    'https://[::ffff:127.0.0.1]/',
    'https://[::ffff:7f00:1]/',
    'https://[0:0:0:0:0:ffff:7f00:1]/',
  ])('loopback spelled %s is refused', (url) => {
    expect(callbackUrlProblem(url, none)).toBe('internal_address');
  });

  it.each([
    '0.0.0.0',
    '0.1.2.3',
    '10.1.2.3',
    '100.64.0.1',
    '100.127.255.254',
    '127.255.255.255',
    '169.254.169.254',
    '172.16.0.1',
    '172.31.255.255',
    '192.0.0.8',
    '192.0.2.1',
    '192.168.1.1',
    '198.18.0.1',
    '198.19.255.255',
    '198.51.100.7',
    '203.0.113.9',
    '224.0.0.1',
    '239.255.255.250',
    '240.0.0.1',
    '255.255.255.255',
    '[::]',
    '[::1]',
    '[fc00::1]',
    '[fd12:3456::1]',
    '[fe80::1]',
    '[febf::1]',
    '[ff02::1]',
    '[::ffff:8.8.8.8]', // mapped: refused whatever it embeds
    '[::ffff:10.0.0.1]',
    '[::7f00:1]', // IPv4-compatible
    '[::8.8.8.8]',
    '[64:ff9b::a00:1]', // NAT64
    '[2001:db8::1]',
  ])('internal address %s is refused', (host) => {
    expect(callbackUrlProblem(`https://${host}/cb`, none)).toBe('internal_address');
  });

  it.each([
    '100.63.255.255',
    '100.128.0.0',
    '172.15.255.255',
    '172.32.0.0',
    '198.17.255.255',
    '198.20.0.0',
    '1.1.1.1',
  ])('public neighbour %s of an internal range is accepted', (host) => {
    expect(callbackUrlProblem(`https://${host}/cb`, none)).toBeUndefined();
    expect(isInternalAddress(host)).toBe(false);
  });

  it('allow-listed hosts may be plain http and internal; a host:port entry allows that port only', () => {
    const allow = parseAllowList(' 127.0.0.1 , localhost:8080,[::1], hooks.test:80 ');
    expect(callbackUrlProblem('http://127.0.0.1:4567/cb', allow)).toBeUndefined();
    // The allow-list entry is normalised the way URL normalises the host: 127.1 is 127.0.0.1.
    expect(callbackUrlProblem('http://127.1:4567/cb', allow)).toBeUndefined();
    expect(callbackUrlProblem('http://localhost:8080/cb', allow)).toBeUndefined();
    expect(callbackUrlProblem('http://localhost:8081/cb', allow)).toBe('localhost');
    expect(callbackUrlProblem('http://[::1]:9/cb', allow)).toBeUndefined();
    expect(callbackUrlProblem('http://hooks.test/cb', allow)).toBeUndefined();
    expect(callbackUrlProblem('http://hooks.test:81/cb', allow)).toBe('not_https');
    // Credentials stay refused even for allow-listed hosts.
    expect(callbackUrlProblem('http://a:b@127.0.0.1/cb', allow)).toBe('credentials');
    expect(callbackUrlProblem('http://10.0.0.1/cb', allow)).toBe('internal_address');
  });

  it('an allow-list entry that is not a host stops the boot', () => {
    expect(() => parseAllowList('hooks.test:port')).toThrow(/CALLBACK_ALLOW_HOSTS/);
    expect(() => parseAllowList('http://hooks.test')).toThrow(/CALLBACK_ALLOW_HOSTS/);
    expect(parseAllowList(' , ').hosts.size).toBe(0);
  });
});

/** A real HTTP server on 127.0.0.1 that records requests and answers with `answer`. */
async function localServer(answer: (req: IncomingMessage, res: ServerResponse, body: string) => void) {
  const seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      answer(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe('createSafeSender', () => {
  const servers: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  const serve = async (answer: Parameters<typeof localServer>[0]) => {
    const s = await localServer(answer);
    servers.push(s);
    return s;
  };
  /** A resolver that knows only the names it is given and counts its calls. */
  const fakeDns = (names: Record<string, ResolvedAddress[]>) => {
    const calls: string[] = [];
    const resolve = async (host: string) => {
      calls.push(host);
      const found = names[host];
      if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
      return found;
    };
    return { calls, resolve };
  };

  it('posts to an allow-listed local server and returns status, headers and body', async () => {
    const s = await serve((_req, res) => {
      res.setHeader('x-answer', 'yes');
      res.end('{"ok":true}');
    });
    const sender = createSafeSender({ allow: parseAllowList('127.0.0.1'), timeoutMs: 5_000 });
    const reply = await sender.send({
      url: `http://127.0.0.1:${s.port}/hooks/eid?x=1`,
      headers: { 'content-type': 'application/json', 'webhook-id': 'msg_1' },
      body: '{"type":"consent.approved"}',
    });
    expect(reply.status).toBe(200);
    expect(reply.headers['x-answer']).toBe('yes');
    expect(reply.body.toString('utf8')).toBe('{"ok":true}');
    expect(reply.truncated).toBe(false);
    expect(reply.durationMs).toBeGreaterThanOrEqual(0);
    expect(s.seen).toHaveLength(1);
    expect(s.seen[0]).toMatchObject({
      method: 'POST',
      url: '/hooks/eid?x=1',
      body: '{"type":"consent.approved"}',
      headers: { 'content-type': 'application/json', 'webhook-id': 'msg_1', 'content-length': '27' },
    });
  });

  it.each([
    ['http://127.0.0.1:PORT/cb', 'internal_address'],
    ['http://2130706433:PORT/cb', 'internal_address'],
    ['http://0x7f.1:PORT/cb', 'internal_address'],
    ['http://[::ffff:127.0.0.1]:PORT/cb', 'internal_address'],
    ['http://localhost:PORT/cb', 'localhost'],
    ['http://u:p@127.0.0.1:PORT/cb', 'credentials'],
    ['ftp://127.0.0.1:PORT/cb', 'scheme'],
  ])('without an allow-list, %s is refused (%s) and never reached', async (template, reason) => {
    const s = await serve((_req, res) => res.end('reached'));
    const sender = createSafeSender({ allow: none, timeoutMs: 5_000 });
    const sent = sender.send({ url: template.replace('PORT', String(s.port)), body: '{}' });
    await expect(sent).rejects.toBeInstanceOf(SendRefused);
    await expect(sent).rejects.toMatchObject({ reason });
    expect(s.seen).toHaveLength(0);
  });

  it('connects to the address it judged: a name only the injected resolver knows reaches the local server, one lookup', async () => {
    const s = await serve((req, res) => res.end(req.headers.host));
    // `.invalid` never exists in DNS (RFC 2606): if the socket resolved the name again, it would fail.
    const dns = fakeDns({ 'hooks.rebind.invalid': [{ address: '127.0.0.1', family: 4 }] });
    const sender = createSafeSender({
      allow: parseAllowList('hooks.rebind.invalid'),
      resolve: dns.resolve,
      timeoutMs: 5_000,
    });
    const reply = await sender.send({ url: `http://hooks.rebind.invalid:${s.port}/cb`, body: 'x' });
    expect(reply.status).toBe(200);
    // The Host header is the registered name, not the address.
    expect(reply.body.toString()).toBe(`hooks.rebind.invalid:${s.port}`);
    expect(dns.calls).toEqual(['hooks.rebind.invalid']);
    expect(s.seen).toHaveLength(1);
  });

  it('refuses a name that is not allow-listed when ANY of its addresses is internal', async () => {
    const s = await serve((_req, res) => res.end('reached'));
    const dns = fakeDns({
      'only-internal.example': [{ address: '127.0.0.1', family: 4 }],
      'mixed.example': [
        { address: '93.184.216.34', family: 4 },
        { address: '10.0.0.5', family: 4 },
      ],
      'mapped.example': [{ address: '::ffff:169.254.169.254', family: 6 }],
    });
    // The host:port entry for another port does not allow these.
    const sender = createSafeSender({
      allow: parseAllowList('127.0.0.1:1'),
      resolve: dns.resolve,
      timeoutMs: 5_000,
    });
    for (const host of ['only-internal.example', 'mixed.example', 'mapped.example']) {
      const sent = sender.send({ url: `https://${host}:${s.port}/cb`, body: '{}' });
      await expect(sent).rejects.toMatchObject({ name: 'SendRefused', reason: 'internal_address' });
    }
    expect(dns.calls).toEqual(['only-internal.example', 'mixed.example', 'mapped.example']);
    expect(s.seen).toHaveLength(0);
  });

  it('a resolver answer that is empty or not an address is refused, never connected to', async () => {
    const dns = fakeDns({ 'empty.example': [], 'odd.example': [{ address: 'localhost', family: 4 }] });
    const sender = createSafeSender({ allow: none, resolve: dns.resolve, timeoutMs: 5_000 });
    for (const host of ['empty.example', 'odd.example']) {
      await expect(sender.send({ url: `https://${host}/cb`, body: '{}' })).rejects.toMatchObject({
        name: 'SendRefused',
        reason: 'unresolved',
      });
    }
  });

  it('a name that does not resolve fails as a network error, not a refusal', async () => {
    const dns = fakeDns({});
    const sender = createSafeSender({ allow: none, resolve: dns.resolve, timeoutMs: 5_000 });
    const sent = sender.send({ url: 'https://nowhere.invalid/cb', body: '{}' });
    await expect(sent).rejects.toBeInstanceOf(SendFailed);
    await expect(sent).rejects.toMatchObject({ reason: 'network', detail: 'ENOTFOUND' });
  });

  it('never follows a redirect: a 3xx is the answer', async () => {
    const s = await serve((req, res) => {
      res.statusCode = 307;
      res.setHeader('location', req.url === '/cb' ? '/elsewhere' : '/cb');
      res.end();
    });
    const sender = createSafeSender({ allow: parseAllowList('127.0.0.1'), timeoutMs: 5_000 });
    const reply = await sender.send({ url: `http://127.0.0.1:${s.port}/cb`, body: '{}' });
    expect(reply.status).toBe(307);
    expect(reply.headers.location).toBe('/elsewhere');
    expect(s.seen.map((r) => r.url)).toEqual(['/cb']);
  });

  it('gives up on a server that never answers, and closes the connection', async () => {
    let closed!: () => void;
    const connectionClosed = new Promise<void>((r) => (closed = r));
    const s = await serve((req) => req.socket.on('close', () => closed()));
    const sender = createSafeSender({ allow: parseAllowList('127.0.0.1'), timeoutMs: 200 });
    const sent = sender.send({ url: `http://127.0.0.1:${s.port}/cb`, body: '{}' });
    await expect(sent).rejects.toBeInstanceOf(SendFailed);
    await expect(sent).rejects.toMatchObject({ reason: 'timeout' });
    await connectionClosed;
    expect(s.seen).toHaveLength(1);
  });

  it('a resolver that hangs counts against the same deadline', async () => {
    const sender = createSafeSender({
      allow: none,
      resolve: () => new Promise<ResolvedAddress[]>(() => {}),
      timeoutMs: 200,
    });
    await expect(sender.send({ url: 'https://slow-dns.example/cb', body: '{}' })).rejects.toMatchObject({
      name: 'SendFailed',
      reason: 'timeout',
    });
  });

  it('reads at most maxResponseBytes of an endless body, then drops the connection', async () => {
    let closed!: () => void;
    const connectionClosed = new Promise<void>((r) => (closed = r));
    let written = 0;
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(16 * 1024, 0x61);
      // Writes until the client goes away: without the bound, send would never finish.
      const pump = () => {
        while (!res.destroyed) {
          const more = res.write(chunk);
          written += chunk.length;
          if (!more) break;
        }
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', () => closed());
      pump();
    });
    const sender = createSafeSender({
      allow: parseAllowList('127.0.0.1'),
      timeoutMs: 10_000,
      maxResponseBytes: 1000,
    });
    const reply = await sender.send({ url: `http://127.0.0.1:${s.port}/cb`, body: '{}' });
    expect(reply.status).toBe(200);
    expect(reply.body.length).toBe(1000);
    expect(reply.truncated).toBe(true);
    expect(reply.body.every((b) => b === 0x61)).toBe(true);
    await connectionClosed;
    expect(written).toBeGreaterThan(reply.body.length);
  });

  it('the default limit is 64 KiB', async () => {
    const s = await serve((_req, res) => res.end(Buffer.alloc(200_000, 0x62)));
    const sender = createSafeSender({ allow: parseAllowList('127.0.0.1'), timeoutMs: 10_000 });
    const reply = await sender.send({ url: `http://127.0.0.1:${s.port}/cb`, body: '{}' });
    expect(reply.body.length).toBe(65_536);
    expect(reply.truncated).toBe(true);
  });

  it('a connection refused is a network failure', async () => {
    const s = await serve((_req, res) => res.end());
    const port = s.port;
    await servers.pop()!.close();
    const sender = createSafeSender({ allow: parseAllowList('127.0.0.1'), timeoutMs: 5_000 });
    await expect(sender.send({ url: `http://127.0.0.1:${port}/cb`, body: '{}' })).rejects.toMatchObject({
      name: 'SendFailed',
      reason: 'network',
      detail: 'ECONNREFUSED',
    });
  });
});
