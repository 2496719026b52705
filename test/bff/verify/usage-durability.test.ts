import { randomUUID } from 'node:crypto';
import { MongoClient, type Db } from 'mongodb';
import { CLOCK_TOLERANCE_MS, CODE_TTL_MS, decodeAnyCredential, type Verdict } from '@eid/shared';
import { startStack, type Stack } from '../../helpers/stack';
import {
  codeOf,
  ed25519,
  holderWithCard,
  issue,
  newDevice,
  reauthToken,
  reissued,
  staffToken,
  type Holder,
} from '../../helpers/card-flow';

/**
 * docs/api.md: "Each answer is sent only after its own usage record (and with it the code's replay key)
 * is acknowledged by the database." Proven over HTTP with MongoDB's own failCommand fail point
 * (docs/mongo-local.md), aimed at this stack's usage_events collection only: when the usage insert
 * fails the staff terminal gets an error and no verdict, and when it is held the answer waits for it.
 */
describe('verify: no verdict without its durable usage record', () => {
  let stack: Stack;
  let staff: string;
  let holder: Holder;
  let suspended: Holder;
  let replaced: Holder;
  let mongo: MongoClient;
  let db: Db;
  let ns: string;

  beforeAll(async () => {
    stack = await startStack();
    staff = await staffToken(stack);
    holder = await holderWithCard(stack);
    suspended = await holderWithCard(stack);
    const s = await stack.api('POST', '/api/v1/card/suspend', { token: suspended.token, body: {} });
    expect(s.status).toBe(200);
    // A card replaced on a new device is revoked; its holder still has the old credential and key.
    replaced = await holderWithCard(stack);
    const again = await issue(stack, replaced.token, newDevice(), await reauthToken(stack, replaced.token));
    expect(again.status).toBe(200);
    mongo = await new MongoClient(process.env.MONGODB_URI!).connect();
    db = mongo.db(stack.config.MONGODB_DB);
    ns = `${stack.config.MONGODB_DB}.usage_events`;
  });
  afterEach(async () => {
    await failCommand('off');
  });
  afterAll(async () => {
    await mongo?.close();
    await stack?.stop();
  });

  const failCommand = async (mode: unknown, data: Record<string, unknown> = {}): Promise<number> =>
    (
      await mongo.db('admin').command({
        configureFailPoint: 'failCommand',
        mode,
        data: { failCommands: ['insert'], namespace: ns, ...data },
      })
    ).count as number;

  const verify = (code: string, requestId: string) =>
    stack.api('POST', '/api/v1/verify', {
      token: staff,
      headers: { 'x-request-id': requestId },
      body: { code, purpose: 'hotel_check_in' },
    });
  const recordOf = (requestId: string) => db.collection('usage_events').findOne({ requestId });

  /** A code shown for each verdict that leaves a usage record, and how many inserts come before its own. */
  const recorded: [Verdict, () => Promise<{ code: string; skip: number }>][] = [
    ['valid', async () => ({ code: codeOf(stack, holder), skip: 0 })],
    [
      'replayed',
      async () => {
        // The first use takes the replay key; the second use's keyed insert collides, then its own record goes in.
        const code = codeOf(stack, holder);
        expect((await verify(code, `first-${randomUUID()}`)).body.verdict).toBe('valid');
        return { code, skip: 1 };
      },
    ],
    ['expired', async () => ({ code: codeOf(stack, holder, stack.clock.now() - CODE_TTL_MS), skip: 0 })],
    [
      'not_yet_valid',
      async () => ({ code: codeOf(stack, holder, stack.clock.now() + CLOCK_TOLERANCE_MS + 1000), skip: 0 }),
    ],
    [
      'bad_signature',
      // The genuine credential shown by a key that is not its device's: the card is known, the use is traced.
      async () => ({ code: codeOf(stack, { device: newDevice(), credential: holder.credential }), skip: 0 }),
    ],
    ['suspended', async () => ({ code: codeOf(stack, suspended), skip: 0 })],
    ['revoked', async () => ({ code: codeOf(stack, replaced), skip: 0 })],
    [
      'status_unknown',
      async () => {
        // Our key, our card, but a status-list place the card does not have.
        const { statusIndex } = decodeAnyCredential(holder.credential).claims;
        const credential = reissued(stack, holder, { statusIndex: statusIndex + 1 });
        return { code: codeOf(stack, { ...holder, credential }), skip: 0 };
      },
    ],
  ];

  it.each(recorded)(
    'when the usage record of a %s verdict cannot be written, then the terminal gets 503 NOT_READY and no verdict',
    async (verdict, make) => {
      const { code, skip } = await make();
      const requestId = `fail-${randomUUID()}`;
      // ExceededTimeLimit: retryable, so the driver's one retry meets the fail point too (and, unlike a
      // stepping-down primary's codes, it does not send the driver off to rediscover the server for seconds).
      await failCommand(skip > 0 ? { skip } : 'alwaysOn', { errorCode: 262 });
      const res = await verify(code, requestId);
      await failCommand('off');
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(res.body).toEqual({
        code: 'NOT_READY',
        message: expect.any(String),
        requestId,
        details: { retryAfterS: 1 },
      });
      expect(res.body).not.toHaveProperty('verdict');
      expect(await recordOf(requestId)).toBeNull();
      // The same code answers its verdict once the database takes writes again: the failure was the trace's.
      const later = `after-${randomUUID()}`;
      const retried = await verify(code, later);
      expect(retried.body.verdict).toBe(verdict);
      expect(await recordOf(later)).toMatchObject({ detail: { verdict } });
    },
  );

  it.each(recorded)(
    'when the usage insert of a %s verdict is held by the database, then the answer comes only after the record is stored',
    async (verdict, make) => {
      const { code, skip } = await make();
      const requestId = `held-${randomUUID()}`;
      const before = await failCommand(skip > 0 ? { skip } : { times: 1 }, {
        blockConnection: true,
        blockTimeMS: 1000,
      });
      const res = await verify(code, requestId);
      // Read at the moment the answer arrived: an answer sent before the write landed finds nothing here
      // (the insert is still held), whatever the machine's speed; an answer sent after always finds it.
      const stored = await recordOf(requestId);
      expect(res.status).toBe(200);
      expect(res.body.verdict).toBe(verdict);
      expect(stored).toMatchObject({ action: 'card.verify', detail: { verdict } });
      // And the insert was indeed the held one: the fail point fired for it.
      await mongo
        .db('admin')
        .command({ waitForFailPoint: 'failCommand', timesEntered: before + 1, maxTimeMS: 5000 });
    },
  );

  it.each([
    ['malformed', 'EID1:not-a-code'],
    ['unknown_issuer', 'forged'],
  ] as const)(
    'when the code names no card of ours (%s), then there is no resident to trace and the verdict does not wait on the trace',
    async (verdict, kind) => {
      let code: string = kind;
      if (kind === 'forged') {
        const rogue = ed25519.keyPairFromSeed(new Uint8Array(32).fill(5));
        const forged = reissued(
          stack,
          holder,
          {},
          {
            kid: 'rogue-37-1',
            sign: (tbs) => ed25519.sign(rogue.secretKey, tbs),
          },
        );
        code = codeOf(stack, { ...holder, credential: forged });
      }
      const requestId = `none-${randomUUID()}`;
      await failCommand('alwaysOn', { errorCode: 262 });
      const res = await verify(code, requestId);
      expect(res.status).toBe(200);
      expect(res.body.verdict).toBe(verdict);
      expect(await recordOf(requestId)).toBeNull();
    },
  );
});
