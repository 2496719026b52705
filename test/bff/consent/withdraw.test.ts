import { base64urlDecode, verifyRequest } from '@eid/shared';
import { createNodeEd25519, nodeSha256 } from '@eid/bff/infra/ed25519';
import { expectError } from '../../helpers/enrollment';
import { traceOf } from '../../helpers/document-call';
import {
  approvedConsent,
  callResident,
  callbacksOf,
  hotel,
  pollConsent,
  residentPost,
  signedInAgain,
  withdrawnConsent,
  type TestParty,
} from '../../helpers/consent';
import { startStack, type Stack } from '../../helpers/stack';

const DAY_MS = 24 * 3600 * 1000;

let stack: Stack;
let party: TestParty;
let other: TestParty;
beforeAll(async () => {
  stack = await startStack();
  party = await hotel(stack);
  other = await hotel(stack);
});
afterAll(() => stack.stop());

const ack = (p: TestParty, id: string, body: object, opts?: Parameters<TestParty['signed']>[3]) =>
  p.signed('POST', `/api/v1/rp/consents/${id}/deletion-ack`, body, opts);
const proof = (token: string, id: string) =>
  stack.api('GET', `/api/v1/consents/${id}/deletion-proof`, { token });

it('when the resident withdraws, then the party reads nothing more and is asked to delete by dueBy', async () => {
  const resident = await callResident(stack);
  const { created } = await approvedConsent(stack, party, resident);
  const res = await residentPost(stack, resident, `/${created.id}/withdraw`);
  expect(res.status).toBe(200);
  const now = stack.clock.now();
  const dueBy = now + stack.config.DELETION_ACK_DAYS * DAY_MS;
  expect(res.body).toMatchObject({
    state: 'withdrawn',
    withdrawnAt: now,
    deletion: { requestedAt: now, dueBy, state: 'pending' },
  });

  const polled = await pollConsent(party, created.id);
  expect(polled.body).toMatchObject({ state: 'withdrawn', deletion: { dueBy, state: 'pending' } });
  expect(polled.body.claims).toBeUndefined();
  const stored = await stack.deps.db.collection('consents').findOne({ _id: created.id as never });
  expect(stored?.sealed).toBeUndefined();

  const events = await callbacksOf(stack, created.id);
  expect(events.map((e) => e.type)).toEqual(['consent.approved', 'consent.withdrawn', 'deletion.requested']);
  expect(events[2]!.data).toEqual({
    consentId: created.id,
    state: 'withdrawn',
    reference: 'booking-A1024',
    dueBy,
  });
  expect((await traceOf(stack, resident)).find((e) => e.action === 'consent.withdraw')).toMatchObject({
    actor: { type: 'resident' },
    detail: { consent: created.id, erased: true },
  });
  // Withdrawing twice answers the same; nothing more is sent.
  const again = await residentPost(stack, resident, `/${created.id}/withdraw`);
  expect(again.body.withdrawnAt).toBe(now);
  expect(await callbacksOf(stack, created.id)).toHaveLength(3);
  // Before the party confirms, there is no proof.
  expectError(await proof(resident.token, created.id), 404, 'NOT_FOUND');
});

