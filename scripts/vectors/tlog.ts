/**
 * tlog.json (docs/formats/tlog.md): RFC 6962 tree hashes and RFC 9162 proofs over a fixed eight-leaf tree,
 * a log's signed checkpoints, witness cosignatures (cosignature/v1), one verifier policy with every way it
 * refuses a note, and a witness's decisions on a sequence of submissions, split views included. Keys come
 * from fixed seeds (scripts/vectors/fixture.ts); Ed25519 is deterministic, so every byte is reproducible.
 * Written by `npx tsx scripts/vectors/tlog.ts`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  addNoteSignatures,
  base64Encode,
  cosignatureLine,
  cosignatureMessage,
  createCheckpointVerifier,
  createCosigner,
  createWitness,
  ed25519NoteSigner,
  formatCheckpoint,
  formatVerifierKey,
  fromHex,
  merkleConsistencyProof,
  merkleInclusionProof,
  merkleLeafHash,
  merkleRoot,
  NOTE_SIGNATURE_TYPE_COSIGNATURE_V1,
  NOTE_SIGNATURE_TYPE_ED25519,
  signNote,
  TlogError,
  toHex,
  tweetnaclEd25519,
  utf8Decode,
  utf8Encode,
  type Ed25519,
  type Ed25519KeyPair,
  type WitnessRecord,
} from '@eid/shared';
import { keyJson, keyOf, T0 } from './fixture';

export const TLOG_ORIGIN = 'eid.example/trust-log';
const NOW_S = Math.floor(T0 / 1000);

// The eight leaf inputs of the RFC 6962 reference tree that certificate-transparency and
// transparency-dev/merkle (testonly/constants.go) test against, so our roots can be checked against theirs.
const REFERENCE_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
];

const noteKey = (name: string, label: string, type: number) => {
  const k = keyOf(label);
  return { name, k, vkey: formatVerifierKey(name, type, k.pair.publicKey) };
};
// The Ed25519 door the vectors are made through: Ed25519 is deterministic, so any conforming one gives the
// same bytes; the drift test passes node:crypto's, which is some 90 times faster than tweetnacl.
let ed: Ed25519 = tweetnaclEd25519;
const signWith = (pair: Ed25519KeyPair) => (m: Uint8Array) => ed.sign(pair.secretKey, m);

export const TLOG_KEYS = {
  log: noteKey(TLOG_ORIGIN, 'trust log', NOTE_SIGNATURE_TYPE_ED25519),
  witnesses: ['37', '42', '11'].map((p) =>
    noteKey(`eid.example/witness/${p}`, `witness ${p}`, NOTE_SIGNATURE_TYPE_COSIGNATURE_V1),
  ),
  rogueLog: noteKey(TLOG_ORIGIN, 'rogue trust log', NOTE_SIGNATURE_TYPE_ED25519),
  rogueWitness: noteKey('eid.example/witness/99', 'witness 99', NOTE_SIGNATURE_TYPE_COSIGNATURE_V1),
};

const logSigner = (key = TLOG_KEYS.log) =>
  ed25519NoteSigner(key.name, key.k.pair.publicKey, signWith(key.k.pair));
const cosignerOf = (key: (typeof TLOG_KEYS.witnesses)[number]) =>
  createCosigner(key.name, key.k.pair.publicKey, signWith(key.k.pair));

const keyVector = (key: typeof TLOG_KEYS.log) => ({ name: key.name, ...keyJson(key.k), vkey: key.vkey });

function merkleVectors() {
  const leaves = REFERENCE_LEAVES.map((hex) => merkleLeafHash(fromHex(hex)));
  const hex = (hashes: Uint8Array[]) => hashes.map(toHex);
  const inclusion = [];
  const consistency = [];
  for (let size = 1; size <= leaves.length; size++) {
    for (let index = 0; index < size; index++)
      inclusion.push({ index, size, proof: hex(merkleInclusionProof(leaves, index, size)) });
    for (let oldSize = 1; oldSize <= size; oldSize++)
      consistency.push({ oldSize, newSize: size, proof: hex(merkleConsistencyProof(leaves, oldSize, size)) });
  }
  return {
    leaves: REFERENCE_LEAVES,
    leafHashes: hex(leaves),
    roots: Array.from({ length: leaves.length + 1 }, (_, size) => ({
      size,
      root: toHex(merkleRoot(leaves, size)),
    })),
    inclusion,
    consistency,
  };
}

/** The log's entries: what it appends are publications, here as short texts. */
const entry = (i: number, fork = false) =>
  utf8Encode(`trust list publication ${i}${fork && i >= 4 ? ' (forked)' : ''}\n`);
