import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  base64DecodeStrict,
  ed25519NoteVerifier,
  formatCheckpoint,
  fromHex,
  merkleRoot,
  openNote,
  parseCheckpoint,
  toHex,
  verifyConsistencyProof,
  verifyInclusionProof,
} from '@eid/shared';
import { auditLeafData, auditLeafHash, auditLogOrigin } from '@eid/bff/modules/audit/log-format';

// docs/formats/audit-checkpoint.md: the leaves, roots, proofs and signed checkpoints of its test vector.
const vector = JSON.parse(
  readFileSync(path.resolve(__dirname, '../../../docs/formats/vectors/audit-checkpoint.json'), 'utf8'),
);
const b64 = (s: string) => base64DecodeStrict(s)!;

it("when the vector's leaves are encoded, then their bytes and leaf hashes are the documented ones", () => {
  expect(vector.origin).toBe(auditLogOrigin('37'));
  for (const leaf of vector.leaves) {
    expect(new TextDecoder().decode(auditLeafData(leaf))).toBe(leaf.leafDataUtf8);
    expect(toHex(auditLeafHash(leaf))).toBe(leaf.leafHashHex);
  }
});

it("when the vector's checkpoints are read, then each is the root of its first leaves, signed under the verifier key", () => {
  const hashes = vector.leaves.map((l: { leafHashHex: string }) => fromHex(l.leafHashHex));
  for (const cp of vector.checkpoints) {
    expect(Buffer.from(merkleRoot(hashes, cp.size)).toString('base64')).toBe(cp.rootHash);
    expect(
      formatCheckpoint({ origin: vector.origin, size: cp.size, rootHash: b64(cp.rootHash), extensions: [] }),
    ).toBe(cp.text);
    const opened = openNote(cp.note, [ed25519NoteVerifier(vector.verifierKey)]);
    expect(opened.text).toBe(cp.text);
    expect(parseCheckpoint(opened.text).size).toBe(cp.size);
  }
});

it("when the vector's proofs are checked, then the later tree extends the earlier and holds the leaf", () => {
  const [older, newer] = vector.checkpoints;
  const { consistency, inclusion } = vector;
  expect(() =>
    verifyConsistencyProof({
      oldSize: consistency.fromSize,
      oldRoot: b64(older.rootHash),
      newSize: consistency.toSize,
      newRoot: b64(newer.rootHash),
      proof: consistency.hashes.map(b64),
    }),
  ).not.toThrow();
  expect(() =>
    verifyInclusionProof({
      leafHash: fromHex(vector.leaves[inclusion.index].leafHashHex),
      index: inclusion.index,
      treeSize: inclusion.treeSize,
      proof: inclusion.proof.map(b64),
      rootHash: b64(newer.rootHash),
    }),
  ).not.toThrow();
});