it('when the party acknowledges the deletion with its own key, then the proof is kept and its signature verifies from the proof alone', async () => {
  const withdrawer = await callResident(stack);
  const { created } = await withdrawnConsent(stack, party, withdrawer);
  stack.clock.advance(2 * DAY_MS);
  const resident = await signedInAgain(stack, withdrawer);
  const deletedAt = stack.clock.now() - 3600_000;
  const res = await ack(party, created.id, { deletedAt, note: '已删除入住登记 #A1024' });
  expect(res.status).toBe(200);
  expect(res.body.deletion).toMatchObject({
    state: 'confirmed',
    deletedAt,
    confirmedAt: stack.clock.now(),
    confirmedByKid: party.kid,
    note: '已删除入住登记 #A1024',
  });

  // The resident sees "deleted on …, confirmed by <kid>".
  const view = await stack.api('GET', `/api/v1/consents/${created.id}`, { token: resident.token });
  expect(view.body.deletion).toMatchObject({ state: 'confirmed', deletedAt, confirmedByKid: party.kid });

  const kept = await proof(resident.token, created.id);
  expect(kept.status).toBe(200);
  expect(kept.body).toMatchObject({
    consentId: created.id,
    partyId: party.party.id,
    kid: party.kid,
    publicKey: party.publicKey,
    method: 'POST',
    targetUri: `${stack.url}/api/v1/rp/consents/${created.id}/deletion-ack`,
    receivedAt: stack.clock.now(),
  });
  expect(JSON.parse(kept.body.body)).toEqual({ deletedAt, note: '已删除入住登记 #A1024' });

  // Anyone can check it later with nothing but the proof: rebuild the request and verify it. The signature
  // covers content-type too (shared signRequest's default with a body), so the proof keeps it.
  const p = kept.body;
  expect(p.headers).toEqual({ 'content-type': 'application/json' });
  const check = (body: string, now: number) =>
    verifyRequest(
      {
        method: p.method,
        url: p.targetUri,
        headers: {
          ...p.headers,
          'signature-input': p.signatureInput,
          signature: p.signature,
          'content-digest': p.contentDigest,
        },
        body: new TextEncoder().encode(body),
      },
      {
        resolveKey: (kid) => (kid === p.kid ? { publicKey: base64urlDecode(p.publicKey) } : undefined),
        now,
        verify: createNodeEd25519(),
        sha256: nodeSha256,
      },
    );
  expect(check(p.body, p.receivedAt)).toMatchObject({ ok: true, keyId: party.kid });
  // And a body changed afterwards does not verify.
  const altered = p.body.replace(String(deletedAt), String(deletedAt + 1));
  expect(check(altered, p.receivedAt)).toMatchObject({ ok: false, reason: 'digest_mismatch' });

  // A second acknowledgement changes nothing: the first is the one kept.
  const second = await ack(party, created.id, { deletedAt: deletedAt + 5 });
  expect(second.status).toBe(200);
  expect(second.body.deletion.deletedAt).toBe(deletedAt);
  expect((await proof(resident.token, created.id)).body.signature).toBe(p.signature);
  expect(
    (await traceOf(stack, resident)).filter((e) => e.action === 'consent.deletion_confirmed'),
  ).toHaveLength(1);
});

it("when another party signs an acknowledgement for this party's consent, then it is refused and nothing is kept", async () => {
  const resident = await callResident(stack);
  const { created } = await withdrawnConsent(stack, party, resident);
  // Another registered party, with its own key.
  expectError(await ack(other, created.id, { deletedAt: stack.clock.now() }), 404, 'NOT_FOUND');
  // This party's key id, signed with another party's private key: the signature does not verify.
  const forged = await ack(
    party,
    created.id,
    { deletedAt: stack.clock.now() },
    {
      key: { kid: party.kid, privateKey: other.privateKey },
    },
  );
  expectError(forged, 401, 'SIGNATURE_INVALID');
  expect((await pollConsent(party, created.id)).body.deletion.state).toBe('pending');
  expectError(await proof(resident.token, created.id), 404, 'NOT_FOUND');
});

it('when the party acknowledges a consent that is not withdrawn, or says it deleted in the future, then it is refused', async () => {
  const resident = await callResident(stack);
  const { created } = await approvedConsent(stack, party, resident);
  expectError(await ack(party, created.id, { deletedAt: stack.clock.now() }), 409, 'CONSENT_WRONG_STATE');
  await residentPost(stack, resident, `/${created.id}/withdraw`);
  expectError(
    await ack(party, created.id, { deletedAt: stack.clock.now() + DAY_MS }),
    400,
    'VALIDATION_FAILED',
  );
  expectError(await ack(party, created.id, { deletedAt: 'yesterday' }), 400, 'VALIDATION_FAILED');
});

it('when the party has not confirmed by dueBy, then the resident and the party see it overdue with the days', async () => {
  const withdrawer = await callResident(stack);
  const { created, withdrawn } = await withdrawnConsent(stack, party, withdrawer);
  const dueBy = withdrawn.deletion.dueBy as number;
  stack.clock.set(dueBy);
  expect((await pollConsent(party, created.id)).body.deletion.state).toBe('pending');
  stack.clock.set(dueBy + 2 * DAY_MS + 3600_000);
  const resident = await signedInAgain(stack, withdrawer);
  const view = await stack.api('GET', `/api/v1/consents/${created.id}`, { token: resident.token });
  expect(view.body.deletion).toEqual({
    requestedAt: withdrawn.deletion.requestedAt,
    dueBy,
    state: 'overdue',
    daysOverdue: 3,
  });
  expect((await pollConsent(party, created.id)).body.deletion).toMatchObject({
    state: 'overdue',
    daysOverdue: 3,
  });
  // A late acknowledgement still confirms it.
  const late = await ack(party, created.id, { deletedAt: stack.clock.now() });
  expect(late.body.deletion.state).toBe('confirmed');
  expect(late.body.deletion.daysOverdue).toBeUndefined();
});
