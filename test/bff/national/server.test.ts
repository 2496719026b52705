import { randomBytes } from 'node:crypto';
import { manualClock } from '@eid/bff/infra/clock';
import { DEV_NATIONAL_OPERATOR_TOKEN } from '@eid/bff/national/national.types';
import { spawnBff, type BffProcess } from '../../helpers/bff-process';
import {
  PROVINCES,
  devBundleTrust,
  enrolmentOf,
  openBundle,
  startWitnessProvince,
  type WitnessProvince,
} from '../../helpers/national';

// bff/src/server.ts with NODE_ROLE=national, as its own OS process: the national app behind the same listen,
// log and drain as a province node.
describe('NODE_ROLE=national as a process', () => {
  const clock = manualClock(Date.now());
  let witnesses: WitnessProvince[];
  let national: BffProcess;

  beforeAll(async () => {
    witnesses = await Promise.all(PROVINCES.map((p) => startWitnessProvince(p, clock)));
    national = await spawnBff({
      NODE_ENV: 'test',
      NODE_ROLE: 'national',
      LOG_LEVEL: 'info',
      MONGODB_URI: process.env.MONGODB_URI!,
      MONGODB_DB: `t_${randomBytes(6).toString('hex')}`,
      NATIONAL_PROVINCES: JSON.stringify(enrolmentOf(witnesses)),
      // The timer's first look publishes at once; nothing else is due for an hour.
      NATIONAL_REPUBLISH_S: '3600',
    });
  });
  afterAll(async () => {
    await national?.stop();
    await Promise.all(witnesses.map((w) => w.stop()));
  });

  it('when it starts, then it logs its keys and publishes the first list on its own, which opens with the pinned keys', async () => {
    const keys = national.logs.map((l) => JSON.parse(l)).find((e) => e.logKey);
    expect(keys.logKey).toBe(devBundleTrust(clock).logVerifierKey);
    expect(keys.rootPublicKey).toBe(Buffer.from(devBundleTrust(clock).rootPublicKey).toString('base64url'));
    let res = await national.api('GET', '/api/v1/national/trust-bundle');
    for (let i = 0; i < 100 && res.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 50));
      res = await national.api('GET', '/api/v1/national/trust-bundle');
    }
    expect(res.status).toBe(200);
    expect(openBundle(res.body, devBundleTrust(clock), Date.now()).state.sequence).toBe(1);
    expect((await national.api('GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect((await national.api('GET', '/api/v1/card')).status).toBe(404);
  });

  it('when the operator publishes and the process is then stopped, then the list is served and it drains and exits 0', async () => {
    const res = await national.api('POST', '/api/v1/national/publish', {
      token: DEV_NATIONAL_OPERATOR_TOKEN,
    });
    expect(res.body).toMatchObject({ published: true, sequence: 2 });
    expect(await national.stop()).toBe(0);
    expect(national.logs.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
  });
});
