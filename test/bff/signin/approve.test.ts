import { SIGNIN_APPROVAL_SKEW_MS } from '@eid/shared';
import { holderWithCard, newDevice, residentIdOf } from '../../helpers/card-flow';
import { traceOf } from '../../helpers/document-call';
import { expectError } from '../../helpers/enrollment';
import { adminCall, type RegisteredParty } from '../../helpers/party';
import {
  approvalBody,
  approveSignIn,
  openSignIn,
  signInParty,
  signInPost,
  startSignIn,
} from '../../helpers/signin';
import { startStack, type Stack } from '../../helpers/stack';

let stack: Stack;
let party: RegisteredParty;
beforeAll(async () => {
  stack = await startStack();
  party = await signInParty(stack, 1);
});
afterAll(() => stack.stop());

const outcome = (id: string) => stack.services.signins.outcome(id);

it('when the resident approves a level 1 sign-in with the right code and the device signature, then it is approved and their trace names the party, purpose, level and fields', async () => {
  const holder = await holderWithCard(stack);
  const started = await startSignIn(stack, party, { scopes: ['name_masked_id', 'age_over_18'] });
  const { approve } = await approveSignIn(stack, holder, started.requestCode);
  expect(approve.status).toBe(200);
  expect(approve.body).toMatchObject({
    id: started.id,
    state: 'approved',
    level: 1,
    answeredAt: stack.clock.now(),
  });
  expect(approve.body.controlCodeChoices).toBeUndefined();
  expect(await outcome(started.id)).toMatchObject({
    state: 'approved',
    residentId: residentIdOf(holder.token),
    level: 1,
    acr: 'urn:cn:eid:loa:1',
    amr: ['swk'],
    approvedAt: stack.clock.now(),
  });

  const trace = await traceOf(stack, holder);
  const entries = trace.filter((e) => e.action.startsWith('signin.'));
  expect(entries).toHaveLength(1);
  expect(entries[0]).toMatchObject({
    action: 'signin.approve',
    actor: { type: 'third_party', id: party.party.id, displayName: party.party.name, org: party.party.uscc },
    purpose: 'hotel_check_in',
    fields: ['name', 'idNumberMasked', 'ageOver18'],
    result: 'ok',
    detail: { signin: started.id, level: 1, acr: 'urn:cn:eid:loa:1' },
  });
  // Nothing personal in the logs: neither the name nor the ID number.
  const logs = stack.logs.join('\n');
  expect(logs).not.toContain(holder.person.idNumber);
  expect(logs).not.toContain(holder.person.name);
});

it('when the resident taps a decoy, then the sign-in is cancelled (SIGNIN_CONTROL_CODE_MISMATCH), the desktop sees it, and the trace says signin.cancel denied', async () => {
  const holder = await holderWithCard(stack);
  const started = await startSignIn(stack, party);
  const { approve } = await approveSignIn(stack, holder, started.requestCode, { wrongControlCode: true });
  expectError(approve, 409, 'SIGNIN_CONTROL_CODE_MISMATCH');
  expect((await outcome(started.id)).state).toBe('cancelled');
  const read = await stack.api('GET', `/api/v1/signins/${started.id}`, { token: holder.token });
  expect(read.body).toMatchObject({ state: 'cancelled', answeredAt: stack.clock.now() });
  expect(read.body.controlCodeChoices).toBeUndefined();

  // The right code afterwards changes nothing.
  const body = await approvalBody(stack, holder, read.body, started.requestCode);
  const retry = await signInPost(stack, holder, started.id, 'approve', body);
  expectError(retry, 409, 'SIGNIN_WRONG_STATE');
  expect(retry.body.details).toEqual({ state: 'cancelled' });
  await expect(stack.services.signins.complete(started.id)).rejects.toMatchObject({
    code: 'SIGNIN_WRONG_STATE',
  });

  const entries = (await traceOf(stack, holder)).filter((e) => e.action.startsWith('signin.'));
  expect(entries).toHaveLength(1);
  expect(entries[0]).toMatchObject({
    action: 'signin.cancel',
    actor: { type: 'third_party', id: party.party.id },
    purpose: 'hotel_check_in',
    fields: [],
    result: 'denied',
    detail: { signin: started.id, level: 1 },
  });
});

it('when the control code is wrong AND the device signature is forged, then the mismatch is answered first and the sign-in is cancelled', async () => {
  const holder = await holderWithCard(stack);
  const started = await startSignIn(stack, party);
  const { approve } = await approveSignIn(stack, holder, started.requestCode, {
    wrongControlCode: true,
    device: newDevice(),
  });
  expectError(approve, 409, 'SIGNIN_CONTROL_CODE_MISMATCH');
  expect((await outcome(started.id)).state).toBe('cancelled');
});

