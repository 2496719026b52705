import { STAFF_ROLES } from '@eid/shared';
import { enrolledResident, eventBy, recordAll } from '../../helpers/audit';
import { staffToken } from '../../helpers/party';
import { startStack, type Stack } from '../../helpers/stack';

// Issue 19 §6: an auditor searches the usage traces by resident, staff member, relying party, purpose and
// time; sees events' metadata only; every search is recorded; no other role may.
let stack: Stack;
let auditor: string;
let a: Awaited<ReturnType<typeof enrolledResident>>;
let b: Awaited<ReturnType<typeof enrolledResident>>;
const window3 = { type: 'staff' as const, id: 'staff-w3', displayName: '历下分局 窗口 3', org: '历下分局' };
const window4 = { type: 'staff' as const, id: 'staff-w4', displayName: '历下分局 窗口 4', org: '历下分局' };
const hotel = {
  type: 'third_party' as const,
  id: 'rp_hotel000000000001',
  displayName: '泉城酒店',
  org: '913701',
};
let t0: number;

const search = (query: Record<string, string | number>, token = auditor) =>
  stack.api(
    'GET',
    `/api/v1/admin/audit/events?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`,
    {
      token,
    },
  );

beforeAll(async () => {
  stack = await startStack();
  auditor = await staffToken(stack, 'auditor');
  a = await enrolledResident(stack);
  b = await enrolledResident(stack);
  t0 = stack.clock.now();
  await recordAll(stack, [
    eventBy(a.residentRef, window3, 'hotel_check_in'),
    eventBy(b.residentRef, window3, 'internet_cafe'),
    eventBy(a.residentRef, hotel, 'hotel_check_in'),
    eventBy(a.residentRef, window4, 'bank_account'),
    eventBy(b.residentRef, hotel, 'hotel_check_in'),
  ]);
}, 60_000);
afterAll(() => stack.stop());

type Item = { residentRef: string; actor: { id: string }; purpose: string; at: number };
const actorsOf = (items: Item[]) =>
  items.map((i) => `${i.residentRef === a.residentRef ? 'a' : 'b'}:${i.actor.id}:${i.purpose}`);

it("when an auditor searches by ID number, then only that resident's events come, newest first, as metadata without personal values", async () => {
  const res = await search({ idNumber: a.person.idNumber });
  expect(res.status).toBe(200);
  const items = res.body.items as Item[];
  expect(items.every((i) => i.residentRef === a.residentRef)).toBe(true);
  expect(actorsOf(items.slice(0, 3))).toEqual([
    `a:${window4.id}:bank_account`,
    `a:${hotel.id}:hotel_check_in`,
    `a:${window3.id}:hotel_check_in`,
  ]);
  // Enrolment's own events are there too (the registry, the face service): the whole trace.
  expect(items.length).toBeGreaterThan(3);
  const ats = items.map((i) => i.at);
  expect([...ats].sort((x, y) => y - x)).toEqual(ats);
  expect(items[0]).toMatchObject({
    fields: ['name', 'birthDate'],
    result: 'ok',
    seq: expect.any(Number),
    hash: expect.any(String),
    id: expect.any(String),
  });
  const text = JSON.stringify(res.body);
  expect(text).not.toContain(a.person.idNumber);
  expect(text).not.toContain(a.person.name);
});

it('when an ID number belongs to nobody, then the answer is empty; a malformed one is refused', async () => {
  const nobody = await search({ idNumber: '11010519491231002X' });
  expect([nobody.status, nobody.body.items]).toEqual([200, []]);
  const bad = await search({ idNumber: '12345' });
  expect(bad.status).toBe(400);
});