const logLeaves = (n: number, fork = false) =>
  Array.from({ length: n }, (_, i) => merkleLeafHash(entry(i + 1, fork)));

function checkpointText(size: number, fork = false, extensions: string[] = []): string {
  return formatCheckpoint({
    origin: TLOG_ORIGIN,
    size,
    rootHash: merkleRoot(logLeaves(size, fork)),
    extensions,
  });
}

const logSigned = (text: string) => signNote(text, [logSigner()]);
const root = (n: number, fork = false) => merkleRoot(logLeaves(n, fork));

function cosigned(text: string, witnessIndexes: number[], timestamp = NOW_S): string {
  const lines = witnessIndexes
    .map((i) => cosignerOf(TLOG_KEYS.witnesses[i]!))
    .map((c) => cosignatureLine(text, c, timestamp));
  return addNoteSignatures(logSigned(text), lines.join(''));
}

const fromBase64 = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

function signatureLines(note: string): string[] {
  return note
    .slice(note.lastIndexOf('\n\n') + 2)
    .slice(0, -1)
    .split('\n');
}

function withSignatureLines(note: string, lines: string[]): string {
  return `${note.slice(0, note.lastIndexOf('\n\n') + 2)}${lines.map((l) => `${l}\n`).join('')}`;
}

/** Signature line `line` with `change` applied to its decoded bytes (key ID first). */
function changeSignatureLine(note: string, line: number, change: (bytes: Uint8Array) => void): string {
  const lines = signatureLines(note);
  const [dash, name, b64] = lines[line]!.split(' ') as [string, string, string];
  const bytes = fromBase64(b64);
  change(bytes);
  lines[line] = `${dash} ${name} ${base64Encode(bytes)}`;
  return withSignatureLines(note, lines);
}

const flipSignatureByte = (note: string, line: number, at: number) =>
  changeSignatureLine(note, line, (b) => (b[at] = b[at]! ^ 0x01));

