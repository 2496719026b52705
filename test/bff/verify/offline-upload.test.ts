import {
  CLOCK_TOLERANCE_MS,
  OFFLINE_CHECK_MAX_AGE_MS,
  base45Encode,
  base64urlDecode,
  createMemoryTerminalStore,
  createOfflineTerminal,
  openTrustList,
  parseCodeV2,
  type OfflineCheck,
  type OfflineCheckResult,
  type StatusListAnswer,
  type TrustListAnswer,
} from '@eid/shared';
import { startStack, withSecondInstance, type Stack } from '../../helpers/stack';
import { codeOf, ed25519, holderWithCard, newDevice, staffToken, type Holder } from '../../helpers/card-flow';
import { codeWithSignature } from '../../shared/forge';

/** A v2 code with its device signature (its last 64 bytes) replaced. */
function withSignature(code: string, signature: Uint8Array): string {
  const bytes = parseCodeV2(code).bytes.slice();
  bytes.set(signature, bytes.length - 64);
  return `EID2:${base45Encode(bytes)}`;
}

/**
 * `POST /api/v1/verify/offline-checks` through the front door: offline terminals (the shared one, over lists
 * downloaded from this BFF) check real codes, and their queues are uploaded to the real BFF over HTTP.
 */
describe('verify: uploading offline checks', () => {
  let stack: Stack;
  let staff: string;
  let holder: Holder;
  const MINUTE = 60_000;

  beforeAll(async () => {
    stack = await startStack();
    staff = await staffToken(stack);
    holder = await holderWithCard(stack);
  });
  afterAll(async () => {
    await stack.stop();
  });

  /** A terminal that downloaded the BFF's lists just now, as the staff page does while online. */
  async function terminal() {
    const trust = (await stack.api('GET', '/api/v1/trust-list')).body as TrustListAnswer;
    const kids = openTrustList(
      base64urlDecode(trust.trustList),
      stack.deps.keys.trustRootPublicKey(),
      ed25519,
    ).issuers.keys();
    const statusLists: StatusListAnswer[] = [];
    for (const kid of kids) {
      const res = await stack.api('GET', `/api/v1/status-lists/${kid}`);
      if (res.status === 200) statusLists.push(res.body as StatusListAnswer);
    }
    const t = createOfflineTerminal({
      store: createMemoryTerminalStore(),
      clock: stack.clock,
      trustRootPublicKey: stack.deps.keys.trustRootPublicKey(),
      ed25519,
    });
    await t.saveLists({ trustList: trust, statusLists, fetchedAt: stack.clock.now() });
    return t;
  }

  const upload = (checks: unknown[], token = staff, api = stack.api) =>
    api('POST', '/api/v1/verify/offline-checks', { token, body: { checks } });
  const results = async (checks: OfflineCheck[], api = stack.api) => {
    const res = await upload(checks, staff, api);
    expect(res.status).toBe(200);
    return res.body.results as OfflineCheckResult[];
  };
  const offlineEvents = async (h: Holder) =>
    (
      (await stack.api('GET', '/api/v1/usage?limit=100', { token: h.token })).body.items as {
        at: number;
        action: string;
        actor: Record<string, string>;
        fields: string[];
        purpose: string;
        result: string;
        detail?: Record<string, unknown>;
      }[]
    ).filter((e) => e.detail?.offline === true);

  it('when a terminal uploads a valid offline check later, then it is recorded once, marked offline, with its check time and upload time', async () => {
    const t = await terminal();
    const checkedAt = stack.clock.now();
    const shown = await t.check(codeOf(stack, holder), 'hotel_check_in', 'terminal-a');
    expect(shown.verdict).toBe('valid');
    stack.clock.advance(10 * MINUTE);

    const res = await upload(await t.queue.pending());
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toEqual({
      results: [{ id: shown.check!.id, status: 'recorded', verdict: 'valid', replayedElsewhere: false }],
    });

    const events = (await offlineEvents(holder)).filter((e) => e.detail?.checkId === shown.check!.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'card.verify',
      purpose: 'hotel_check_in',
      result: 'ok',
      actor: { type: 'staff', displayName: '济南市公安局历下分局 窗口 3' },
      // What the terminal could show from the code for this purpose: all the hotel code disclosed.
      fields: ['name', 'sex', 'ethnicity', 'birthDate', 'idNumberMasked'],
      detail: {
        offline: true,
        verdict: 'valid',
        verdictAtUpload: 'valid',
        checkedAt,
        uploadedAt: checkedAt + 10 * MINUTE,
        terminalId: 'terminal-a',
        replayedElsewhere: false,
      },
    });
  });

  it('when an upload is retried, also at a second app instance on the same database, then the check stays recorded once', async () => {
    const t = await terminal();
    const shown = await t.check(codeOf(stack, holder), 'finance', 'terminal-retry');
    const pending = await t.queue.pending();
    expect((await results(pending))[0]!.status).toBe('recorded');
    expect(await results(pending)).toEqual([
      { id: shown.check!.id, status: 'already_recorded', verdict: 'valid', replayedElsewhere: false },
    ]);

    await withSecondInstance(stack, async (other) => {
      expect((await results(pending, other))[0]!.status).toBe('already_recorded');
      // Two copies of the same upload at once, one per instance: still one record.
      const both = await Promise.all([results(pending), results(pending, other)]);
      expect(both.map((r) => r[0]!.status)).toEqual(['already_recorded', 'already_recorded']);
    });
    const events = (await offlineEvents(holder)).filter((e) => e.detail?.checkId === shown.check!.id);
    expect(events).toHaveLength(1);
  });

  it('when a first upload reaches two app instances at the same moment, then one records it and the other says already_recorded', async () => {
    const h = await holderWithCard(stack);
    const t = await terminal();
    await t.check(codeOf(stack, h), 'hotel_check_in', 'terminal-race');
    await t.check(codeOf(stack, h, stack.clock.now() - 1000), 'medical_care', 'terminal-race');
    const pending = await t.queue.pending();
    await withSecondInstance(stack, async (other) => {
      const [a, b] = await Promise.all([results(pending), results(pending, other)]);
      for (const i of [0, 1])
        expect([a[i]!.status, b[i]!.status].sort()).toEqual(['already_recorded', 'recorded']);
      expect([...a, ...b].every((r) => !r.replayedElsewhere)).toBe(true);
    });
    expect(await offlineEvents(h)).toHaveLength(2);
  });

  it('when two terminals both accepted the same code offline, then the second upload is flagged to its staff member and in the resident record, also on retry', async () => {
    const h = await holderWithCard(stack);
    const code = codeOf(stack, h);
    const [a, b] = [await terminal(), await terminal()];
    expect((await a.check(code, 'hotel_check_in', 'terminal-one')).verdict).toBe('valid');
    expect((await b.check(code, 'hotel_check_in', 'terminal-two')).verdict).toBe('valid');

    const first = await results(await a.queue.pending());
    expect(first[0]).toMatchObject({ status: 'recorded', replayedElsewhere: false });
    const second = await results(await b.queue.pending());
    expect(second[0]).toMatchObject({ status: 'recorded', verdict: 'valid', replayedElsewhere: true });
    // Retries answer what was recorded: the flag stays with the second, not with the first.
    expect((await results(await b.queue.pending()))[0]).toMatchObject({
      status: 'already_recorded',
      replayedElsewhere: true,
    });
    expect((await results(await a.queue.pending()))[0]).toMatchObject({
      status: 'already_recorded',
      replayedElsewhere: false,
    });

    const events = await offlineEvents(h);
    expect(events.map((e) => [e.detail?.terminalId, e.detail?.replayedElsewhere]).sort()).toEqual([
      ['terminal-one', false],
      ['terminal-two', true],
    ]);
  });

  it('when a code accepted online is also accepted offline, then the offline upload is flagged replayed elsewhere', async () => {
    const h = await holderWithCard(stack);
    const code = codeOf(stack, h);
    const online = await stack.api('POST', '/api/v1/verify', {
      token: staff,
      body: { code, purpose: 'hotel_check_in' },
    });
    expect(online.body.verdict).toBe('valid');
    const t = await terminal();
    await t.check(code, 'hotel_check_in', 'terminal-after-online');
    expect((await results(await t.queue.pending()))[0]).toMatchObject({
      status: 'recorded',
      replayedElsewhere: true,
    });
    expect((await offlineEvents(h))[0]!.detail?.replayedElsewhere).toBe(true);
  });

  it('when the terminal refused a code (replayed to it), then that check is recorded once as denied with nothing disclosed', async () => {
    const h = await holderWithCard(stack);
    const t = await terminal();
    const code = codeOf(stack, h);
    await t.check(code, 'hotel_check_in', 'terminal-same');
    const replay = await t.check(code, 'hotel_check_in', 'terminal-same');
    expect(replay.verdict).toBe('replayed');
    const pending = await t.queue.pending();
    expect((await results(pending)).map((r) => [r.status, r.replayedElsewhere])).toEqual([
      ['recorded', false],
      ['recorded', false],
    ]);
    expect((await results(pending)).map((r) => r.status)).toEqual(['already_recorded', 'already_recorded']);
    const denied = (await offlineEvents(h)).filter((e) => e.detail?.verdict === 'replayed');
    expect(denied).toEqual([
      expect.objectContaining({
        result: 'denied',
        fields: [],
        detail: expect.objectContaining({ offline: true }),
      }),
    ]);
  });

  it('when the card was suspended before the upload, then the BFF answers and records its own verdict beside the terminal one', async () => {
    const h = await holderWithCard(stack);
    const t = await terminal();
    await t.check(codeOf(stack, h), 'hotel_check_in', 'terminal-status');
    expect((await stack.api('POST', '/api/v1/card/suspend', { token: h.token, body: {} })).status).toBe(200);
    expect((await results(await t.queue.pending()))[0]).toMatchObject({
      status: 'recorded',
      verdict: 'suspended',
    });
    expect((await offlineEvents(h))[0]!.detail).toMatchObject({
      verdict: 'valid',
      verdictAtUpload: 'suspended',
    });
  });

  it('when a code is forged or tampered with, then it is refused as not genuine and nothing is recorded', async () => {
    const h = await holderWithCard(stack);
    const now = stack.clock.now();
    const genuine = codeOf(stack, h);
    const check = (code: string, id: string): OfflineCheck => ({
      id,
      code,
      purpose: 'hotel_check_in',
      terminalId: 'terminal-forger',
      checkedAt: now,
      verdict: 'valid',
    });
    const forged = [
      // The holder's credential (anyone who saw a code has it) with a signature not made by the device.
      check(withSignature(genuine, new Uint8Array(64).fill(7)), 'forged-device-sig-01'),
      // The same credential signed by another device's key.
      check(codeOf(stack, { credential: h.credential, device: newDevice() }), 'forged-other-device'),
      // One character of a genuine code changed.
      check(
        `${genuine.slice(0, 100)}${genuine[100] === 'A' ? 'B' : 'A'}${genuine.slice(101)}`,
        'tampered-code-0001',
      ),
      check('EID1:NOT-A-CODE', 'not-a-code-000001'),
    ];
    const answer = await results(forged);
    expect(answer.map((r) => [r.status, r.reason])).toEqual(forged.map(() => ['refused', 'not_genuine']));
    expect(answer[0]!.verdict).toBe('bad_signature');
    expect(await offlineEvents(h)).toEqual([]);
  });

  it('when checkedAt is ahead of the BFF clock or older than allowed, then the check is refused and nothing is recorded', async () => {
    const h = await holderWithCard(stack);
    const now = stack.clock.now();
    const at = (checkedAt: number, id: string): OfflineCheck => ({
      id,
      code: codeOf(stack, h, checkedAt),
      purpose: 'hotel_check_in',
      terminalId: 'terminal-clock',
      checkedAt,
      verdict: 'valid',
    });
    const answer = await results([
      at(now + CLOCK_TOLERANCE_MS + 1000, 'ahead-of-clock-001'),
      at(now - OFFLINE_CHECK_MAX_AGE_MS - 1, 'older-than-week-01'),
      { ...at(now, 'unknown-purpose-01'), purpose: 'curiosity' },
      at(now + CLOCK_TOLERANCE_MS - 1000, 'inside-tolerance-1'),
    ]);
    expect(answer.map((r) => [r.status, r.reason])).toEqual([
      ['refused', 'checked_at_future'],
      ['refused', 'checked_at_too_old'],
      ['refused', 'purpose_unknown'],
      ['recorded', undefined],
    ]);
    expect((await offlineEvents(h)).map((e) => e.detail?.checkId)).toEqual(['inside-tolerance-1']);
  });

  it('when the body is not a list of 1 to 100 well-formed checks, then it is 400 VALIDATION_FAILED; without a staff token 401', async () => {
    const good: OfflineCheck = {
      id: 'well-formed-id-0001',
      // The smallest code (no claims), so that 101 checks stay under the body limit and meet the schema.
      code: codeOf(stack, holder, undefined, { purpose: 'holder_only' }),
      purpose: 'hotel_check_in',
      terminalId: 'terminal-body',
      checkedAt: stack.clock.now(),
      verdict: 'valid',
    };
    for (const checks of [
      [],
      Array.from({ length: 101 }, (_, i) => ({ ...good, id: `many-checks-${String(i).padStart(6, '0')}` })),
      [{ ...good, extra: 1 }],
      [{ ...good, code: 'E'.repeat(4097) }],
      [{ ...good, verdict: 'fine' }],
      [{ ...good, id: 'has:colon:in-it-01' }],
      [{ ...good, id: 'short' }],
      [{ ...good, terminalId: { $gt: '' } }],
      [{ ...good, checkedAt: 1.5 }],
      [{ ...good, checkedAt: -1 }],
      [{ ...good, checkedAt: '1700000000000' }],
    ]) {
      const res = await upload(checks);
      expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    const bare = await stack.api('POST', '/api/v1/verify/offline-checks', { body: { checks: [good] } });
    expect([bare.status, bare.body.code]).toEqual([401, 'UNAUTHENTICATED']);
    const resident = await upload([good], holder.token);
    expect(resident.status).toBe(401);
  });

  it('when checks are uploaded, then no log line carries the code, the holder name or ID number', async () => {
    const h = await holderWithCard(stack);
    const from = stack.logs.length;
    const t = await terminal();
    const code = codeOf(stack, h);
    await t.check(code, 'household_registration', 'terminal-logs');
    await results(await t.queue.pending());
    await results([
      {
        ...(await t.queue.pending())[0]!,
        id: 'forged-for-the-log',
        code: codeWithSignature(h.credential, stack.clock.now()),
      },
    ]);
    const lines = stack.logs.slice(from);
    expect(lines.some((l) => l.includes('offline checks uploaded'))).toBe(true);
    const secrets = [code.slice(5, 60), h.person.name, h.person.idNumber, h.person.address];
    expect(lines.filter((l) => secrets.some((s) => l.includes(s)))).toEqual([]);
  });
});