it('when an auditor searches by resident reference, staff member, party, purpose and time, then each filter holds', async () => {
  const byRef = await search({ residentRef: b.residentRef });
  expect((byRef.body.items as Item[]).every((i) => i.residentRef === b.residentRef)).toBe(true);
  expect(actorsOf(byRef.body.items).slice(0, 2)).toEqual([
    `b:${hotel.id}:hotel_check_in`,
    `b:${window3.id}:internet_cafe`,
  ]);

  const byStaff = await search({ staffId: window3.id });
  expect(actorsOf(byStaff.body.items)).toEqual([
    `b:${window3.id}:internet_cafe`,
    `a:${window3.id}:hotel_check_in`,
  ]);

  const byParty = await search({ partyId: hotel.id });
  expect(actorsOf(byParty.body.items)).toEqual([
    `b:${hotel.id}:hotel_check_in`,
    `a:${hotel.id}:hotel_check_in`,
  ]);
  // A party id is not a staff id: the actor type is part of the filter.
  expect((await search({ staffId: hotel.id })).body.items).toEqual([]);

  const byPurpose = await search({ purpose: 'hotel_check_in' });
  expect(actorsOf(byPurpose.body.items)).toEqual([
    `b:${hotel.id}:hotel_check_in`,
    `a:${hotel.id}:hotel_check_in`,
    `a:${window3.id}:hotel_check_in`,
  ]);

  // The seeded events are one second apart from t0 + 1 s: the second to the fourth.
  const byTime = await search({ from: t0 + 2000, to: t0 + 4000 });
  expect(actorsOf(byTime.body.items)).toEqual([
    `a:${window4.id}:bank_account`,
    `a:${hotel.id}:hotel_check_in`,
    `b:${window3.id}:internet_cafe`,
  ]);

  const combined = await search({
    residentRef: a.residentRef,
    purpose: 'hotel_check_in',
    staffId: window3.id,
  });
  expect(actorsOf(combined.body.items)).toEqual([`a:${window3.id}:hotel_check_in`]);
});

it('when results span pages, then nextBefore continues them without a gap or a repeat', async () => {
  const seen: string[] = [];
  let before: string | null = null;
  let pages = 0;
  do {
    const res = await search({ from: t0 + 1, limit: 2, ...(before ? { before } : {}) });
    expect(res.status).toBe(200);
    seen.push(...(res.body.items as { id: string }[]).map((i) => i.id));
    before = res.body.nextBefore;
    pages += 1;
  } while (before && pages < 10);
  expect(pages).toBe(3);
  expect(seen).toHaveLength(5);
  expect(new Set(seen).size).toBe(5);
});

it('when filters contradict or are unknown, then the search is refused with VALIDATION_FAILED', async () => {
  const refused: Record<string, string | number>[] = [
    { staffId: 'x', partyId: 'y' },
    { idNumber: a.person.idNumber, residentRef: a.residentRef },
    { nickname: 'x' },
    { limit: 1000 },
    { before: 'yesterday' },
  ];
  for (const q of refused) {
    const res = await search(q);
    expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  }
});

it('when an auditor searches, then the audit-actions log records who searched with what filter, never the ID number', async () => {
  await search({ idNumber: a.person.idNumber, purpose: 'hotel_check_in' });
  const log = await stack.api('GET', '/api/v1/admin/audit/actions?limit=5', { token: auditor });
  expect(log.status).toBe(200);
  expect(log.body.items[0]).toMatchObject({
    action: 'search',
    staffId: expect.stringMatching(/^staff-/),
    filter: { byIdNumber: true, residentRefs: [a.residentRef], purpose: 'hotel_check_in' },
    rows: 2,
    requestId: expect.any(String),
  });
  expect(JSON.stringify(log.body)).not.toContain(a.person.idNumber);
});

it('when any role but the auditor calls the audit routes, then each is refused with 403 FORBIDDEN', async () => {
  const routes: [string, string, unknown?][] = [
    ['GET', '/api/v1/admin/audit/events'],
    ['GET', '/api/v1/admin/audit/export.csv'],
    ['GET', '/api/v1/admin/audit/actions'],
    ['POST', '/api/v1/admin/audit/chains/verify', { residentRef: a.residentRef }],
    ['POST', '/api/v1/admin/audit/checkpoints', {}],
  ];
  for (const role of STAFF_ROLES.filter((r) => r !== 'auditor')) {
    const token = await staffToken(stack, role);
    for (const [method, path, body] of routes) {
      const res = await stack.api(method, path, { token, ...(body !== undefined && { body }) });
      expect([role, path, res.status, res.body.code]).toEqual([role, path, 403, 'FORBIDDEN']);
    }
  }
  // A resident's token is not a staff token at all.
  const resident = await stack.api('GET', '/api/v1/admin/audit/events', { token: a.token });
  expect(resident.status).toBe(401);
});
