import { MongoClient } from 'mongodb';
import {
  base64DecodeStrict,
  ed25519NoteVerifier,
  openNote,
  parseCheckpoint,
  parseVerifierKey,
  verifyInclusionProof,
} from '@eid/shared';
import { auditLeafHash } from '@eid/bff/modules/audit/log-format';
import { enrolledResident, eventBy, recordAll } from '../../helpers/audit';
import { staffToken } from '../../helpers/party';
import { startStack, type Stack } from '../../helpers/stack';

// Issue 19 §6: the chain verified from the page, and signed checkpoints of a log over all chain heads, so
// that a tail cut off after a checkpoint shows even when the head was moved back with it.
let stack: Stack;
let auditor: string;
let mongo: MongoClient;
const window3 = { type: 'staff' as const, id: 'staff-w3', displayName: '历下分局 窗口 3', org: '历下分局' };

const verify = (residentRef: string) =>
  stack.api('POST', '/api/v1/admin/audit/chains/verify', { token: auditor, body: { residentRef } });
const publish = () => stack.api('POST', '/api/v1/admin/audit/checkpoints', { token: auditor, body: {} });
const db = () => mongo.db(stack.config.MONGODB_DB);

beforeAll(async () => {
  stack = await startStack();
  auditor = await staffToken(stack, 'auditor');
  mongo = await MongoClient.connect(process.env.MONGODB_URI!);
}, 60_000);
afterAll(async () => {
  await mongo?.close();
  await stack?.stop();
});

async function residentWithEvents(n: number) {
  const r = await enrolledResident(stack);
  await recordAll(
    stack,
    Array.from({ length: n }, () => eventBy(r.residentRef, window3, 'hotel_check_in')),
  );
  return r;
}

it('when an auditor verifies an intact chain, then it is ok with its length and head, and the check is recorded', async () => {
  const r = await residentWithEvents(3);
  const res = await verify(r.residentRef);
  expect(res.status).toBe(200);
  const newest = await db()
    .collection('usage_events')
    .find({ residentId: r.residentRef })
    .sort({ seq: -1 })
    .limit(1)
    .next();
  expect(res.body).toMatchObject({ ok: true, length: newest!.seq, head: newest!.hash, problems: [] });
  const log = await stack.api('GET', '/api/v1/admin/audit/actions?limit=1', { token: auditor });
  expect(log.body.items[0]).toMatchObject({ action: 'verify', filter: { residentRef: r.residentRef } });

  const unknown = await verify('no-such-resident');
  expect([unknown.status, unknown.body.code]).toEqual([404, 'NOT_FOUND']);
});

it('when an event was altered in the database, then verification reports hash_mismatch at its seq', async () => {
  const r = await residentWithEvents(3);
  const target = await db().collection('usage_events').findOne({ residentId: r.residentRef, seq: 2 });
  await db()
    .collection('usage_events')
    .updateOne({ _id: target!._id }, { $set: { purpose: 'internet_cafe' } });
  const res = await verify(r.residentRef);
  expect(res.body).toMatchObject({ ok: false, length: 1, problems: [{ problem: 'hash_mismatch', seq: 2 }] });
});

