import { issuersOfList, nodeKeysOfList, type NationalTrustList } from '@eid/shared';
import { manualClock } from '@eid/bff/infra/clock';
import {
  PROVINCES,
  openBundle,
  devBundleTrust,
  devNodeSigner,
  enrolmentOf,
  signedSubmission,
  startNational,
  startWitnessProvince,
  type National,
  type WitnessProvince,
} from '../../helpers/national';

const DAY = 86_400_000;

describe('national role: retiring and compromised keys', () => {
  const clock = manualClock(Date.now());
  const trust = devBundleTrust(clock);
  let witnesses: WitnessProvince[];
  let national: National;

  beforeAll(async () => {
    witnesses = await Promise.all(PROVINCES.map((p) => startWitnessProvince(p, clock)));
    national = await startNational({ provinces: enrolmentOf(witnesses), clock });
    expect((await national.operator('POST', '/api/v1/national/publish')).status).toBe(200);
  });
  afterAll(async () => {
    await national.stop();
    await Promise.all(witnesses.map((w) => w.stop()));
  });

  const listNow = async (): Promise<NationalTrustList> =>
    JSON.parse((await national.api('GET', '/api/v1/national/trust-bundle')).body.signed.list);

  it('when the operator retires a key with an overlap, then the next list has it retired until notAfter, and verifiers drop it after', async () => {
    clock.advance(60_000);
    const notAfter = clock.now() + 7 * DAY;
    const res = await national.operator('POST', '/api/v1/national/keys/dev-42-1/retire', {
      body: { notAfter },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kid: 'dev-42-1', status: 'retired', notAfter });
    const node = await national.operator('POST', '/api/v1/national/keys/dev-node-42-1/retire', {
      body: { notAfter },
    });
    expect(node.body).toMatchObject({ status: 'retired', notAfter });
    expect((await listNow()).keys.find((k) => k.kid === 'dev-42-1')!.status).toBe('active');

    expect((await national.operator('POST', '/api/v1/national/publish')).status).toBe(200);
    const list = await listNow();
    const listed = list.keys.find((k) => k.kid === 'dev-42-1')!;
    expect(listed).toMatchObject({ status: 'retired', notAfter });
    expect(listed.history.map((h) => h.status)).toEqual(['active', 'retired']);
    // Credential verifiers take it with its end: what it signed after notAfter is refused.
    expect(issuersOfList(list, clock.now()).find((i) => i.kid === 'dev-42-1')).toMatchObject({ notAfter });
    // Hubei's node may sign with its old key during the overlap, and not a moment after it.
    expect(nodeKeysOfList(list, '42', notAfter).map((k) => k.kid)).toEqual(['dev-node-42-1']);
    expect(nodeKeysOfList(list, '42', notAfter + 1)).toEqual([]);

    const again = await national.operator('POST', '/api/v1/national/keys/dev-42-1/retire', {
      body: { notAfter },
    });
    expect([again.status, again.body.code, again.body.details]).toEqual([
      409,
      'CONFLICT',
      { status: 'retired' },
    ]);
    const past = await national.operator('POST', '/api/v1/national/keys/dev-11-1/retire', {
      body: { notAfter: clock.now() - 1 },
    });
    expect([past.status, past.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const unknown = await national.operator('POST', '/api/v1/national/keys/nobody-1/retire', {
      body: { notAfter },
    });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'NATIONAL_KEY_UNKNOWN']);
  });

  it('when a node key is marked compromised, then it is published at once with its reason and history, never deleted, and signs nothing more', async () => {
    clock.advance(60_000);
    const at = clock.now() - 30_000;
    const before = (await listNow()).sequence;
    // A compromise dated before what is recorded of the key would break its history's order.
    const tooEarly = await national.operator('POST', '/api/v1/national/keys/dev-node-11-1/compromise', {
      body: { reason: 'r', at: 1 },
    });
    expect([tooEarly.status, tooEarly.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const res = await national.operator('POST', '/api/v1/national/keys/dev-node-11-1/compromise', {
      body: { reason: '私钥疑似泄露 (key material copied)', at },
    });
    expect(res.status).toBe(200);
    expect(res.body.publication).toMatchObject({ published: true, sequence: before + 1 });
    expect(res.body.pushes).toBeUndefined();

    const list = await listNow();
    expect(list.sequence).toBe(before + 1);
    const listed = list.keys.find((k) => k.kid === 'dev-node-11-1')!;
    expect(listed.status).toBe('compromised');
    expect(listed.history.at(-1)).toEqual({
      at,
      status: 'compromised',
      reason: '私钥疑似泄露 (key material copied)',
    });
    expect(listed.history).toHaveLength(2);
    expect(nodeKeysOfList(list, '11', clock.now())).toEqual([]);
    const registry = await national.operator('GET', '/api/v1/national/keys');
    expect(registry.body.keys.find((k: any) => k.kid === 'dev-node-11-1')).toMatchObject({
      status: 'compromised',
      source: 'enrolment',
    });

    // Beijing's node can no longer submit with it.
    const url = `${national.url}/api/v1/national/submissions`;
    const { headers, raw } = signedSubmission(url, { keys: [] }, devNodeSigner('11', clock), clock.now());
    const refused = await national.api('POST', '/api/v1/national/submissions', { headers, raw });
    expect(refused.body.code).toBe('NODE_KEY_UNKNOWN');
    const twice = await national.operator('POST', '/api/v1/national/keys/dev-node-11-1/compromise', {
      body: { reason: 'again' },
    });
    expect([twice.status, twice.body.details]).toEqual([409, { status: 'compromised' }]);
  });

  it('when an emergency compromise is published, then the new bundle is pushed to every node at once, which accepts it', async () => {
    // The nodes hold the current bundle (pushed here by hand, as their refresh would have fetched it).
    const current = (await national.api('GET', '/api/v1/national/trust-bundle')).body;
    for (const w of witnesses) {
      w.accepted = openBundle(current, trust, clock.now()).state;
      w.acceptedCheckpoint = current.checkpoint;
    }
    witnesses[2]!.mode = 'hang';
    clock.advance(60_000);
    const res = await national.operator('POST', '/api/v1/national/keys/dev-37-1/compromise', {
      body: { reason: 'HSM 失窃', emergency: true },
    });
    witnesses[2]!.mode = 'up';
    expect(res.body.publication).toMatchObject({ published: true, cosignatures: 2 });
    expect(Object.fromEntries(res.body.pushes.map((p: any) => [p.province, p.delivered]))).toEqual({
      '37': true,
      '42': true,
      '11': false,
    });
    for (const w of witnesses.slice(0, 2)) {
      const pushed = w.pushes.at(-1)!;
      expect(pushed.accepted).toBe(true);
      // Pushed with the proof from the tree the node held, so it extends what it accepted.
      expect(pushed.bundle.consistency?.fromSize).toBe(current.inclusion.index + 1);
      const list = JSON.parse(pushed.bundle.signed.list) as NationalTrustList;
      expect(list.keys.find((k) => k.kid === 'dev-37-1')!.status).toBe('compromised');
      expect(w.accepted!.sequence).toBe(res.body.publication.sequence);
    }
    expect(national.logs.some((l) => l.includes('push not delivered') && l.includes('"province":"11"'))).toBe(
      true,
    );
  });
});
