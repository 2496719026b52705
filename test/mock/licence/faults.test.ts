import { manualClock } from '@eid/bff/infra/clock';
import {
  FIXTURES,
  MOCK_LICENCE_ADMIN_KEY,
  createLicenceTestClient,
  startLicence,
  type LicenceServer,
} from '@eid/mock';

const who = FIXTURES.pass;

describe('licence stand-in: faults', () => {
  const clock = manualClock(Date.UTC(2026, 11, 2, 2, 0, 0));
  let licence: LicenceServer;
  let client: ReturnType<typeof createLicenceTestClient>;

  const pull = (signal?: AbortSignal) =>
    client.documents(who.idNumber, ['passport'], 'wallet', {
      grant: client.grant({ holderIdNumber: who.idNumber, types: ['passport'] }),
      ...(signal ? { signal } : {}),
    });
  const setFault = (body: unknown) =>
    fetch(`${licence.url}/admin/fault`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': MOCK_LICENCE_ADMIN_KEY },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    licence = await startLicence({ clock });
    client = createLicenceTestClient({ baseUrl: licence.url, clock });
  });
  afterAll(() => licence.stop());
  afterEach(() => licence.setFault({ mode: 'none' }));

  it('when the stand-in is down, then every route but the controls answers 503, and it comes back', async () => {
    expect((await setFault({ mode: 'down' })).status).toBe(200);
    const down = await pull();
    expect(down).toMatchObject({ status: 503, body: { error: 'unavailable' } });
    expect((await fetch(`${licence.url}/issuers`)).status).toBe(503);
    expect((await fetch(`${licence.url}/healthz`)).status).toBe(503);
    expect((await setFault({ mode: 'none' })).status).toBe(200);
    expect((await pull()).status).toBe(200);
  });

  it('when the stand-in is slow, then answers wait the delay, and a caller who gives up is not kept', async () => {
    licence.setFault({ mode: 'slow', delayMs: 300 });
    const started = Date.now();
    expect((await pull()).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    licence.setFault({ mode: 'slow', delayMs: 20_000 });
    await expect(pull(AbortSignal.timeout(200))).rejects.toThrow();
  });

  it('when the connection is reset, then the caller gets a network error, not an answer', async () => {
    licence.setFault({ mode: 'reset' });
    await expect(pull()).rejects.toThrow();
    licence.setFault({ mode: 'none' });
    expect((await pull()).status).toBe(200);
  });

  it('when a fault body is wrong or the key is missing, then the control refuses it', async () => {
    expect((await setFault({ mode: 'flaky' })).status).toBe(400);
    const noKey = await fetch(`${licence.url}/admin/fault`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'down' }),
    });
    expect(noKey.status).toBe(401);
    expect((await pull()).status).toBe(200);
  });
});