function verifierVectors() {
  const policy = {
    origin: TLOG_ORIGIN,
    logKeys: [TLOG_KEYS.log.vkey],
    witnesses: TLOG_KEYS.witnesses.map((w) => w.vkey),
    quorum: 2,
  };
  const now = T0;
  const text = checkpointText(7);
  const good = cosigned(text, [0, 1, 2]);
  const lines = signatureLines(good);
  const rogueCosig = cosignatureLine(text, cosignerOf(TLOG_KEYS.rogueWitness), NOW_S);
  // Witness 37's signature bytes under witness 42's name and key ID: 42's key must refuse them.
  const relabelled = (() => {
    const bytes = fromBase64(lines[1]!.split(' ')[2]!);
    bytes.set(fromBase64(lines[2]!.split(' ')[2]!).subarray(0, 4), 0);
    return `— ${TLOG_KEYS.witnesses[1]!.name} ${base64Encode(bytes)}`;
  })();
  const wrongKeyId = signatureLines(changeSignatureLine(good, 0, (b) => (b[0] = b[0]! ^ 0xff)))[0]!;
  const accepted = [
    { name: 'log signature and three cosignatures', note: good },
    {
      name: 'signature lines in another order',
      note: withSignatureLines(good, [lines[2]!, lines[0]!, lines[3]!, lines[1]!]),
    },
    {
      name: 'exactly the quorum, plus an unknown witness',
      note: addNoteSignatures(cosigned(text, [1, 2]), rogueCosig),
    },
    {
      name: 'one cosignature dated 6 minutes ahead, two in time',
      note: addNoteSignatures(
        cosigned(text, [0, 1]),
        cosignatureLine(text, cosignerOf(TLOG_KEYS.witnesses[2]!), NOW_S + 360),
      ),
    },
  ];
  const rejections = [
    {
      name: 'log signature forged (one bit of the Ed25519 signature)',
      note: flipSignatureByte(good, 0, 10),
      reason: 'bad_signature',
    },
    {
      name: 'cosignature forged (one bit of the Ed25519 signature)',
      note: flipSignatureByte(good, 1, 20),
      reason: 'bad_signature',
    },
    { name: 'cosignature timestamp changed', note: flipSignatureByte(good, 1, 11), reason: 'bad_signature' },
    {
      name: "witness 37's cosignature relabelled as witness 42's",
      note: withSignatureLines(good, [lines[0]!, lines[1]!, relabelled]),
      reason: 'bad_signature',
    },
    {
      name: 'log line with a wrong key ID (an unknown key), so no log signature',
      note: withSignatureLines(good, [wrongKeyId, ...lines.slice(1)]),
      reason: 'no_known_signature',
    },
    {
      name: 'cosignatures only',
      note: withSignatureLines(good, lines.slice(1)),
      reason: 'no_known_signature',
    },
    {
      name: 'signed by a key the policy does not hold',
      note: signNote(text, [logSigner(TLOG_KEYS.rogueLog)]),
      reason: 'no_known_signature',
    },
    {
      name: 'a cosignature line twice',
      note: withSignatureLines(good, [...lines, lines[1]!]),
      reason: 'duplicate_signature',
    },
    {
      name: 'the log signature twice',
      note: withSignatureLines(good, [lines[0]!, ...lines]),
      reason: 'duplicate_signature',
    },
    { name: 'one cosignature where two are needed', note: cosigned(text, [0]), reason: 'quorum_not_met' },
    {
      name: 'one known cosignature and one of an unknown witness',
      note: addNoteSignatures(cosigned(text, [0]), rogueCosig),
      reason: 'quorum_not_met',
    },
    {
      name: 'two of three cosignatures dated 6 minutes ahead',
      note: addNoteSignatures(
        cosigned(text, [0]),
        [1, 2].map((i) => cosignatureLine(text, cosignerOf(TLOG_KEYS.witnesses[i]!), NOW_S + 360)).join(''),
      ),
      reason: 'quorum_not_met',
    },
    {
      name: 'extension line appended after signing',
      note: good.replace(text, `${text}extra\n`),
      reason: 'bad_signature',
    },
    {
      name: 'checkpoint of another origin, signed by the log key',
      note: signNote(text.replace(TLOG_ORIGIN, 'eid.example/other-log'), [logSigner()]),
      reason: 'wrong_origin',
    },
    {
      name: 'tree size 0 with a non-empty root, signed by the log key',
      note: signNote(`${TLOG_ORIGIN}\n0\n${base64Encode(merkleRoot(logLeaves(1)))}\n`, [logSigner()]),
      reason: 'empty_tree_root',
    },
    {
      name: 'size with a leading zero, signed by the log key',
      note: signNote(text.replace('\n7\n', '\n07\n'), [logSigner()]),
      reason: 'malformed_checkpoint',
    },
    { name: 'no final newline', note: good.slice(0, -1), reason: 'malformed_note' },
    { name: 'a tab in the text', note: good.replace('\n7\n', '\n7\t\n'), reason: 'malformed_note' },
    {
      name: 'no blank line before the signatures',
      note: good.replace('\n\n', '\n'),
      reason: 'malformed_note',
    },
    {
      name: 'signature line without the em dash',
      note: withSignatureLines(good, [lines[0]!.replace('—', '-'), ...lines.slice(1)]),
      reason: 'malformed_note',
    },
    {
      name: '101 signature lines',
      note: withSignatureLines(good, [
        ...lines,
        ...Array.from({ length: 97 }, (_, i) => `— eid.example/noise/${i} AAAAAAA=`),
      ]),
      reason: 'too_many_signatures',
    },
  ];
  const verifier = createCheckpointVerifier(policy, { ed25519: ed });
  for (const a of accepted) verifier.verify(a.note, now);
  for (const r of rejections) {
    try {
      verifier.verify(r.note, now);
    } catch (e) {
      if (e instanceof TlogError && e.reason === r.reason) continue;
      throw new Error(`${r.name}: ${e instanceof TlogError ? e.reason : String(e)}`);
    }
    throw new Error(`${r.name}: accepted`);
  }
  return { policy: { ...policy, now }, accepted, rejections };
}

