import { createHash } from 'node:crypto';
import { agePredicates, maskIdNumber, parseSignInCode } from '@eid/shared';
import { holderWithCard, residentIdOf } from '../../helpers/card-flow';
import { enroll, freshPerson } from '../../helpers/identity';
import {
  approveSignIn,
  controlCodeOfRequest,
  openSignIn,
  signInParty,
  startSignIn,
} from '../../helpers/signin';
import type { RegisteredParty } from '../../helpers/party';
import { startStack, type Stack } from '../../helpers/stack';

let stack: Stack;
let party: RegisteredParty;
beforeAll(async () => {
  stack = await startStack();
  party = await signInParty(stack);
});
afterAll(() => stack.stop());

const signins = () => stack.services.signins;

it('when the provider starts a sign-in, then it answers an EIDS1 code, its mini-program link, the control code and the expiry, and keeps only the SHA-256 of the secret', async () => {
  const started = await startSignIn(stack, party);
  const parts = parseSignInCode(started.requestCode);
  expect(parts).toBeDefined();
  expect(parts!.id).toBe(started.id);
  expect(started.requestUrl).toBe(
    `${stack.config.MINIAPP_URL.replace(/\/+$/, '')}/#/signin/pages/approve/index?code=${encodeURIComponent(started.requestCode)}`,
  );
  expect(started.controlCode).toBe(controlCodeOfRequest(started.requestCode));
  expect(started.controlCode).toMatch(/^[0-9]{4}$/);
  expect(started.expiresAt).toBe(stack.clock.now() + stack.config.SIGNIN_TTL_S * 1000);

  const stored = await stack.deps.db.collection('signins').findOne({ _id: started.id as never });
  expect(stored).toMatchObject({
    interactionUid: started.interactionUid,
    partyId: party.party.id,
    purpose: 'hotel_check_in',
    scopes: ['name_masked_id'],
    fields: ['name', 'idNumberMasked'],
    level: 1,
    state: 'pending',
    secretHash: createHash('sha256').update(parts!.secret).digest('base64url'),
  });
  expect(JSON.stringify(stored)).not.toContain(parts!.secret);
  expect((stored!.expiresAt as Date).getTime()).toBe(started.expiresAt);

  const outcome = await signins().outcome(started.id);
  expect(outcome).toEqual({
    id: started.id,
    state: 'pending',
    controlCode: started.controlCode,
    expiresAt: started.expiresAt,
    scopes: ['name_masked_id'],
    fields: ['name', 'idNumberMasked'],
  });
});

it('when the provider starts twice for one interaction, even at once, then both answer the same sign-in and code', async () => {
  const first = await startSignIn(stack, party);
  const again = await startSignIn(stack, party, { interactionUid: first.interactionUid });
  expect(again).toEqual(first);

  const uid = `race-${first.id}`;
  const racing = await Promise.all(
    Array.from({ length: 6 }, () => startSignIn(stack, party, { interactionUid: uid })),
  );
  expect(new Set(racing.map((s) => s.requestCode)).size).toBe(1);
  expect(await stack.deps.db.collection('signins').countDocuments({ interactionUid: uid })).toBe(1);
  expect(racing[0]!.id).not.toBe(first.id);
});

it('when the collection is set up, then the interaction uid is unique and a TTL index removes sign-ins a day after expiry', async () => {
  await startSignIn(stack, party);
  const indexes = await stack.deps.db.collection('signins').indexes();
  expect(indexes).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ key: { interactionUid: 1 }, unique: true }),
      expect.objectContaining({ key: { expiresAt: 1 }, expireAfterSeconds: 24 * 3600 }),
    ]),
  );
});

it('when nobody answers in time, then the outcome reads expired and the expiry is written', async () => {
  const started = await startSignIn(stack, party);
  stack.clock.advance(stack.config.SIGNIN_TTL_S * 1000 - 1);
  expect((await signins().outcome(started.id)).state).toBe('pending');
  stack.clock.advance(1);
  expect((await signins().outcome(started.id)).state).toBe('expired');
  const stored = await stack.deps.db.collection('signins').findOne({ _id: started.id as never });
  expect(stored!.state).toBe('expired');
  // An expired sign-in cannot be cancelled into another state.
  await signins().cancel(started.id);
  expect((await signins().outcome(started.id)).state).toBe('expired');
});