it('when the approval is signed by another device, over another level, party or sign-in, or forged, then DEVICE_SIGNATURE_INVALID and the sign-in stays open', async () => {
  const holder = await holderWithCard(stack);
  const started = await startSignIn(stack, party);
  const opened = await openSignIn(stack, holder, started.requestCode);
  expect(opened.status).toBe(200);
  const bodies = [
    await approvalBody(stack, holder, opened.body, started.requestCode, { device: newDevice() }),
    await approvalBody(stack, holder, opened.body, started.requestCode, { signed: { level: 2 } }),
    await approvalBody(stack, holder, opened.body, started.requestCode, {
      signed: { party: 'another-party' },
    }),
    await approvalBody(stack, holder, opened.body, started.requestCode, {
      signed: { signin: 'AAAAAAAAAAAAAAAAAAAAAA' },
    }),
  ];
  const good = await approvalBody(stack, holder, opened.body, started.requestCode);
  // One bit flipped in the signature; the signed time moved after signing.
  const flipped = good.deviceSignature.startsWith('A')
    ? `B${good.deviceSignature.slice(1)}`
    : `A${good.deviceSignature.slice(1)}`;
  bodies.push({ ...good, deviceSignature: flipped }, { ...good, at: good.at + 1 });
  for (const body of bodies) {
    const res = await signInPost(stack, holder, started.id, 'approve', body);
    expectError(res, 403, 'DEVICE_SIGNATURE_INVALID');
    expect(res.body.details).toEqual({ reason: 'signature' });
  }
  expect((await outcome(started.id)).state).toBe('opened');
  // The right one still approves it.
  expect((await signInPost(stack, holder, started.id, 'approve', good)).status).toBe(200);
});

it('when the signature is not in canonical form (S not reduced, unused bits set, too short), then it is refused', async () => {
  const holder = await holderWithCard(stack);
  const started = await startSignIn(stack, party);
  const opened = await openSignIn(stack, holder, started.requestCode);
  const good = await approvalBody(stack, holder, opened.body, started.requestCode);
  const sig = Buffer.from(good.deviceSignature, 'base64url');
  // S + L (the group order) verifies in lax implementations; the strict check refuses S >= L.
  const L = (1n << 252n) + 27742317777372353535851937790883648493n;
  const s = BigInt(`0x${Buffer.from(sig.subarray(32)).reverse().toString('hex')}`) + L;
  const malleable = Buffer.concat([
    sig.subarray(0, 32),
    Buffer.from(s.toString(16).padStart(64, '0'), 'hex').reverse(),
  ]);
  // The same 64 bytes for a lax decoder: the last character's two unused bits set.
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(good.deviceSignature[85]!);
  const nonCanonical = good.deviceSignature.slice(0, 85) + alphabet[last | 1]!;
  expect(Buffer.from(nonCanonical, 'base64url')).toEqual(sig);
  for (const deviceSignature of [malleable.toString('base64url'), nonCanonical]) {
    const res = await signInPost(stack, holder, started.id, 'approve', { ...good, deviceSignature });
    expectError(res, 403, 'DEVICE_SIGNATURE_INVALID');
  }
  const short = await signInPost(stack, holder, started.id, 'approve', {
    ...good,
    deviceSignature: good.deviceSignature.slice(0, 84),
  });
  expectError(short, 400, 'VALIDATION_FAILED');
  expect((await outcome(started.id)).state).toBe('opened');
});

it('when the device signed too long ago or too far ahead, then DEVICE_SIGNATURE_INVALID with reason clock; within the skew it is approved', async () => {
  const holder = await holderWithCard(stack);
  const started = await startSignIn(stack, party);
  const opened = await openSignIn(stack, holder, started.requestCode);
  const now = stack.clock.now();
  for (const at of [now - SIGNIN_APPROVAL_SKEW_MS - 1, now + SIGNIN_APPROVAL_SKEW_MS + 1]) {
    const body = await approvalBody(stack, holder, opened.body, started.requestCode, { at });
    const res = await signInPost(stack, holder, started.id, 'approve', body);
    expectError(res, 403, 'DEVICE_SIGNATURE_INVALID');
    expect(res.body.details).toEqual({ reason: 'clock' });
  }
  const edge = await approvalBody(stack, holder, opened.body, started.requestCode, {
    at: now - SIGNIN_APPROVAL_SKEW_MS,
  });
  expect((await signInPost(stack, holder, started.id, 'approve', edge)).status).toBe(200);
});

it('when the card is suspended, then CARD_SUSPENDED and the account is not active; with no card, CARD_NOT_FOUND', async () => {
  const holder = await holderWithCard(stack);
  const started = await startSignIn(stack, party);
  const opened = await openSignIn(stack, holder, started.requestCode);
  const body = await approvalBody(stack, holder, opened.body, started.requestCode);
  expect((await stack.api('POST', '/api/v1/card/suspend', { token: holder.token, body: {} })).status).toBe(
    200,
  );
  expectError(await signInPost(stack, holder, started.id, 'approve', body), 409, 'CARD_SUSPENDED');
  expect(await stack.services.signins.accountActive(residentIdOf(holder.token))).toBe(false);
  expect((await outcome(started.id)).state).toBe('opened');

  // An account closed since: the card is revoked, nothing is live.
  const other = await holderWithCard(stack);
  const second = await startSignIn(stack, party);
  const opened2 = await openSignIn(stack, other, second.requestCode);
  const body2 = await approvalBody(stack, other, opened2.body, second.requestCode);
  await stack.services.card.revokeCard({ residentId: residentIdOf(other.token) }, 'account_closed', {
    type: 'system',
    id: 'test',
    displayName: 'test',
  });
  expectError(await signInPost(stack, other, second.id, 'approve', body2), 404, 'CARD_NOT_FOUND');
});

