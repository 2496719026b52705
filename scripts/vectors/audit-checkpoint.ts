/**
 * audit-checkpoint.json (docs/formats/audit-checkpoint.md): five leaves of a log of usage-chain heads, the
 * checkpoints of its first three and five leaves signed under a test key (seed 00..1f), a consistency proof
 * between them and one inclusion proof. Ed25519 is deterministic, so every byte is reproducible.
 * Written by `npx tsx scripts/vectors/audit-checkpoint.ts`.
 */
import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import {
  base64Encode,
  consistencyHashes,
  ed25519NoteSigner,
  formatCheckpoint,
  formatVerifierKey,
  merkleInclusionProof,
  merkleRoot,
  NOTE_SIGNATURE_TYPE_ED25519,
  signNote,
  toHex,
} from '@eid/shared';
import { auditLeafData, auditLeafHash } from '@eid/bff/modules/audit/log-format';

const seed = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
const priv = createPrivateKey({
  key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]),
  format: 'der',
  type: 'pkcs8',
});
const pub = new Uint8Array(createPublicKey(priv).export({ format: 'der', type: 'spki' }).subarray(12));
const origin = 'eid-usage-heads/37';
const signer = ed25519NoteSigner(origin, pub, (m) => new Uint8Array(sign(null, m, priv)));
const leaves = [
  {
    residentId: '9b2f6c1e-0000-4000-8000-000000000001',
    seq: 3,
    hash: 'kV3mL0m2b8vS4Yx1o6tq3rD2n8yQpXk5d4Hf0aJ9wZc',
  },
  {
    residentId: '9b2f6c1e-0000-4000-8000-000000000002',
    seq: 1,
    hash: 'Qm9yZ2V0LW1lLW5vdC1hLXJlYWwtaGFzaC0wMDAwMDA',
  },
  {
    residentId: '9b2f6c1e-0000-4000-8000-000000000003',
    seq: 12,
    hash: 'c2Vjb25kLXRlc3QtaGFzaC1ub3QtcmVhbC0wMDAwMDA',
  },
  {
    residentId: '9b2f6c1e-0000-4000-8000-000000000001',
    seq: 5,
    hash: 'dGhpcmQtdGVzdC1oYXNoLW5vdC1yZWFsLTAwMDAwMDA',
  },
  {
    residentId: '9b2f6c1e-0000-4000-8000-000000000004',
    seq: 2,
    hash: 'Zm91cnRoLXRlc3QtaGFzaC1ub3QtcmVhbC0wMDAwMDA',
  },
];
const hashes = leaves.map(auditLeafHash);
const cp = (size: number) => {
  const text = formatCheckpoint({ origin, size, rootHash: merkleRoot(hashes, size), extensions: [] });
  return { size, rootHash: base64Encode(merkleRoot(hashes, size)), text, note: signNote(text, [signer]) };
};
const vector = {
  description:
    'The log of usage-chain heads and its checkpoints (docs/formats/audit-checkpoint.md). leafData = UTF-8 of "eid-usage-head/v1\\n<residentId>\\n<seq>\\n<hash>\\n"; leafHash = SHA-256(0x00 || leafData); roots and proofs RFC 6962/9162; checkpoints C2SP tlog-checkpoint signed as C2SP signed notes (Ed25519, type 0x01) under the origin as key name. The key is a test key (seed 00..1f), never a real one.',
  origin,
  ed25519SeedHex: seed.toString('hex'),
  verifierKey: formatVerifierKey(origin, NOTE_SIGNATURE_TYPE_ED25519, pub),
  leaves: leaves.map((l, i) => ({
    ...l,
    leafDataUtf8: new TextDecoder().decode(auditLeafData(l)),
    leafHashHex: toHex(hashes[i]!),
  })),
  checkpoints: [cp(3), cp(5)],
  consistency: { fromSize: 3, toSize: 5, hashes: consistencyHashes(hashes, 3, 5) },
  inclusion: { index: 3, treeSize: 5, proof: merkleInclusionProof(hashes, 3, 5).map(base64Encode) },
};
writeFileSync('docs/formats/vectors/audit-checkpoint.json', JSON.stringify(vector, null, 2) + '\n');
