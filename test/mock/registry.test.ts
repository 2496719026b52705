import { parseIdNumber } from '@eid/shared';
import {
  FIXTURES,
  MOCK_REGISTRY_API_KEY,
  RESIDENTS,
  SEED_REFERENCE_DATE,
  startRegistry,
  type RegistryServer,
} from '@eid/mock';

const REFERENCE = Date.parse(`${SEED_REFERENCE_DATE}T04:00:00Z`);
const A_YEAR_LATER = `${Number(SEED_REFERENCE_DATE.slice(0, 4)) + 1}${SEED_REFERENCE_DATE.slice(4)}`;

describe('registry seed', () => {
  it('when the seed is built, then it has at least 300 residents with unique valid ID numbers', () => {
    expect(RESIDENTS.length).toBeGreaterThanOrEqual(300);
    expect(new Set(RESIDENTS.map((r) => r.idNumber)).size).toBe(RESIDENTS.length);
    for (const r of RESIDENTS) {
      const parsed = parseIdNumber(r.idNumber, { now: REFERENCE });
      expect(parsed).toMatchObject({ ok: true, value: { birthDate: r.birthDate, sex: r.sex } });
    }
  });

  it('when the fixtures are read, then their ID numbers are the pinned ones (fixed seed)', () => {
    expect(FIXTURES.pass.idNumber).toBe('370102198803141017');
    expect(FIXTURES.xCheckDigit.idNumber).toBe('11010519750902158X');
    expect(FIXTURES.longestName.idNumber).toBe('653101199301291013');
  });

  it('when residents are counted by province and ethnicity, then the seed is varied', () => {
    expect(new Set(RESIDENTS.map((r) => r.idNumber.slice(0, 2))).size).toBeGreaterThanOrEqual(10);
    expect(new Set(RESIDENTS.map((r) => r.ethnicity)).size).toBeGreaterThanOrEqual(6);
    expect(RESIDENTS.filter((r) => r.idNumber.endsWith('X')).length).toBeGreaterThanOrEqual(10);
    expect(RESIDENTS.filter((r) => r.name.includes('·')).length).toBeGreaterThanOrEqual(10);
    const longPlain = RESIDENTS.filter(
      (r) => !r.name.includes('·') && r.name.length >= 4 && r.name.length <= 6,
    );
    expect(longPlain.length).toBeGreaterThanOrEqual(5);
  });

  it('when the fixtures are read, then each is the situation its name says', () => {
    expect(FIXTURES.xCheckDigit.idNumber.endsWith('X')).toBe(true);
    expect(FIXTURES.expired.validUntil < SEED_REFERENCE_DATE).toBe(true);
    expect(FIXTURES.cancelled.status).toBe('cancelled');
    expect(FIXTURES.deceased.status).toBe('deceased');
    expect(FIXTURES.faceLowSimilarity.face).toBe('low_similarity');
    expect(FIXTURES.faceLivenessFail.face).toBe('liveness_fail');
    expect(FIXTURES.faceTimeout.face).toBe('timeout');
    expect(FIXTURES.faceError.face).toBe('error');
    const longest = Math.max(...RESIDENTS.map((r) => r.name.length));
    expect(FIXTURES.longestName.name).toHaveLength(longest);
    expect(FIXTURES.longestName.name).toContain('·');
    expect(FIXTURES.longestName).toMatchObject({ status: 'valid', face: 'pass' });
    expect(new Set(Object.values(FIXTURES).map((r) => r.idNumber)).size).toBe(Object.keys(FIXTURES).length);
  });

  it('when any resident other than the expired fixture is read, then the card is valid a year on', () => {
    for (const r of RESIDENTS) {
      if (r === FIXTURES.expired) continue;
      expect(r.validFrom <= SEED_REFERENCE_DATE).toBe(true);
      if (r.validUntil !== '长期') expect(r.validUntil > A_YEAR_LATER).toBe(true);
    }
  });
});

