import { expectError } from '../../helpers/enrollment';
import { traceOf } from '../../helpers/document-call';
import {
  approvedConsent,
  askConsent,
  callResident,
  callbacksOf,
  hotel,
  openedConsent,
  pollConsent,
  residentPost,
  type TestParty,
} from '../../helpers/consent';
import { startStack, type Stack } from '../../helpers/stack';

/**
 * A change of state and its callback are one transaction: when the outbox cannot take the event, the
 * change is not written either, and the request's retry completes both, with exactly one event.
 *
 * How the enqueue is made to fail: the database itself refuses it, through MongoDB's test-only
 * `failCommand` fail point (docs/mongo-local.md; the stand-in and a real mongod alike) aimed at the
 * `update` command on this stack's own `outbox` collection only. The real callbacks queue and the real
 * outbox run unchanged and their write fails inside the transaction, as a lost primary or a refused write
 * would; nothing of ours is stubbed. Turning the fail point off is the outage ending. A crash between the
 * two writes cannot be staged over HTTP; inside one transaction there is no "between": a transaction that
 * never commits leaves neither.
 */

let stack: Stack;
let party: TestParty;
beforeAll(async () => {
  stack = await startStack();
  party = await hotel(stack);
});
afterAll(() => stack.stop());

/** Sets the server's failCommand fail point for updates of this stack's outbox. */
async function failOutboxUpdates(mode: unknown, data: Record<string, unknown> = {}): Promise<void> {
  await stack.deps.db
    .getClient()
    .db('admin')
    .command({
      configureFailPoint: 'failCommand',
      mode,
      data: { failCommands: ['update'], namespace: `${stack.config.MONGODB_DB}.outbox`, ...data },
    });
}

/** From now on every enqueue fails with an error that is not transient (nothing to retry at once). */
const refuseEvents = () => failOutboxUpdates('alwaysOn', { errorCode: 8 });
/** The outbox takes every event again. */
const acceptEvents = () => failOutboxUpdates('off');

const stored = (id: string) => stack.deps.db.collection('consents').findOne({ _id: id as never });
const typesOf = async (id: string) => (await callbacksOf(stack, id)).map((e) => e.type);

afterEach(acceptEvents);

it('when the outbox refuses consent.approved, then the approval is not written (503, retryable) and its retry approves with exactly one event', async () => {
  const resident = await callResident(stack);
  const { created } = await openedConsent(stack, party, resident);
  await refuseEvents();

  const failed = await residentPost(stack, resident, `/${created.id}/approve`);
  expectError(failed, 503, 'NOT_READY');
  expect(failed.headers.get('retry-after')).toBe('1');
  const before = await stored(created.id);
  expect(before).toMatchObject({ state: 'pending' });
  expect(before?.answeredAt).toBeUndefined();
  expect(before?.fields).toBeUndefined();
  expect((await pollConsent(party, created.id)).body).toMatchObject({ state: 'pending' });
  expect((await pollConsent(party, created.id)).body.claims).toBeUndefined();
  expect(await typesOf(created.id)).toEqual([]);
  expect((await traceOf(stack, resident)).filter((e) => e.action === 'consent.approve')).toEqual([]);

  await acceptEvents();
  const retried = await residentPost(stack, resident, `/${created.id}/approve`);
  expect(retried.status).toBe(200);
  expect(retried.body.state).toBe('approved');
  expect((await pollConsent(party, created.id)).body.claims).toHaveProperty('ageOver18');
  expect(await typesOf(created.id)).toEqual(['consent.approved']);
  // Once more: the same answer, still one event and one trace entry.
  expect((await residentPost(stack, resident, `/${created.id}/approve`)).status).toBe(200);
  expect(await typesOf(created.id)).toEqual(['consent.approved']);
  expect((await traceOf(stack, resident)).filter((e) => e.action === 'consent.approve')).toHaveLength(1);
});

it('when the outbox refuses consent.declined, then the decline is not written and its retry declines with exactly one event', async () => {
  const resident = await callResident(stack);
  const { created } = await openedConsent(stack, party, resident);
  await refuseEvents();

  expectError(await residentPost(stack, resident, `/${created.id}/decline`), 503, 'NOT_READY');
  const before = await stored(created.id);
  expect(before?.state).toBe('pending');
  // The code's secret is still there: the resident may still approve instead.
  expect(typeof before?.sealed).toBe('string');
  expect(await typesOf(created.id)).toEqual([]);

  await acceptEvents();
  const retried = await residentPost(stack, resident, `/${created.id}/decline`);
  expect(retried.status).toBe(200);
  expect(retried.body.state).toBe('declined');
  expect(await typesOf(created.id)).toEqual(['consent.declined']);
  expect((await residentPost(stack, resident, `/${created.id}/decline`)).status).toBe(200);
  expect(await typesOf(created.id)).toEqual(['consent.declined']);
});

