import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  decodeTerminalBundle,
  encodeTerminalBundle,
  newSignatureNonce,
  openStatusList,
  signRequest,
  trustListOf,
  base64urlDecode,
} from '@eid/shared';
import { signNodeResponse } from '@eid/bff/modules/federation/node-signature-profile';
import { CIRCUIT_FAILURES, IDEMPOTENT_ATTEMPTS } from '@eid/bff/modules/federation/resilience';
import { nodeSha256 } from '@eid/bff/infra/ed25519';
import { ed25519 } from '../../helpers/card-flow';
import { expectError } from '../../helpers/enrollment';
import {
  devKeyStore,
  listOf,
  NationalLog,
  startNationalStandIn,
  type NationalStandIn,
} from '../../helpers/national-log';
import { startStack, type Stack } from '../../helpers/stack';

// Node-to-node calls: RFC 9421 requests signed with node keys from the national list, signed answers bound
// to their request, the replay store, and cockatiel's timeout, retries and per-peer circuit breaker.
let national: NationalStandIn;
let shandong: Stack;
let hubei: Stack;
let log: NationalLog;

/** Province 11 is played by this server: it answers as `behave` says, counting requests. */
let peer: Server;
let peerUrl: string;
let peerHits = 0;
let behave: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void = (_req, res) =>
  res.writeHead(500).end();

const HELLO = '/api/v1/federation/node/hello';

beforeAll(async () => {
  const clock = { now: () => shandong?.clock.now() ?? Date.now() };
  log = new NationalLog(clock);
  national = await startNationalStandIn(log);
  peer = http.createServer((req, res) => {
    peerHits++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => behave(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => peer.listen(0, '127.0.0.1', resolve));
  const address = peer.address();
  peerUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const env = (province: string) => ({
    PROVINCE_CODE: province,
    FEDERATION_NATIONAL_URL: national.url,
    FEDERATION_TIMEOUT_MS: '300',
  });
  shandong = await startStack({ env: env('37') });
  hubei = await startStack({ env: env('42'), mocks: shandong.mocks });
  log.append(
    listOf(1, clock.now() - 60_000, [
      { province: '37', url: shandong.url },
      { province: '42', url: hubei.url },
      { province: '11', url: peerUrl },
    ]),
  );
  await log.pushTo([shandong, hubei]);
});
afterAll(async () => {
  await hubei.stop();
  await shandong.stop();
  await national.stop();
  peer.closeAllConnections();
  await new Promise<void>((resolve) => peer.close(() => resolve()));
});

/** A request to Shandong's hello route signed as `signer` (a province's development node key by default). */
function signedHello(options: { province?: string; keyId?: string; nonce?: string; body?: unknown } = {}) {
  const keys = devKeyStore(options.province ?? '42', shandong.clock);
  const url = shandong.url + HELLO;
  const body = Buffer.from(JSON.stringify(options.body ?? { sequence: 1 }));
  const headers = signRequest({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json' },
    body,
    keyId: options.keyId ?? keys.nodeKeys()[0]!.kid,
    sign: (m) => keys.signAsNode(m).signature,
    created: Math.floor(shandong.clock.now() / 1000),
    nonce: options.nonce ?? newSignatureNonce(),
    tag: 'eid-node',
    sha256: nodeSha256,
  });
  return () =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }).then(
      async (r) => ({
        status: r.status,
        headers: r.headers,
        body: (await r.json()) as any,
      }),
    );
}