it('when the party was suspended since the sign-in started, then PARTY_SUSPENDED', async () => {
  const suspendable = await signInParty(stack, 1);
  const holder = await holderWithCard(stack);
  const started = await startSignIn(stack, suspendable);
  const opened = await openSignIn(stack, holder, started.requestCode);
  const res = await adminCall(stack, 'PATCH', `/api/v1/admin/parties/${suspendable.party.id}`, {
    status: 'suspended',
  });
  expect(res.status).toBe(200);
  const body = await approvalBody(stack, holder, opened.body, started.requestCode);
  expectError(await signInPost(stack, holder, started.id, 'approve', body), 403, 'PARTY_SUSPENDED');
  expect((await outcome(started.id)).state).toBe('opened');
});

it('when two approvals race, then exactly one is approved and the other is SIGNIN_WRONG_STATE; one trace entry', async () => {
  const holder = await holderWithCard(stack);
  const started = await startSignIn(stack, party);
  const opened = await openSignIn(stack, holder, started.requestCode);
  const body = await approvalBody(stack, holder, opened.body, started.requestCode);
  const results = await Promise.all(
    Array.from({ length: 4 }, () => signInPost(stack, holder, started.id, 'approve', body)),
  );
  expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
  for (const r of results.filter((x) => x.status === 409)) expect(r.body.code).toBe('SIGNIN_WRONG_STATE');
  const entries = (await traceOf(stack, holder)).filter((e) => e.action === 'signin.approve');
  expect(entries).toHaveLength(1);
});

it('when the resident declines, then it is declined, the party cannot complete it, and the trace says signin.decline; declining again answers the same', async () => {
  const holder = await holderWithCard(stack);
  const started = await startSignIn(stack, party);
  const opened = await openSignIn(stack, holder, started.requestCode);
  const declined = await signInPost(stack, holder, started.id, 'decline');
  expect(declined.status).toBe(200);
  expect(declined.body).toMatchObject({ state: 'declined', answeredAt: stack.clock.now() });
  expect((await outcome(started.id)).state).toBe('declined');
  await expect(stack.services.signins.complete(started.id)).rejects.toMatchObject({
    code: 'SIGNIN_WRONG_STATE',
    details: { state: 'declined' },
  });
  const again = await signInPost(stack, holder, started.id, 'decline');
  expect(again.status).toBe(200);
  expect(again.body.answeredAt).toBe(declined.body.answeredAt);
  const body = await approvalBody(stack, holder, opened.body, started.requestCode);
  expectError(await signInPost(stack, holder, started.id, 'approve', body), 409, 'SIGNIN_WRONG_STATE');

  const entries = (await traceOf(stack, holder)).filter((e) => e.action.startsWith('signin.'));
  expect(entries).toHaveLength(1);
  expect(entries[0]).toMatchObject({
    action: 'signin.decline',
    actor: { type: 'third_party', id: party.party.id },
    purpose: 'hotel_check_in',
    fields: [],
    result: 'denied',
    detail: { signin: started.id },
  });
  expectError(
    await signInPost(stack, holder, started.id, 'decline', { reason: 'no' }),
    400,
    'VALIDATION_FAILED',
  );
});

it("when someone else answers a resident's sign-in, then NOT_FOUND; an approve body with an unknown key is VALIDATION_FAILED", async () => {
  const holder = await holderWithCard(stack);
  const stranger = await holderWithCard(stack);
  const started = await startSignIn(stack, party);
  const opened = await openSignIn(stack, holder, started.requestCode);
  const body = await approvalBody(stack, stranger, opened.body, started.requestCode);
  expectError(await signInPost(stack, stranger, started.id, 'approve', body), 404, 'NOT_FOUND');
  expectError(await signInPost(stack, stranger, started.id, 'decline'), 404, 'NOT_FOUND');
  expectError(
    await signInPost(stack, holder, started.id, 'approve', { ...body, level: 3 }),
    400,
    'VALIDATION_FAILED',
  );
  expect((await outcome(started.id)).state).toBe('opened');
});

it('when the time ran out before the approval, then SIGNIN_EXPIRED', async () => {
  const holder = await holderWithCard(stack);
  const started = await startSignIn(stack, party);
  const opened = await openSignIn(stack, holder, started.requestCode);
  stack.clock.advance(stack.config.SIGNIN_TTL_S * 1000);
  const body = await approvalBody(stack, holder, opened.body, started.requestCode);
  expectError(await signInPost(stack, holder, started.id, 'approve', body), 410, 'SIGNIN_EXPIRED');
  expectError(await signInPost(stack, holder, started.id, 'decline'), 410, 'SIGNIN_EXPIRED');
});