it('when the id is unknown, then outcome, complete and cancel answer NOT_FOUND', async () => {
  const unknown = 'AAAAAAAAAAAAAAAAAAAAAA';
  await expect(signins().outcome(unknown)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  await expect(signins().complete(unknown)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  await expect(signins().cancel(unknown)).rejects.toMatchObject({ code: 'NOT_FOUND' });
});

it('when the browser cancels a pending sign-in, then it is cancelled and the phone can no longer open it', async () => {
  const started = await startSignIn(stack, party);
  await signins().cancel(started.id);
  expect((await signins().outcome(started.id)).state).toBe('cancelled');
  const holder = await holderWithCard(stack);
  const res = await openSignIn(stack, holder, started.requestCode);
  expect(res.status).toBe(409);
  expect(res.body).toMatchObject({ code: 'SIGNIN_WRONG_STATE', details: { state: 'cancelled' } });
  await expect(signins().complete(started.id)).rejects.toMatchObject({
    code: 'SIGNIN_WRONG_STATE',
    details: { state: 'cancelled' },
  });
});

it('when an approved sign-in is completed by several finishes at once, then exactly one gets it, with the resident, level, acr and amr', async () => {
  const holder = await holderWithCard(stack);
  const started = await startSignIn(stack, party);
  const { approve } = await approveSignIn(stack, holder, started.requestCode);
  expect(approve.status).toBe(200);
  // A browser cancel after the approval changes nothing.
  await signins().cancel(started.id);
  expect((await signins().outcome(started.id)).state).toBe('approved');

  const results = await Promise.allSettled(Array.from({ length: 8 }, () => signins().complete(started.id)));
  const won = results.filter((r) => r.status === 'fulfilled');
  const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  expect(won).toHaveLength(1);
  expect(lost).toHaveLength(7);
  for (const r of lost) expect(r.reason).toMatchObject({ code: 'SIGNIN_WRONG_STATE' });
  expect((won[0] as PromiseFulfilledResult<unknown>).value).toEqual({
    id: started.id,
    state: 'completed',
    controlCode: started.controlCode,
    expiresAt: started.expiresAt,
    residentId: residentIdOf(holder.token),
    level: 1,
    acr: 'urn:cn:eid:loa:1',
    amr: ['swk'],
    scopes: ['name_masked_id'],
    fields: ['name', 'idNumberMasked'],
    approvedAt: stack.clock.now(),
  });
  await expect(signins().complete(started.id)).rejects.toMatchObject({
    code: 'SIGNIN_WRONG_STATE',
    details: { state: 'completed' },
  });
  expect((await signins().outcome(started.id)).state).toBe('completed');
});

it('when a sign-in is not approved yet, then complete is SIGNIN_WRONG_STATE; when an approval lapsed before the finish, SIGNIN_EXPIRED', async () => {
  const pending = await startSignIn(stack, party);
  await expect(signins().complete(pending.id)).rejects.toMatchObject({
    code: 'SIGNIN_WRONG_STATE',
    details: { state: 'pending' },
  });

  const holder = await holderWithCard(stack);
  const started = await startSignIn(stack, party);
  const { approve } = await approveSignIn(stack, holder, started.requestCode);
  expect(approve.status).toBe(200);
  stack.clock.advance(stack.config.SIGNIN_TTL_S * 1000);
  await expect(signins().complete(started.id)).rejects.toMatchObject({ code: 'SIGNIN_EXPIRED' });
  expect((await signins().outcome(started.id)).state).toBe('expired');
});

it('when the provider asks for claims, then each sign-in scope gives its OpenID claims from the verified identity, and nothing else', async () => {
  const holder = await holderWithCard(stack);
  const residentId = residentIdOf(holder.token);
  const { person } = holder;
  expect(await signins().claimsFor(residentId, ['name_masked_id'])).toEqual({
    name: person.name,
    id_number_masked: maskIdNumber(person.idNumber),
  });
  expect(await signins().claimsFor(residentId, ['age_over_18'])).toEqual({
    age_over_18: agePredicates(person.birthDate, stack.clock.now()).ageOver18,
  });
  const province = await signins().claimsFor(residentId, ['residence_province']);
  expect(Object.keys(province)).toEqual(['residence_province']);
  expect(province.residence_province).toMatch(/^[0-9]{2}$/);
  expect(await signins().claimsFor(residentId, ['result'])).toEqual({});
  const all = await signins().claimsFor(residentId, [
    'result',
    'name_masked_id',
    'age_over_18',
    'residence_province',
  ]);
  expect(Object.keys(all).sort()).toEqual(
    ['age_over_18', 'id_number_masked', 'name', 'residence_province'].sort(),
  );
  // Never the full number, whatever is asked: card_face is not a sign-in scope.
  expect(JSON.stringify(await signins().claimsFor(residentId, ['card_face']))).not.toContain(person.idNumber);
});

it('when the resident has a live card, then the account is active; suspended or no card at all, then it is not', async () => {
  const holder = await holderWithCard(stack);
  const residentId = residentIdOf(holder.token);
  expect(await signins().accountActive(residentId)).toBe(true);
  const suspended = await stack.api('POST', '/api/v1/card/suspend', { token: holder.token, body: {} });
  expect(suspended.status).toBe(200);
  expect(await signins().accountActive(residentId)).toBe(false);

  const { token } = await enroll(stack, freshPerson());
  expect(await signins().accountActive(residentIdOf(token))).toBe(false);
});