describe('signed requests and signed answers', () => {
  it('when Hubei calls Shandong through the node client, then both signatures hold and each side knows the other', async () => {
    const answer = await hubei.services.federation.nodeClient.call<any>('37', 'POST', HELLO, { sequence: 1 });
    expect(answer).toEqual({
      status: 200,
      kid: 'dev-node-37-1',
      body: {
        province: '37',
        caller: '42',
        sequence: 1,
        treeSize: 1,
        rootHash: expect.any(String),
        differs: false,
      },
    });
  });

  it('when a request carries a valid signature once, then a replay of it is refused', async () => {
    const send = signedHello();
    const first = await send();
    expect(first.status).toBe(200);
    expect(first.headers.get('eid-request-nonce')).toEqual(expect.any(String));
    const replay = await send();
    expectError(replay, 401, 'NODE_SIGNATURE_INVALID');
    expect(replay.body.details.reason).toBe('replayed');
  });

  it('when a request is forged (another key under a listed kid), then it is refused as an invalid signature', async () => {
    // Beijing's key, claiming Hubei's key id.
    const res = await signedHello({ province: '11', keyId: 'dev-node-42-1' })();
    expectError(res, 401, 'NODE_SIGNATURE_INVALID');
    expect(res.body.details.reason).toBe('bad_signature');
    expect(res.headers.get('signature')).toBeNull();
  });

  it('when a request is signed by a key the list does not hold, then it is refused as an unknown node key', async () => {
    const res = await signedHello({ province: '11', keyId: 'dev-node-99-1' })();
    expectError(res, 403, 'NODE_KEY_UNKNOWN');
    const unsigned = await fetch(shandong.url + HELLO, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect([unsigned.status, ((await unsigned.json()) as any).details.reason]).toEqual([
      401,
      'missing_signature',
    ]);
  });

  it('when the handler refuses the request, then the refusal itself comes signed', async () => {
    const res = await hubei.services.federation.nodeClient.call<any>('37', 'POST', HELLO, {
      sequence: 'one',
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.kid).toBe('dev-node-37-1');
  });
});

describe('answers the client refuses', () => {
  /** Beijing's development node key signs this server's answers. */
  const beijing = () => devKeyStore('11', shandong.clock);
  const answer = (
    res: ServerResponse,
    req: IncomingMessage,
    status: number,
    body: unknown,
    nonce: string,
  ) => {
    const bytes = Buffer.from(JSON.stringify(body));
    const headers = signNodeResponse({
      keys: beijing(),
      method: req.method!,
      url: peerUrl + req.url,
      status,
      requestNonce: nonce,
      body: bytes,
      now: shandong.clock.now(),
    });
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(bytes);
  };
  const nonceOf = (req: IncomingMessage) =>
    /nonce="([^"]+)"/.exec(String(req.headers['signature-input']))![1]!;

  it('when the peer signs its answer properly, then the client takes it', async () => {
    behave = (req, res) => answer(res, req, 200, { ok: true }, nonceOf(req));
    const res = await shandong.services.federation.nodeClient.call('11', 'POST', HELLO, {});
    expect(res).toEqual({ status: 200, body: { ok: true }, kid: 'dev-node-11-1' });
  });

  it('when the answer is bound to another request, signed with another status, tampered or unsigned, then the client refuses it', async () => {
    const cases: [(req: IncomingMessage, res: ServerResponse) => void, string][] = [
      [(req, res) => answer(res, req, 200, { ok: true }, newSignatureNonce()), 'not_our_request'],
      [
        (req, res) => {
          const bytes = Buffer.from('{"ok":true}');
          const headers = signNodeResponse({
            keys: beijing(),
            method: req.method!,
            url: peerUrl + req.url,
            status: 200,
            requestNonce: nonceOf(req),
            body: bytes,
            now: shandong.clock.now(),
          });
          res.writeHead(404, { 'content-type': 'application/json', ...headers }).end(bytes);
        },
        'status_mismatch',
      ],
      [
        (req, res) => {
          const bytes = Buffer.from('{"ok":true}');
          const headers = signNodeResponse({
            keys: beijing(),
            method: req.method!,
            url: peerUrl + req.url,
            status: 200,
            requestNonce: nonceOf(req),
            body: bytes,
            now: shandong.clock.now(),
          });
          res.writeHead(200, { 'content-type': 'application/json', ...headers }).end('{"ok":false}');
        },
        'digest_mismatch',
      ],
      [
        (req, res) => {
          const bytes = Buffer.from('{"ok":true}');
          // Hubei's key: a node key of the list, but not Beijing's.
          const headers = signNodeResponse({
            keys: devKeyStore('42', shandong.clock),
            method: req.method!,
            url: peerUrl + req.url,
            status: 200,
            requestNonce: nonceOf(req),
            body: bytes,
            now: shandong.clock.now(),
          });
          res.writeHead(200, { 'content-type': 'application/json', ...headers }).end(bytes);
        },
        'unknown_key',
      ],
      [
        (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
        'missing_signature',
      ],
    ];
    for (const [behaviour, reason] of cases) {
      behave = behaviour;
      const failure = await shandong.services.federation.nodeClient
        .call('11', 'POST', HELLO, {})
        .catch((e: unknown) => e);
      expect([reason, (failure as any).code, (failure as any).details?.reason]).toEqual([
        reason,
        'NODE_SIGNATURE_INVALID',
        reason,
      ]);
    }
  });
});

describe('resilience', () => {
  it('when a peer fails twice and then answers, then an idempotent call is retried to success and a POST is not retried', async () => {
    let calls = 0;
    behave = (req, res) => {
      calls++;
      if (calls % IDEMPOTENT_ATTEMPTS !== 0) return void res.writeHead(503).end();
      const nonce = /nonce="([^"]+)"/.exec(String(req.headers['signature-input']))![1]!;
      const bytes = Buffer.from('{"ok":true}');
      const headers = signNodeResponse({
        keys: devKeyStore('11', shandong.clock),
        method: req.method!,
        url: peerUrl + req.url,
        status: 200,
        requestNonce: nonce,
        body: bytes,
        now: shandong.clock.now(),
      });
      res.writeHead(200, { 'content-type': 'application/json', ...headers }).end(bytes);
    };
    const got = await shandong.services.federation.nodeClient.call(
      '11',
      'GET',
      '/api/v1/federation/node/status',
    );
    expect([got.status, calls]).toEqual([200, IDEMPOTENT_ATTEMPTS]);
    calls = 0;
    const posted = await shandong.services.federation.nodeClient
      .call('11', 'POST', HELLO, {})
      .catch((e: unknown) => e);
    expect([(posted as any).code, (posted as any).details.reason, calls]).toEqual([
      'UPSTREAM_UNAVAILABLE',
      'server_error',
      1,
    ]);
  });

  it('when a peer never answers in time, then the call fails as a timeout', async () => {
    behave = () => undefined;
    const failure = await shandong.services.federation.nodeClient
      .call('11', 'POST', HELLO, {})
      .catch((e: unknown) => e);
    expect([(failure as any).code, (failure as any).details.reason]).toEqual([
      'UPSTREAM_UNAVAILABLE',
      'timeout',
    ]);
  });

  it('when a peer keeps failing, then its circuit opens and calls fail at once without reaching it, while other peers are still called', async () => {
    behave = (_req, res) => res.writeHead(500).end();
    const client = hubei.services.federation.nodeClient;
    for (let i = 0; i < CIRCUIT_FAILURES; i++) {
      const failure = await client.call('11', 'POST', HELLO, {}).catch((e: unknown) => e);
      expect((failure as any).details.reason).toBe('server_error');
    }
    expect(client.circuitOf('11')).toBe('open');
    const hits = peerHits;
    const fast = await client.call('11', 'POST', HELLO, {}).catch((e: unknown) => e);
    expect([(fast as any).code, (fast as any).details.reason]).toEqual([
      'UPSTREAM_UNAVAILABLE',
      'circuit_open',
    ]);
    expect(peerHits).toBe(hits);
    expect((await client.call('37', 'POST', HELLO, {})).status).toBe(200);
    expect(client.circuitOf('37')).toBe('closed');
  });

  it('when a province is not in the list, then the client says the federation has no such node', async () => {
    const failure = await shandong.services.federation.nodeClient
      .call('65', 'GET', HELLO)
      .catch((e: unknown) => e);
    expect((failure as any).code).toBe('FEDERATION_NOT_CONFIGURED');
  });
});

