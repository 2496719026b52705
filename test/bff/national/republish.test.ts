import { setTimeout as sleep } from 'node:timers/promises';
import { type NationalTrustList, type TrustBundle } from '@eid/shared';
import { manualClock } from '@eid/bff/infra/clock';
import {
  PROVINCES,
  openBundle,
  devBundleTrust,
  enrolmentOf,
  startNational,
  startWitnessProvince,
  type National,
  type WitnessProvince,
} from '../../helpers/national';

const HOUR = 3_600_000;

/** Polls `read` until `done` holds of its value (the timer runs on real time; the clock is moved by hand). */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, tries = 200): Promise<T> {
  let value = await read();
  for (let i = 0; i < tries && !done(value); i++) {
    await sleep(25);
    value = await read();
  }
  return value;
}

describe('national role: the republish timer', () => {
  const clock = manualClock(Date.now());
  const trust = devBundleTrust(clock);
  let witnesses: WitnessProvince[];
  let national: National;
  let stopTimer: () => Promise<void>;

  beforeAll(async () => {
    witnesses = await Promise.all(PROVINCES.map((p) => startWitnessProvince(p, clock)));
    national = await startNational({
      provinces: enrolmentOf(witnesses),
      clock,
      env: { NATIONAL_REPUBLISH_S: String(12 * 3600), NATIONAL_LIST_TTL_H: '48' },
    });
    stopTimer = national.services.startBackground({ tickMs: 20 });
  });
  afterAll(async () => {
    await stopTimer();
    await national.stop();
    await Promise.all(witnesses.map((w) => w.stop()));
  });

  const served = async (): Promise<NationalTrustList | undefined> => {
    const res = await national.api('GET', '/api/v1/national/trust-bundle');
    return res.status === 200
      ? (JSON.parse((res.body as TrustBundle).signed.list) as NationalTrustList)
      : undefined;
  };

  it('when the timer starts with nothing published, then it publishes the first list at once', async () => {
    const list = await until(served, (l) => l !== undefined);
    expect(list).toMatchObject({ sequence: 1, issuedAt: clock.now() });
  });

  it('when the clock has not reached NATIONAL_REPUBLISH_S, then nothing more is published', async () => {
    clock.advance(12 * HOUR - 1000);
    await sleep(200);
    expect((await served())!.sequence).toBe(1);
  });

  it('when the clock passes NATIONAL_REPUBLISH_S, then a new list is published well before the old one expires', async () => {
    const first = await national.api('GET', '/api/v1/national/trust-bundle');
    const held = openBundle(first.body, trust, clock.now()).state;
    clock.advance(2000);
    const list = await until(served, (l) => (l?.sequence ?? 0) > 1);
    expect(list).toMatchObject({ sequence: 2, issuedAt: clock.now(), expiresAt: clock.now() + 48 * HOUR });
    // The old list would have lapsed 36 hours from now; a node that held it accepts the new one.
    const next = await national.api('GET', `/api/v1/national/trust-bundle?from=${held.treeSize}`);
    expect(openBundle(next.body, trust, clock.now(), held).state.sequence).toBe(2);
    expect(national.logs.some((l) => l.includes('republish before expiry'))).toBe(true);
  });

  it('when the registry changes, then the timer publishes it without waiting for the republish interval', async () => {
    clock.advance(60_000);
    const res = await national.operator('POST', '/api/v1/national/keys/dev-42-1/retire', {
      body: { notAfter: clock.now() + 24 * HOUR },
    });
    expect(res.status).toBe(200);
    const list = await until(served, (l) => (l?.sequence ?? 0) > 2);
    expect(list!.keys.find((k) => k.kid === 'dev-42-1')!.status).toBe('retired');
  });
});
