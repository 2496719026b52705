import { randomBytes } from 'node:crypto';
import { askConsent, approvedConsent, callResident, hotel } from '../../helpers/consent';
import { sendSigned } from '../../helpers/party';
import { startStack, type Stack } from '../../helpers/stack';

// The consents' sealed values (approved claims, a pending request's secret) are re-wrapped with the rest when
// the master key rotates (app.ts registers consents.sealedStore).
const masterKey = (kid: string) => `${kid}:${randomBytes(32).toString('base64')}`;
const KEY_A = masterKey('master-a');
const KEY_B = masterKey('master-b');
const dbName = `t_consent_rewrap_${randomBytes(4).toString('hex')}`;

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const start = (keys: string, keepDatabase = true) =>
  startStack({ dbName, keepDatabase, env: { EID_MASTER_KEYS: keys } });

const sealedKids = async (s: Stack) =>
  (
    await s.deps.db
      .collection('consents')
      .find({ sealed: { $type: 'string' } })
      .toArray()
  ).map((d) => s.deps.keys.masterKidOf(d.sealed as string));

it('when the master key rotates and the re-wrap runs, then after the old key is dropped the party still reads its claims and its pending code', async () => {
  stack = await start(KEY_A);
  const party = await hotel(stack);
  const resident = await callResident(stack);
  const { created: approved } = await approvedConsent(stack, party, resident);
  const pending = await askConsent(party);
  const poll = (s: Stack, id: string) => sendSigned(s, party.key, 'GET', `/api/v1/rp/consents/${id}`);
  const claims = (await poll(stack, approved.id)).body.claims;
  expect(claims).toEqual(expect.objectContaining({ name: resident.person.name }));
  expect(await sealedKids(stack)).toEqual(['master-a', 'master-a']);
  await stack.stop();

  stack = await start(`${KEY_B},${KEY_A}`);
  await stack.services.enrollment.rewrapIdentities();
  expect(await sealedKids(stack)).toEqual(['master-b', 'master-b']);
  await stack.stop();

  stack = await start(KEY_B, false);
  expect((await poll(stack, approved.id)).body.claims).toEqual(claims);
  expect((await poll(stack, pending.id)).body.requestCode).toBe(pending.requestCode);
});
