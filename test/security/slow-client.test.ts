import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { MongoClient } from 'mongodb';
import { startMocks, type Mocks } from '@eid/mock';
import { manualClock } from '@eid/bff/infra/clock';
import { bffEnv, spawnBff, type BffProcess } from '../helpers/bff-process';

/**
 * A client that sends its request a byte at a time holds a connection and, with Node's defaults, kept it for
 * 300 s. The BFF process (bff/src/server.ts, as deployed) cuts it off REQUEST_TIMEOUT_MS after it began, and
 * answers everyone else meanwhile.
 */
describe('slow clients against the BFF process', () => {
  let mocks: Mocks;
  let bff: BffProcess;
  const dbName = `t_${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    mocks = await startMocks({ clock: manualClock(Date.now()), faceHangMs: 2000 });
    bff = await spawnBff(bffEnv({ mocks, dbName, env: { REQUEST_TIMEOUT_MS: '1500' } }));
  });
  afterAll(async () => {
    await bff?.stop();
    const mongo = await MongoClient.connect(process.env.MONGODB_URI!);
    await mongo.db(dbName).dropDatabase();
    await mongo.close();
    await mocks?.stop();
  });

  /**
   * Opens a connection, writes `head` and then `dripped` one byte every `everyMs` until the server closes it;
   * resolves with what the server answered, how many dripped bytes got out, and `during`'s outcome, which runs
   * while the drip is on.
   */
  function drip(head: string, dripped: string, everyMs: number) {
    const { port } = new URL(bff.url);
    const socket = net.connect(Number(port), '127.0.0.1');
    let answer = '';
    let sent = 0;
    socket.on('data', (d) => (answer += d.toString('latin1')));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => undefined);
    let timer: NodeJS.Timeout | undefined;
    socket.once('connect', () => {
      socket.write(head);
      timer = setInterval(() => {
        if (sent >= dripped.length || socket.destroyed) return clearInterval(timer);
        socket.write(dripped[sent++]!);
      }, everyMs);
    });
    return {
      closed: closed.then(() => {
        clearInterval(timer);
        return { answer, sent };
      }),
      isOpen: () => !socket.destroyed,
    };
  }

  it('when a body arrives a byte at a time, then the connection is cut off (408) long before it is complete, and other requests are answered meanwhile', async () => {
    const body = JSON.stringify({ code: `EID1:${'A'.repeat(900)}`, purpose: 'hotel_check_in' });
    const slow = drip(
      `POST /api/v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      body,
      100,
    );
    // While the slow body is still dripping, other clients are answered.
    const others = await Promise.all(Array.from({ length: 10 }, () => bff.api('GET', '/healthz')));
    expect(slow.isOpen()).toBe(true);
    expect(others.map((r) => r.status)).toEqual(Array(10).fill(200));
    const login = await bff.api('POST', '/api/v1/staff/login', {
      body: { username: 'nobody', password: 'x'.repeat(12) },
    });
    expect(login.status).toBeLessThan(500);
    const { answer, sent } = await slow.closed;
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    // At 100 ms a byte the body takes about 90 s; it was cut off after a small part of it.
    expect(sent).toBeLessThan(body.length / 2);
    expect((await bff.api('GET', '/healthz')).status).toBe(200);
  });

  it('when the headers arrive a byte at a time, then the connection is cut off too', async () => {
    const head = `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: ${'p'.repeat(900)}\r\n\r\n`;
    const slow = drip('', head, 100);
    expect((await bff.api('GET', '/healthz')).status).toBe(200);
    const { answer, sent } = await slow.closed;
    expect(answer === '' || /^HTTP\/1\.1 408 /.test(answer)).toBe(true);
    expect(sent).toBeLessThan(head.length / 2);
  });
});
