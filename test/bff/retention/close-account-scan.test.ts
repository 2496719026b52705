import type { AccountClosure } from '@eid/shared';
import { holderWithCard, residentIdOf, type Holder } from '../../helpers/card-flow';
import { approvedConsent, hotel, type TestParty } from '../../helpers/consent';
import { readInventory } from '../../helpers/data-inventory';
import { approvedCall, windowStaff, type Window } from '../../helpers/document-call';
import { setPasscode } from '../../helpers/signin';
import { startStack, type Stack } from '../../helpers/stack';

/**
 * The collections where a closed account may still be found, and why (docs/data-inventory.md,
 * "closure: kept"): the trace and its head, the audit, the consent and document-call records as proof (their
 * sealed data erased), the revoked card for the status list, the ID number's try counter (anti-abuse), a
 * rate-limit window until it ends.
 */
const KEPT = new Set([
  'usage_events',
  'usage_heads',
  'audit_log_leaves',
  'audit_log_heads',
  'consents',
  'document_calls',
  'cards',
  'enrollment_attempts',
  // The resident's face-start rate limit: an hour's window, gone with its TTL.
  'rate_limits',
]);

let stack: Stack;
let party: TestParty;
let window: Window;
beforeAll(async () => {
  stack = await startStack();
  party = await hotel(stack);
  window = await windowStaff(stack);
});
afterAll(() => stack.stop());

/** Every collection's documents in which one of `needles` occurs, by collection. */
async function scan(needles: string[]): Promise<Map<string, unknown[]>> {
  const found = new Map<string, unknown[]>();
  const db = stack.deps.db.db!;
  for (const { name } of await db.listCollections().toArray()) {
    for (const doc of await db.collection(name).find({}).toArray()) {
      const text = JSON.stringify(doc);
      if (needles.some((n) => text.includes(n))) found.set(name, [...(found.get(name) ?? []), doc]);
    }
  }
  return found;
}

/** A resident who used most of what the BFF keeps: a card, a passcode, a consent, a document call. */
async function busyResident(): Promise<Holder> {
  const holder = await holderWithCard(stack);
  await setPasscode(stack, holder);
  await approvedConsent(stack, party, holder);
  await approvedCall(stack, window, holder);
  return holder;
}

it('when a resident who used every feature closes the account, then only what the inventory keeps remains, and the answer says what and why', async () => {
  const holder = await busyResident();
  const other = await busyResident();
  const residentId = residentIdOf(holder.token);
  const db = stack.deps.db;
  const enrollment = await db.collection('enrollments').findOne({ _id: residentId } as never);
  const account = await db.collection('residents').findOne({ _id: residentId } as never);
  const link = await db.collection('licence_links').findOne({ _id: residentId } as never);
  const needles = [residentId, enrollment!.idIndex as string, account!.openIdIndex as string];
  if (link) needles.push(link.holderIndex as string);
  // Before: the resident is all over the database (the scan is not blind).
  const before = await scan(needles);
  expect([...before.keys()]).toEqual(
    expect.arrayContaining([
      'residents',
      'enrollments',
      'sessions',
      'passcodes',
      'face_checks',
      'cards',
      'consents',
    ]),
  );

  const res = await stack.api<AccountClosure>('DELETE', '/api/v1/account', { token: holder.token });
  expect(res.status).toBe(200);
  expect(res.body.kept.map((k) => k.record)).toEqual(
    expect.arrayContaining([
      'usage_trace',
      'consent_records',
      'document_call_receipts',
      'revoked_card',
      'audit',
    ]),
  );
  const trace = res.body.kept.find((k) => k.record === 'usage_trace')!;
  expect(trace.days).toBe(stack.config.RETENTION_USAGE_DAYS);
  for (const k of res.body.kept)
    expect(k.why.zh.length * k.why.en.length * k.what.zh.length).toBeGreaterThan(0);
  expect(res.body.deleted.length).toBeGreaterThan(5);

  const after = await scan(needles);
  expect([...after.keys()].filter((c) => !KEPT.has(c))).toEqual([]);
  // What is kept holds no sealed personal data any more.
  for (const c of (after.get('consents') ?? []) as { state: string; sealed?: string }[]) {
    expect([c.state, c.sealed]).toEqual(['withdrawn', undefined]);
  }
  for (const c of (after.get('document_calls') ?? []) as { sealed?: string }[])
    expect(c.sealed).toBeUndefined();
  for (const c of (after.get('cards') ?? []) as { status: string }[]) expect(c.status).toBe('revoked');
  // Only the ID number's own counter may stay: none of the account's.
  for (const a of (after.get('enrollment_attempts') ?? []) as { _id: string }[]) {
    expect(a._id).toMatch(/^(real_name|face):id:/);
  }
  // The other resident lost nothing.
  const otherId = residentIdOf(other.token);
  expect(await db.collection('enrollments').countDocuments({ _id: otherId } as never)).toBe(1);
  expect(await db.collection('passcodes').countDocuments({ _id: otherId } as never)).toBe(1);
});

it('when the database is listed after a busy run, then every collection in it is in the inventory', async () => {
  await busyResident();
  const inventory = readInventory();
  const names = (await stack.deps.db.db!.listCollections().toArray()).map((c) => c.name);
  expect(names.length).toBeGreaterThan(20);
  expect(
    names.filter((n) => !inventory.has(n) && !(n.startsWith('oidc_') && inventory.has('oidc_*'))),
  ).toEqual([]);
  // And every kept collection is one the inventory says closure keeps.
  for (const c of KEPT) {
    const rows = [...inventory.get(c)!.fields.values()].map((cells) => cells.join(' '));
    expect(rows.some((r) => /closure: kept|without end|sweep|TTL/.test(r))).toBe(true);
  }
});