function witnessVectors() {
  const cosigner = cosignerOf(TLOG_KEYS.witnesses[0]!);
  const witness = createWitness(
    { origin: TLOG_ORIGIN, logKeys: [TLOG_KEYS.log.vkey], cosigner },
    { ed25519: ed },
  );
  const record = (n: number, fork = false): WitnessRecord => ({ size: n, rootHash: root(n, fork) });
  const proof = (m: number, n: number, fork = false) => merkleConsistencyProof(logLeaves(n, fork), m, n);
  const now = T0 + 60_000;
  const note = (n: number, fork = false) => logSigned(checkpointText(n, fork));
  const cases: { name: string; last?: WitnessRecord; note: string; proof: Uint8Array[]; oldSize?: number }[] =
    [
      { name: 'first checkpoint seen', note: note(3), proof: [] },
      {
        name: 'grows from 3 to 5 with its proof',
        last: record(3),
        note: note(5),
        proof: proof(3, 5),
        oldSize: 3,
      },
      { name: 'the same checkpoint again', last: record(5), note: note(5), proof: [] },
      { name: 'split view: size 5 with another root', last: record(5), note: note(5, true), proof: [] },
      {
        name: 'fork: size 7 not extending the cosigned 5',
        last: record(5),
        note: note(7, true),
        proof: proof(5, 7, true),
      },
      {
        name: 'truncated proof from 5 to 7',
        last: record(5),
        note: note(7),
        proof: proof(5, 7).slice(0, -1),
      },
      { name: 'proof of another pair of sizes (3 to 7)', last: record(5), note: note(7), proof: proof(3, 7) },
      { name: 'shrinks from 5 to 3', last: record(5), note: note(3), proof: [] },
      {
        name: 'old size the witness did not cosign',
        last: record(5),
        note: note(7),
        proof: proof(3, 7),
        oldSize: 3,
      },
      { name: 'old size above the checkpoint', last: record(5), note: note(5), proof: [], oldSize: 6 },
      { name: 'a proof where none is needed (nothing recorded)', note: note(3), proof: proof(1, 3) },
      {
        name: 'unknown origin',
        note: signNote(checkpointText(3).replace(TLOG_ORIGIN, 'eid.example/other-log'), [logSigner()]),
        proof: [],
      },
      {
        name: 'signed by another key under the log name',
        note: signNote(checkpointText(3), [logSigner(TLOG_KEYS.rogueLog)]),
        proof: [],
      },
    ];
  return {
    witness: { name: cosigner.name, vkey: TLOG_KEYS.witnesses[0]!.vkey },
    now,
    cases: cases.map((c) => {
      const decision = witness.decide(c.last, { note: c.note, proof: c.proof, oldSize: c.oldSize }, now);
      return {
        name: c.name,
        last: c.last ? { size: c.last.size, rootHash: toHex(c.last.rootHash) } : null,
        note: c.note,
        proof: c.proof.map(toHex),
        ...(c.oldSize === undefined ? {} : { oldSize: c.oldSize }),
        outcome: decision.accepted
          ? {
              accepted: true,
              cosignature: decision.cosignature,
              record: { size: decision.record.size, rootHash: toHex(decision.record.rootHash) },
            }
          : {
              accepted: false,
              reason: decision.reason,
              ...(decision.latestSize === undefined ? {} : { latestSize: decision.latestSize }),
            },
      };
    }),
  };
}

export function tlogVectors(ed25519: Ed25519 = tweetnaclEd25519) {
  ed = ed25519;
  const text = checkpointText(5);
  return {
    description:
      'Transparency-log primitives as docs/formats/tlog.md profiles them: RFC 6962 hashing, RFC 9162 proofs, C2SP signed notes, checkpoints and cosignature/v1. Hashes and seeds are hex; notes are UTF-8 text; timestamps are POSIX seconds, `now` is epoch ms. Never use these keys.',
    keys: {
      log: keyVector(TLOG_KEYS.log),
      witnesses: TLOG_KEYS.witnesses.map(keyVector),
      rogueLog: keyVector(TLOG_KEYS.rogueLog),
      rogueWitness: keyVector(TLOG_KEYS.rogueWitness),
    },
    merkle: merkleVectors(),
    log: {
      origin: TLOG_ORIGIN,
      entries: [1, 2, 3, 4, 5, 6, 7].map((i) => utf8Decode(entry(i))),
      forkedEntries: [4, 5, 6, 7].map((i) => utf8Decode(entry(i, true))),
      checkpoints: [3, 5, 7].map((size) => {
        const t = checkpointText(size);
        return { size, rootHash: toHex(root(size)), text: t, signed: logSigned(t) };
      }),
    },
    cosignature: {
      witness: TLOG_KEYS.witnesses[0]!.name,
      timestamp: NOW_S,
      checkpoint: text,
      message: utf8Decode(cosignatureMessage(text, NOW_S)),
      line: cosignatureLine(text, cosignerOf(TLOG_KEYS.witnesses[0]!), NOW_S),
      cosignedNote: cosigned(text, [0, 1, 2]),
    },
    verifier: verifierVectors(),
    witness: witnessVectors(),
  };
}

async function main(): Promise<void> {
  const file = join(__dirname, '..', '..', 'docs', 'formats', 'vectors', 'tlog.json');
  mkdirSync(join(file, '..'), { recursive: true });
  // Loaded here, not at the top: jest imports the vectors function and cannot load prettier's ESM parts.
  const prettier = await import('prettier');
  const config = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(file, await prettier.format(JSON.stringify(tlogVectors()), { ...config, parser: 'json' }));
  console.log(`wrote ${file}`);
}

if (require.main === module) void main();