it('when the outbox refuses the withdrawal events, then the consent stays approved with its claims; the retry withdraws with one consent.withdrawn and one deletion.requested', async () => {
  const resident = await callResident(stack);
  const { created } = await approvedConsent(stack, party, resident);
  await acceptEvents();
  await refuseEvents();

  // consent.approved is already in the outbox; the validator refuses the two new ones.
  expectError(await residentPost(stack, resident, `/${created.id}/withdraw`), 503, 'NOT_READY');
  const before = await stored(created.id);
  expect(before?.state).toBe('approved');
  expect(before?.deletion).toBeUndefined();
  expect(typeof before?.sealed).toBe('string');
  expect(await typesOf(created.id)).toEqual(['consent.approved']);

  await acceptEvents();
  const retried = await residentPost(stack, resident, `/${created.id}/withdraw`);
  expect(retried.status).toBe(200);
  expect(retried.body.state).toBe('withdrawn');
  expect((await stored(created.id))?.sealed).toBeUndefined();
  const events = await callbacksOf(stack, created.id);
  expect(events.map((e) => e.type)).toEqual(['consent.approved', 'consent.withdrawn', 'deletion.requested']);
  expect(events[2]!.data.dueBy).toBe(retried.body.deletion.dueBy);
  expect((await residentPost(stack, resident, `/${created.id}/withdraw`)).status).toBe(200);
  expect(await callbacksOf(stack, created.id)).toHaveLength(3);
});

it('when the outbox refuses consent.expired, then the sweep leaves the request pending (counted failed, reads still say expired) and the next sweep expires it with one event', async () => {
  const created = await askConsent(party, {
    purpose: 'hotel_check_in',
    scopes: ['age_over_18'],
    reason: '核验年龄',
    expiresInS: 60,
  });
  await refuseEvents();
  stack.clock.advance(60_000);

  expect(await stack.services.consents.sweepExpired()).toEqual({ expired: 0, failed: 1 });
  expect((await stored(created.id))?.state).toBe('pending');
  // The party's poll still answers, judged by the clock; it does not write the expiry either.
  const polled = await pollConsent(party, created.id);
  expect(polled.status).toBe(200);
  expect(polled.body.state).toBe('expired');
  expect((await stored(created.id))?.state).toBe('pending');
  expect(await typesOf(created.id)).toEqual([]);

  await acceptEvents();
  expect(await stack.services.consents.sweepExpired()).toEqual({ expired: 1, failed: 0 });
  expect((await stored(created.id))?.state).toBe('expired');
  expect(await typesOf(created.id)).toEqual(['consent.expired']);
  expect(await stack.services.consents.sweepExpired()).toEqual({ expired: 0, failed: 0 });
  expect(await typesOf(created.id)).toEqual(['consent.expired']);
});

it('when the identity ends while the outbox refuses, then the hook fails and leaves the consent approved; delivered again, it withdraws it once', async () => {
  const resident = await callResident(stack);
  const { created } = await approvedConsent(stack, party, resident);
  const residentId = String((await stored(created.id))?.residentId);
  await refuseEvents();

  await expect(stack.services.consents.onIdentityWithdrawn(residentId, 'account_closed')).rejects.toThrow();
  expect((await stored(created.id))?.state).toBe('approved');
  expect(await typesOf(created.id)).toEqual(['consent.approved']);

  await acceptEvents();
  await stack.services.consents.onIdentityWithdrawn(residentId, 'account_closed');
  await stack.services.consents.onIdentityWithdrawn(residentId, 'account_closed');
  expect((await stored(created.id))?.state).toBe('withdrawn');
  expect(await typesOf(created.id)).toEqual(['consent.approved', 'consent.withdrawn', 'deletion.requested']);
});

it('when the enqueue meets a transient transaction error once, then the whole step is retried and the approval answers 200 with one event', async () => {
  const resident = await callResident(stack);
  const { created } = await openedConsent(stack, party, resident);
  // A write conflict as a racing transaction would cause: labelled TransientTransactionError.
  await failOutboxUpdates({ times: 1 }, { errorCode: 112, errorLabels: ['TransientTransactionError'] });
  const res = await residentPost(stack, resident, `/${created.id}/approve`);
  expect(res.status).toBe(200);
  expect(res.body.state).toBe('approved');
  expect(await typesOf(created.id)).toEqual(['consent.approved']);
  expect((await traceOf(stack, resident)).filter((e) => e.action === 'consent.approve')).toHaveLength(1);
});

it('when approvals and declines of one request race, then one of them wins and exactly one event is stored', async () => {
  const resident = await callResident(stack);
  const { created } = await openedConsent(stack, party, resident);
  const answers = await Promise.all(
    Array.from({ length: 6 }, (_, i) =>
      residentPost(stack, resident, `/${created.id}/${i % 2 === 0 ? 'approve' : 'decline'}`),
    ),
  );
  const state = (await stored(created.id))?.state;
  expect(['approved', 'declined']).toContain(state);
  // Every request answers the winner's state or that the request was already answered; none fails.
  for (const a of answers) {
    if (a.status === 200) expect(a.body.state).toBe(state);
    else expectError(a, 409, 'CONSENT_WRONG_STATE');
  }
  expect(await typesOf(created.id)).toEqual([`consent.${state}`]);
});