describe("peers' status lists and the terminal bundle", () => {
  it("when Shandong fetches its peers' lists, then the terminal bundle carries its own and Hubei's, each verifying under the list's key", async () => {
    await shandong.services.federation.fetchPeerStatusLists();
    const raw = await fetch(`${shandong.url}/api/v1/federation/terminal-bundle`);
    const text = await raw.text();
    const res = { status: raw.status, body: JSON.parse(text) };
    expect(res.status).toBe(200);
    // One spelling: the canonical JSON of the shared format, which a terminal reads back.
    expect(text).toBe(new TextDecoder().decode(encodeTerminalBundle(decodeTerminalBundle(text))));
    expect(res.body.trust).toEqual(log.bundle({ checkpoint: res.body.trust.checkpoint }));
    const lists = res.body.statusLists as {
      province: string;
      kid: string;
      list: string;
      fetchedAt: number;
    }[];
    expect(lists.map((l) => [l.province, l.kid]).sort()).toEqual([
      ['37', 'dev-37-1'],
      ['42', 'dev-42-1'],
    ]);
    const issuers = trustListOf(shandong.services.trust.issuers());
    for (const l of lists) expect(openStatusList(base64urlDecode(l.list), issuers, ed25519).kid).toBe(l.kid);
    expect((await shandong.services.federation.peerStatusList('dev-42-1'))?.province).toBe('42');
  });
});