describe('registry stand-in over HTTP', () => {
  let registry: RegistryServer;
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown, key = MOCK_REGISTRY_API_KEY) => {
    const res = await fetch(`${registry.url}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...(key ? { 'X-Api-Key': key } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const type = res.headers.get('content-type') ?? '';
    return {
      status: res.status,
      type,
      body: type.startsWith('application/json') ? await res.json() : new Uint8Array(await res.arrayBuffer()),
    };
  };
  const verify = (name: string, idNumber: string) => call('POST', '/v1/verify', { name, idNumber });

  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterEach(() => registry.reset());
  afterAll(() => registry.stop());

  it('when name and number match a valid resident, then it answers match with the card face and a portrait ref', async () => {
    const r = FIXTURES.pass;
    const res = await verify(r.name, r.idNumber);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      result: 'match',
      card: {
        name: r.name,
        sex: r.sex,
        ethnicity: r.ethnicity,
        birthDate: r.birthDate,
        address: r.address,
        idNumber: r.idNumber,
        issuingAuthority: r.issuingAuthority,
        validFrom: r.validFrom,
        validUntil: r.validUntil,
      },
      portraitRef: r.portraitRef,
    });
  });

  it('when the number has a lower-case x, then it still matches the resident with X', async () => {
    const r = FIXTURES.xCheckDigit;
    const res = await verify(r.name, r.idNumber.toLowerCase());
    expect(res.body).toMatchObject({ result: 'match', card: { idNumber: r.idNumber } });
  });

  it('when the name differs from the registered one, then it answers mismatch and nothing else', async () => {
    expect((await verify('李文', FIXTURES.pass.idNumber)).body).toEqual({ result: 'mismatch' });
  });

  it('when the number is not registered, then it answers not_found', async () => {
    expect((await verify('李文博', '11010519491231002X')).body).toEqual({ result: 'not_found' });
  });

  it('when the card is cancelled or the person deceased, then it says so without the card', async () => {
    expect((await verify(FIXTURES.cancelled.name, FIXTURES.cancelled.idNumber)).body).toEqual({
      result: 'cancelled',
    });
    expect((await verify(FIXTURES.deceased.name, FIXTURES.deceased.idNumber)).body).toEqual({
      result: 'deceased',
    });
  });

  it('when the card is expired, then it is still a match whose validUntil is in the past', async () => {
    const res = await verify(FIXTURES.expired.name, FIXTURES.expired.idNumber);
    expect(res.body).toMatchObject({ result: 'match', card: { validUntil: FIXTURES.expired.validUntil } });
  });

  it('when the longest name is checked, then it matches with its middle dots intact', async () => {
    const r = FIXTURES.longestName;
    expect((await verify(r.name, r.idNumber)).body).toMatchObject({
      result: 'match',
      card: { name: r.name },
    });
  });

  it('when the API key is missing or wrong, then every data route answers 401', async () => {
    const body = { name: FIXTURES.pass.name, idNumber: FIXTURES.pass.idNumber };
    expect((await call('POST', '/v1/verify', body, '')).status).toBe(401);
    expect((await call('POST', '/v1/verify', body, 'wrong-key')).status).toBe(401);
    expect((await call('POST', '/v1/status', { idNumber: body.idNumber }, 'wrong-key')).status).toBe(401);
    expect((await call('GET', `/v1/portraits/${FIXTURES.pass.portraitRef}`, undefined, '')).status).toBe(401);
    expect((await call('POST', '/mock/reset', undefined, '')).status).toBe(401);
  });

  it('when the verify body is malformed, then it answers 400 naming the field', async () => {
    const res = await call('POST', '/v1/verify', { name: FIXTURES.pass.name, idNumber: { $gt: '' } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'bad_request', paths: ['idNumber'] });
  });

  it('when a portrait is fetched, then it is the same PNG every time and differs between people', async () => {
    const first = await call('GET', `/v1/portraits/${FIXTURES.pass.portraitRef}`);
    const again = await call('GET', `/v1/portraits/${FIXTURES.pass.portraitRef}`);
    const other = await call('GET', `/v1/portraits/${FIXTURES.xCheckDigit.portraitRef}`);
    expect(first.status).toBe(200);
    expect(first.type).toBe('image/png');
    const bytes = first.body as Uint8Array;
    expect([...bytes.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(again.body).toEqual(bytes);
    expect(other.body).not.toEqual(bytes);
    expect((await call('GET', '/v1/portraits/pt_unknown')).status).toBe(404);
  });

  it('when status is asked by POST or GET, then it gives each standing', async () => {
    const status = async (idNumber: string) => (await call('POST', '/v1/status', { idNumber })).body;
    expect(await status(FIXTURES.pass.idNumber)).toEqual({ status: 'valid' });
    expect(await status(FIXTURES.cancelled.idNumber)).toEqual({ status: 'cancelled' });
    expect(await status(FIXTURES.deceased.idNumber)).toEqual({ status: 'deceased' });
    expect(await status('11010519491231002X')).toEqual({ status: 'not_found' });
    const byQuery = await call('GET', `/v1/status?idNumber=${FIXTURES.deceased.idNumber}`);
    expect(byQuery.body).toEqual({ status: 'deceased' });
    expect((await call('GET', '/v1/status')).status).toBe(400);
  });

  it('when a test marks a resident cancelled, then verify and status follow until reset', async () => {
    const r = FIXTURES.pass;
    const marked = await call('POST', `/mock/residents/${r.idNumber}/status`, { status: 'cancelled' });
    expect(marked.body).toEqual({ status: 'cancelled' });
    expect((await verify(r.name, r.idNumber)).body).toEqual({ result: 'cancelled' });
    expect((await call('POST', '/v1/status', { idNumber: r.idNumber })).body).toEqual({
      status: 'cancelled',
    });
    expect((await call('POST', '/mock/reset')).status).toBe(204);
    expect((await verify(r.name, r.idNumber)).body).toMatchObject({ result: 'match' });
  });

  it('when setStatus is called in-process, then the registry answers deceased', async () => {
    registry.setStatus(FIXTURES.xCheckDigit.idNumber, 'deceased');
    expect((await verify(FIXTURES.xCheckDigit.name, FIXTURES.xCheckDigit.idNumber)).body).toEqual({
      result: 'deceased',
    });
  });

  it('when the control endpoint gets an unknown person or status, then it refuses', async () => {
    expect(
      (await call('POST', '/mock/residents/11010519491231002X/status', { status: 'cancelled' })).status,
    ).toBe(404);
    expect(
      (await call('POST', `/mock/residents/${FIXTURES.pass.idNumber}/status`, { status: 'gone' })).status,
    ).toBe(400);
  });
});
