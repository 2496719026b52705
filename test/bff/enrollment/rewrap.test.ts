import { randomBytes } from 'node:crypto';
import { createServices } from '@eid/bff/app';
import { LICENCE_LINK_NOTICE } from '@eid/bff/modules/licence/link-notice';
import { documentTypes } from '@eid/shared';
import { startStack, type Stack } from '../../helpers/stack';
import { approvedCall, callResident, windowStaff } from '../../helpers/document-call';

// Master-key rotation reaches every value sealed under the master keys: the identity, the licence wallet's
// documents and the documents delivered to a document call.
const masterKey = (kid: string) => `${kid}:${randomBytes(32).toString('base64')}`;
const KEY_A = masterKey('master-a');
const KEY_B = masterKey('master-b');
const dbName = `t_rewrap_${randomBytes(4).toString('hex')}`;

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const start = (keys: string, keepDatabase = true) =>
  startStack({ dbName, keepDatabase, env: { EID_MASTER_KEYS: keys } });

/** The master key of every sealed value in the three collections, by collection. */
async function kids(s: Stack): Promise<Record<string, string[]>> {
  const of = async (name: string, field: string) =>
    (
      await s.deps.db
        .collection(name)
        .find({ [field]: { $type: 'string' } })
        .toArray()
    ).map((d) => s.deps.keys.masterKidOf(d[field]));
  return {
    enrollments: await of('enrollments', 'identity'),
    licence_documents: await of('licence_documents', 'sealed'),
    document_calls: await of('document_calls', 'sealed'),
  };
}

it('when the master key rotates and the re-wrap runs, then after the old key is dropped the wallet and a delivered call still read', async () => {
  stack = await start(KEY_A);
  const resident = await callResident(stack);
  const linked = await stack.api('POST', '/api/v1/licences/links', {
    token: resident.token,
    body: {
      types: documentTypes().map((t) => t.name),
      consent: { accepted: true, noticeVersion: LICENCE_LINK_NOTICE.version },
    },
  });
  expect(linked.status).toBe(200);
  expect(linked.body.documents.length).toBeGreaterThan(0);
  const window = await windowStaff(stack);
  const { created } = await approvedCall(stack, window, resident);
  const read = (s: Stack) =>
    s.api('GET', `/api/v1/document-calls/${created.id}/documents`, { token: window.token });
  const delivered = await read(stack);
  expect(delivered.status).toBe(200);
  const before = await kids(stack);
  const walletRows = before.licence_documents.length;
  expect(before).toEqual({
    enrollments: ['master-a'],
    licence_documents: Array(walletRows).fill('master-a'),
    document_calls: ['master-a'],
  });
  await stack.stop();

  // B first (wraps), A still configured (unwraps). A second instance over the same database runs the re-wrap.
  stack = await start(`${KEY_B},${KEY_A}`);
  const { enrollment } = createServices(stack.deps);
  expect(await enrollment.rewrapIdentities(1)).toEqual({ seen: 2 + walletRows, rewrapped: 2 + walletRows });
  expect(await enrollment.rewrapIdentities()).toEqual({ seen: 2 + walletRows, rewrapped: 0 });
  expect(await kids(stack)).toEqual({
    enrollments: ['master-b'],
    licence_documents: Array(walletRows).fill('master-b'),
    document_calls: ['master-b'],
  });
  await stack.stop();

  // A is retired: everything still opens.
  stack = await start(KEY_B, false);
  const wallet = await stack.api('GET', '/api/v1/licences', { token: resident.token });
  expect(wallet.status).toBe(200);
  expect(wallet.body.documents).toEqual(linked.body.documents);
  const again = await read(stack);
  expect(again.status).toBe(200);
  expect(again.body.documents).toEqual(delivered.body.documents);
});

it('when a delivered call is erased while the re-wrap runs, then the re-wrap does not bring its documents back', async () => {
  stack = await start(KEY_A, false);
  const resident = await callResident(stack);
  const window = await windowStaff(stack);
  const { created } = await approvedCall(stack, window, resident);
  const calls = stack.deps.db.collection('document_calls');
  const sealed = (await calls.findOne({ _id: created.id as never }))!.sealed as string;
  const withdrawn = await stack.api('POST', `/api/v1/document-calls/${created.id}/withdraw`, {
    token: resident.token,
    body: {},
  });
  expect(withdrawn.status).toBe(200);
  // The re-wrap's compare-and-set on the value it read: the erased call has none to match.
  expect(await stack.services.documentCalls.sealedStore.replace(created.id, sealed, 'v1.x')).toBe(false);
  expect((await calls.findOne({ _id: created.id as never }))?.sealed).toBeUndefined();
});