it("when a checkpoint is published, then its note verifies under the published key, which is this node's node key", async () => {
  const r = await residentWithEvents(2);
  const res = await publish();
  expect(res.status).toBe(201);
  const latest = await stack.api('GET', '/api/v1/audit/checkpoint');
  expect(latest.status).toBe(200);
  expect(latest.body).toEqual(res.body);
  const { note, verifierKey, size, rootHash, origin } = latest.body;
  expect(origin).toBe(`eid-usage-heads/${stack.config.PROVINCE_CODE}`);
  const vkey = parseVerifierKey(verifierKey);
  expect(Buffer.from(vkey.publicKey)).toEqual(Buffer.from(stack.deps.keys.nodeKeys()[0]!.publicKey));
  const checkpoint = parseCheckpoint(openNote(note, [ed25519NoteVerifier(verifierKey)]).text);
  expect([checkpoint.size, Buffer.from(checkpoint.rootHash).toString('base64')]).toEqual([size, rootHash]);
  // A standalone node asks nobody to cosign.
  expect(latest.body.cosignatures).toEqual([]);
  // A byte changed in the text and the signature no longer holds.
  expect(() =>
    openNote(note.replace(`\n${size}\n`, `\n${size + 1}\n`), [ed25519NoteVerifier(verifierKey)]),
  ).toThrow();

  // The chain's leaf is in it: its inclusion proof leads from the leaf's content to the signed root.
  const checked = await verify(r.residentRef);
  expect(checked.body.ok).toBe(true);
  const leaf = checked.body.checkpoint;
  expect(leaf).toMatchObject({ size, seq: checked.body.length, hash: checked.body.head });
  expect(() =>
    verifyInclusionProof({
      leafHash: auditLeafHash({ residentId: r.residentRef, seq: leaf.seq, hash: leaf.hash }),
      index: leaf.leafIndex,
      treeSize: size,
      proof: leaf.inclusion.map((h: string) => base64DecodeStrict(h)!),
      rootHash: checkpoint.rootHash,
    }),
  ).not.toThrow();
});

it('when the newest events of a chain are deleted after a checkpoint and its head moved back too, then verification reports truncated', async () => {
  const r = await residentWithEvents(4);
  expect((await publish()).status).toBe(201);
  const before = await verify(r.residentRef);
  const checkpointed = before.body.length as number;

  // The attacker removes the last two links and sets the head to what is left: the chain alone holds.
  const events = db().collection('usage_events');
  await events.deleteMany({ residentId: r.residentRef, seq: { $gt: checkpointed - 2 } });
  const tail = await events.find({ residentId: r.residentRef }).sort({ seq: -1 }).limit(1).next();
  await db()
    .collection('usage_heads')
    .updateOne({ _id: r.residentRef as never }, { $set: { seq: tail!.seq, hash: tail!.hash } });

  const res = await verify(r.residentRef);
  expect(res.body).toMatchObject({
    ok: false,
    length: checkpointed - 2,
    problems: [{ problem: 'truncated', seq: checkpointed - 1 }],
    checkpoint: { seq: checkpointed },
  });
  // Later checkpoints keep the cut chain's leaf; the next one still says so.
  expect((await publish()).status).toBe(201);
  expect((await verify(r.residentRef)).body.problems.map((p: { problem: string }) => p.problem)).toEqual([
    'truncated',
  ]);
});

it('when a chain was rewritten after a checkpoint (its links re-hashed), then verification reports checkpoint_mismatch', async () => {
  const r = await residentWithEvents(2);
  expect((await publish()).status).toBe(201);
  const checked = await verify(r.residentRef);
  // The rewritten link has another hash than the checkpointed one: the link no longer matches it either.
  await db()
    .collection('usage_events')
    .updateOne({ residentId: r.residentRef, seq: checked.body.length }, { $set: { hash: 'rewritten' } });
  const res = await verify(r.residentRef);
  expect(res.body.ok).toBe(false);
  expect(res.body.problems.map((p: { problem: string }) => p.problem)).toEqual([
    'hash_mismatch',
    'checkpoint_mismatch',
  ]);
});

it('when the stored log of heads is altered, then verification says the checkpoint no longer holds', async () => {
  const r = await residentWithEvents(1);
  expect((await publish()).status).toBe(201);
  await db()
    .collection('audit_log_leaves')
    .updateOne({ residentId: r.residentRef }, { $set: { seq: 1 } });
  const res = await verify(r.residentRef);
  expect(res.body.problems).toContainEqual(expect.objectContaining({ problem: 'checkpoint_invalid' }));
  // And the next publication refuses to sign over a rewritten log.
  expect((await publish()).status).toBe(500);
});
