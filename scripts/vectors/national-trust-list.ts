/**
 * national-trust-list.json (docs/formats/national-trust-list.md): a full three-province national trust list
 * (v2) signed by the national root, three publications appended to the national log, the bundle of the
 * latest with 2-of-3 witness cosignatures and the consistency proof from the previous publication, the
 * pinned trust a verifier holds, the issuers it derives, a small terminal bundle, and every refused variant
 * with its FederationError reason (lower sequence, expired, too few cosignatures, wrong inclusion, split view
 * against a last state, ...). Keys come from fixed seeds (scripts/vectors/fixture.ts); Ed25519 is
 * deterministic, so every byte is reproducible. Written by `npx tsx scripts/vectors/national-trust-list.ts`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  addNoteSignatures,
  base64Encode,
  base64urlEncode,
  buildTrustBundle,
  canonicalJson,
  cosignatureLine,
  createCosigner,
  ed25519NoteSigner,
  emptyStatusBits,
  encodeTerminalBundle,
  FederationError,
  formatVerifierKey,
  fromHex,
  issuersOfList,
  NATIONAL_LOG_ORIGIN,
  NOTE_SIGNATURE_TYPE_COSIGNATURE_V1,
  NOTE_SIGNATURE_TYPE_ED25519,
  nationalCheckpointText,
  nationalTrustListMessage,
  openTrustBundle,
  setStatusAt,
  signNationalCheckpoint,
  signNationalTrustList,
  signStatusList,
  terminalBundleSize,
  toHex,
  trustListLeafHash,
  tweetnaclEd25519,
  utf8Decode,
  type BundleState,
  type BundleTrust,
  type Ed25519,
  type Ed25519KeyPair,
  type FederationKey,
  type NationalTrustList,
  type SignedTrustList,
  type TerminalBundle,
  type TrustBundle,
} from '@eid/shared';
import { DAY, keyJson, keyOf, keys as fixtureKeys, ROOT_KID, T0 } from './fixture';

const HOUR = 3_600_000;
export const NTL_ORIGIN = NATIONAL_LOG_ORIGIN;
export const NTL_SKEW_MS = 5 * 60_000;
/** The verifier's clock in every vector (the same instant as the other vector files). */
export const NTL_NOW = T0;
const PROVINCE_CODES = ['37', '42', '11'] as const;
const NAMES: Record<string, string> = { '37': '山东省', '42': '湖北省', '11': '北京市' };
const URLS: Record<string, string> = {
  '37': 'https://eid.shandong.example',
  '42': 'https://eid.hubei.example',
  '11': 'https://eid.beijing.example',
};

// The Ed25519 door the vectors are made through (deterministic, so any conforming one gives the same bytes);
// the drift test passes node:crypto's, which is much faster than tweetnacl.
let ed: Ed25519 = tweetnaclEd25519;
const signWith = (pair: Ed25519KeyPair) => (m: Uint8Array) => ed.sign(pair.secretKey, m);

const noteKey = (name: string, label: string, type: number) => {
  const k = keyOf(label);
  return { name, k, vkey: formatVerifierKey(name, type, k.pair.publicKey) };
};
type NoteKey = ReturnType<typeof noteKey>;

export const NTL_KEYS = {
  /** The national root is the trust root of keys.json (it also signs the v1 lists). */
  root: fixtureKeys.root,
  rogueRoot: keyOf('rogue national root'),
  log: noteKey(NTL_ORIGIN, 'national log', NOTE_SIGNATURE_TYPE_ED25519),
  rogueLog: noteKey(NTL_ORIGIN, 'rogue national log', NOTE_SIGNATURE_TYPE_ED25519),
  witnesses: PROVINCE_CODES.map((p) =>
    noteKey(`witness-${p}`, `national witness ${p}`, NOTE_SIGNATURE_TYPE_COSIGNATURE_V1),
  ),
  /** A witness no verifier pins. */
  rogueWitness: noteKey('witness-99', 'national witness 99', NOTE_SIGNATURE_TYPE_COSIGNATURE_V1),
  /** 37's issuer is keys.json `issuer` (kid vec-37-1), so the credential vectors verify under this list. */
  issuers: Object.fromEntries(
    PROVINCE_CODES.map((p) => [p, p === '37' ? fixtureKeys.issuer : keyOf(`issuer ${p}-1`)]),
  ),
  nodes: Object.fromEntries(PROVINCE_CODES.map((p) => [p, keyOf(`node ${p}-1`)])),
  retiredIssuer37: keyOf('issuer 37-0'),
  compromisedNode42: keyOf('node 42-0'),
};

/** The pinned trust of every vector: root, log, the three witnesses, 2 of them needed, 5 minutes' skew. */
export const NTL_TRUST: BundleTrust = {
  rootPublicKey: NTL_KEYS.root.pair.publicKey,
  logVerifierKey: NTL_KEYS.log.vkey,
  witnessVerifierKeys: NTL_KEYS.witnesses.map((w) => w.vkey),
  quorum: 2,
  skewMs: NTL_SKEW_MS,
};

const b64url = (pair: Ed25519KeyPair) => base64urlEncode(pair.publicKey);
const active = (at: number) => ({ status: 'active' as const, history: [{ at, status: 'active' as const }] });

/** The keys of a publication at `at`; from the third one on, 37's old issuer is retired and a 42 node key is compromised. */
function keysAt(at: number, withEvents: boolean): FederationKey[] {
  const since = T0 - 30 * DAY;
  const keys: FederationKey[] = [];
  for (const p of PROVINCE_CODES) {
    const kidP = p === '37' ? 'vec-37-1' : `vec-${p}-1`;
    keys.push({
      kid: kidP,
      province: p,
      use: 'issuer',
      publicKey: b64url(NTL_KEYS.issuers[p]!.pair),
      notBefore: since,
      ...active(since),
    });
    keys.push({
      kid: `node-${p}-1`,
      province: p,
      use: 'node',
      publicKey: b64url(NTL_KEYS.nodes[p]!.pair),
      notBefore: since,
      ...active(since),
    });
    keys.push({
      kid: `witness-${p}`,
      province: p,
      use: 'witness',
      publicKey: b64url(NTL_KEYS.witnesses[PROVINCE_CODES.indexOf(p)]!.k.pair),
      notBefore: since,
      ...active(since),
    });
  }
  const old = T0 - 400 * DAY;
  keys.push({
    kid: 'vec-37-0',
    province: '37',
    use: 'issuer',
    publicKey: b64url(NTL_KEYS.retiredIssuer37.pair),
    notBefore: old,
    ...(withEvents
      ? {
          notAfter: at + 7 * DAY,
          status: 'retired' as const,
          history: [
            { at: old, status: 'active' as const },
            { at: at - HOUR, status: 'retired' as const, reason: 'rotated to vec-37-1' },
          ],
        }
      : active(old)),
  });
  keys.push({
    kid: 'node-42-0',
    province: '42',
    use: 'node',
    publicKey: b64url(NTL_KEYS.compromisedNode42.pair),
    notBefore: old,
    ...(withEvents
      ? {
          status: 'compromised' as const,
          history: [
            { at: old, status: 'active' as const },
            { at: at - HOUR, status: 'compromised' as const, reason: 'server image leaked' },
          ],
        }
      : active(old)),
  });
  return keys;
}

/** Publication `sequence` issued at `issuedAt`, valid 48 hours. */
export function publication(sequence: number, issuedAt: number): NationalTrustList {
  return {
    v: 2,
    sequence,
    issuedAt,
    expiresAt: issuedAt + 48 * HOUR,
    provinces: PROVINCE_CODES.map((p) => ({ province: p, name: NAMES[p]!, url: URLS[p]! })),
    keys: keysAt(issuedAt, sequence >= 3),
  };
}

/** The issue times of the three honest publications. */
export const ISSUED = [T0 - 24 * HOUR, T0 - 12 * HOUR, T0 - HOUR] as const;

export const signList = (
  list: NationalTrustList,
  root: Ed25519KeyPair = NTL_KEYS.root.pair,
): SignedTrustList => signNationalTrustList(list, ROOT_KID, signWith(root));

/** A national log (or a lying operator's fork of it) built from the vector keys. */
export class VectorLog {
  readonly leaves: Uint8Array[] = [];
  readonly signed: SignedTrustList[] = [];

  constructor(private readonly logKey: NoteKey = NTL_KEYS.log) {}

  /** A copy of the first `size` publications: what a lying operator starts from. */
  fork(size: number): VectorLog {
    const f = new VectorLog(this.logKey);
    f.leaves.push(...this.leaves.slice(0, size));
    f.signed.push(...this.signed.slice(0, size));
    return f;
  }

  append(signed: SignedTrustList): number {
    this.signed.push(signed);
    this.leaves.push(trustListLeafHash(signed));
    return this.leaves.length - 1;
  }

  /**
   * The checkpoint note of `size` leaves signed by the log and cosigned by `witnesses` at `timestamp`
   * (POSIX seconds; by default when the newest list was issued, as the national collects them then).
   */
  note(
    size = this.leaves.length,
    witnesses: readonly NoteKey[] = NTL_KEYS.witnesses.slice(0, 2),
    timestamp?: number,
  ): string {
    const issuedAt = (JSON.parse(this.signed[size - 1]!.list) as NationalTrustList).issuedAt;
    const at = timestamp ?? Math.floor(issuedAt / 1000);
    const signer = ed25519NoteSigner(
      this.logKey.name,
      this.logKey.k.pair.publicKey,
      signWith(this.logKey.k.pair),
    );
    const note = signNationalCheckpoint(NTL_ORIGIN, this.leaves, signer, size);
    const text = nationalCheckpointText(NTL_ORIGIN, this.leaves, size);
    const lines = witnesses
      .map((w) => cosignatureLine(text, createCosigner(w.name, w.k.pair.publicKey, signWith(w.k.pair)), at))
      .join('');
    return lines ? addNoteSignatures(note, lines) : note;
  }

  bundle(
    options: { size?: number; fromSize?: number; witnesses?: readonly NoteKey[]; checkpoint?: string } = {},
  ): TrustBundle {
    const size = options.size ?? this.leaves.length;
    return buildTrustBundle({
      signed: this.signed[size - 1]!,
      checkpoint: options.checkpoint ?? this.note(size, options.witnesses),
      leafHashes: this.leaves.slice(0, size),
      fromSize: options.fromSize,
    });
  }

  /** The state a verifier holds after accepting the bundle of `size`. */
  state(size = this.leaves.length): BundleState {
    const text = nationalCheckpointText(NTL_ORIGIN, this.leaves, size);
    const root = text.split('\n')[2]!;
    const list = JSON.parse(this.signed[size - 1]!.list) as NationalTrustList;
    return {
      sequence: list.sequence,
      treeSize: size,
      rootHash: root,
      listHash: base64Encode(this.leaves[size - 1]!),
    };
  }
}

/** The honest log of three publications. */
export function honestLog(): VectorLog {
  const log = new VectorLog();
  ISSUED.forEach((at, i) => log.append(signList(publication(i + 1, at))));
  return log;
}

/** Re-signs an edited list text (so only the edit is wrong, not the root signature). */
const resigned = (listText: string, root: Ed25519KeyPair = NTL_KEYS.root.pair): SignedTrustList => ({
  list: listText,
  kid: ROOT_KID,
  signature: base64urlEncode(ed.sign(root.secretKey, nationalTrustListMessage(listText))),
});

/** A bundle of a single-leaf log holding `signed`, so the list's own defect is what a verifier meets first. */
function loneBundle(signed: SignedTrustList): TrustBundle {
  const log = new VectorLog();
  log.append(signed);
  return log.bundle();
}

function withSignatureLines(note: string, edit: (lines: string[]) => string[]): string {
  const head = note.slice(0, note.lastIndexOf('\n\n') + 2);
  const lines = note.slice(head.length, -1).split('\n');
  return `${head}${edit(lines)
    .map((l) => `${l}\n`)
    .join('')}`;
}

interface Case {
  name: string;
  bundle: TrustBundle;
  last: BundleState | null;
  now: number;
}

function acceptedCases(log: VectorLog): Case[] {
  const latest = publication(3, ISSUED[2]);
  return [
    { name: 'a first bundle (no last state)', bundle: log.bundle(), last: null, now: NTL_NOW },
    {
      name: 'after publication 2, with the consistency proof from 2',
      bundle: log.bundle({ fromSize: 2 }),
      last: log.state(2),
      now: NTL_NOW,
    },
    {
      name: 'after publication 1, with the consistency proof from 1',
      bundle: log.bundle({ fromSize: 1 }),
      last: log.state(1),
      now: NTL_NOW,
    },
    {
      name: 'the same bundle again (same tree, same root, same sequence)',
      bundle: log.bundle(),
      last: log.state(3),
      now: NTL_NOW,
    },
    {
      name: 'all three witnesses cosign',
      bundle: log.bundle({ witnesses: NTL_KEYS.witnesses }),
      last: null,
      now: NTL_NOW,
    },
    {
      name: 'the quorum exactly: 37 and 11',
      bundle: log.bundle({ witnesses: [NTL_KEYS.witnesses[0]!, NTL_KEYS.witnesses[2]!] }),
      last: null,
      now: NTL_NOW,
    },
    {
      name: 'now = expiresAt + skew (the last accepted instant)',
      bundle: log.bundle(),
      last: null,
      now: latest.expiresAt + NTL_SKEW_MS,
    },
    {
      name: 'now = issuedAt - skew (the first accepted instant)',
      bundle: log.bundle(),
      last: null,
      now: latest.issuedAt - NTL_SKEW_MS,
    },
  ];
}

function refusedCases(log: VectorLog): Case[] {
  const latest = publication(3, ISSUED[2]);
  const text = log.signed[2]!.list;
  const [w37, w42, w11] = NTL_KEYS.witnesses as [NoteKey, NoteKey, NoteKey];
  const honest = log.bundle();
  const proofAltered = log.bundle({ fromSize: 2 });
  proofAltered.consistency!.hashes[0] = base64Encode(new Uint8Array(32).fill(7));
  const inclusionAltered = log.bundle();
  inclusionAltered.inclusion.hashes[0] = base64Encode(new Uint8Array(32).fill(7));

  // The lying operator: the same first two publications, then a third that adds a key for Hubei only.
  const fork = log.fork(2);
  const forked = publication(3, ISSUED[2]);
  forked.keys.push({
    kid: 'vec-42-9',
    province: '42',
    use: 'issuer',
    publicKey: b64url(keyOf('issuer 42-9 (operator)').pair),
    notBefore: ISSUED[2],
    ...active(ISSUED[2]),
  });
  fork.append(signList(forked));
  const fork4 = fork.fork(3);
  fork4.append(signList(publication(4, ISSUED[2] + HOUR)));
  const fork4Bundle = fork4.bundle({ fromSize: 3 });

  // Sequence 3 again with other bytes, appended honestly as a fourth leaf.
  const reused = log.fork(3);
  const again = publication(3, ISSUED[2] + 30 * 60_000);
  reused.append(signList(again));

  const smallOrder = JSON.parse(text) as NationalTrustList;
  smallOrder.keys[0]!.publicKey = base64urlEncode(
    fromHex('0100000000000000000000000000000000000000000000000000000000000000'),
  );
  const duplicateKid = JSON.parse(text) as NationalTrustList;
  duplicateKid.keys[1]!.kid = duplicateKid.keys[0]!.kid;
  const notCanonical = JSON.stringify(JSON.parse(text), null, 1);
  const reordered = `{"v":2,${text.slice(1).replace(',"v":2', '')}`;

  const rogueLog = new VectorLog(NTL_KEYS.rogueLog);
  log.signed.forEach((s) => rogueLog.append(s));

  return [
    {
      name: 'forged root signature (another key signs)',
      bundle: { ...honest, signed: signList(latest, NTL_KEYS.rogueRoot.pair) },
      last: null,
      now: NTL_NOW,
    },
    {
      name: 'list text altered after signing',
      bundle: { ...honest, signed: { ...honest.signed, list: text.replace('山东省', '山东') } },
      last: null,
      now: NTL_NOW,
    },
    {
      name: 'non-canonical spelling (indented), signed by the root',
      bundle: loneBundle(resigned(notCanonical)),
      last: null,
      now: NTL_NOW,
    },
    {
      name: 'non-canonical member order, signed by the root',
      bundle: loneBundle(resigned(reordered)),
      last: null,
      now: NTL_NOW,
    },
    {
      name: 'a small-order key in the list',
      bundle: loneBundle(resigned(canonicalJson(smallOrder))),
      last: null,
      now: NTL_NOW,
    },
    {
      name: 'two keys of one kid',
      bundle: loneBundle(resigned(canonicalJson(duplicateKid))),
      last: null,
      now: NTL_NOW,
    },
    {
      name: 'expired: now = expiresAt + skew + 1',
      bundle: honest,
      last: null,
      now: latest.expiresAt + NTL_SKEW_MS + 1,
    },
    {
      name: 'issued in the future: now = issuedAt - skew - 1',
      bundle: honest,
      last: null,
      now: latest.issuedAt - NTL_SKEW_MS - 1,
    },
    {
      name: 'lower sequence: publication 2 after 3 (a replayed older bundle)',
      bundle: log.bundle({ size: 2 }),
      last: log.state(3),
      now: NTL_NOW,
    },
    {
      name: 'sequence 3 again with other bytes in a larger tree',
      bundle: reused.bundle({ fromSize: 3 }),
      last: log.state(3),
      now: NTL_NOW,
    },
    { name: 'checkpoint signed by another log key', bundle: rogueLog.bundle(), last: null, now: NTL_NOW },
    {
      name: 'too few cosignatures: 1 of the 2 needed',
      bundle: log.bundle({ witnesses: [w42] }),
      last: null,
      now: NTL_NOW,
    },
    {
      name: 'the same witness twice',
      bundle: { ...honest, checkpoint: withSignatureLines(log.note(3, [w37]), (l) => [...l, l[1]!]) },
      last: null,
      now: NTL_NOW,
    },
    {
      name: 'one pinned witness and one unpinned',
      bundle: log.bundle({ witnesses: [w11, NTL_KEYS.rogueWitness] }),
      last: null,
      now: NTL_NOW,
    },
    {
      name: 'a cosignature that does not verify',
      bundle: {
        ...honest,
        checkpoint: log
          .note(3, [w37, w42])
          .replace(/(— witness-42 \S{10})(\S)/, (_m, a: string, c: string) => `${a}${c === 'A' ? 'B' : 'A'}`),
      },
      last: null,
      now: NTL_NOW,
    },
    {
      name: 'inclusion at the wrong index (an older leaf under the newest tree)',
      bundle: {
        ...log.bundle({ size: 2 }),
        checkpoint: log.note(3),
        inclusion: { index: 1, hashes: log.bundle().inclusion.hashes },
      },
      last: null,
      now: NTL_NOW,
    },
    { name: 'inclusion proof altered', bundle: inclusionAltered, last: null, now: NTL_NOW },
    {
      name: 'consistency proof missing (last state of size 2)',
      bundle: honest,
      last: log.state(2),
      now: NTL_NOW,
    },
    { name: 'consistency proof forged', bundle: proofAltered, last: log.state(2), now: NTL_NOW },
    {
      name: 'split view: the same size, another root, fully cosigned',
      bundle: fork.bundle(),
      last: log.state(3),
      now: NTL_NOW,
    },
    {
      name: 'split view: a larger tree that does not extend the accepted one',
      bundle: fork4Bundle,
      last: log.state(3),
      now: NTL_NOW,
    },
    {
      name: 'a smaller tree than the accepted one',
      bundle: log.bundle({ size: 2 }),
      last: { ...log.state(3), sequence: 2 },
      now: NTL_NOW,
    },
  ];
}

function outcome(c: Case) {
  try {
    const opened = openTrustBundle(c.bundle, NTL_TRUST, c.now, c.last ?? undefined, ed);
    return { state: opened.state };
  } catch (e) {
    if (e instanceof FederationError) return { reason: e.reason };
    throw e;
  }
}

function terminalVector(bundle: TrustBundle) {
  const statusLists = PROVINCE_CODES.map((p) => {
    const bits = emptyStatusBits(16);
    setStatusAt(bits, 3, 1);
    const kid = p === '37' ? 'vec-37-1' : `vec-${p}-1`;
    const signed = signStatusList(
      { kid, issuedAt: NTL_NOW - HOUR, ttlSeconds: 3600, size: 16, bits },
      signWith(NTL_KEYS.issuers[p]!.pair),
    );
    return { province: p, kid, list: base64urlEncode(signed), fetchedAt: NTL_NOW - 30 * 60_000 };
  });
  const terminal: TerminalBundle = { trust: bundle, statusLists };
  return {
    bundle: terminal,
    encoded: utf8Decode(encodeTerminalBundle(terminal)),
    size: terminalBundleSize(terminal),
  };
}

export function nationalTrustListVectors(ed25519: Ed25519 = tweetnaclEd25519) {
  ed = ed25519;
  try {
    const log = honestLog();
    const list = JSON.parse(log.signed[2]!.list) as NationalTrustList;
    const bundle = log.bundle({ fromSize: 2 });
    const accepted = acceptedCases(log).map((c) => ({ ...c, ...outcome(c) }));
    const refused = refusedCases(log).map((c) => ({ ...c, ...outcome(c) }));
    for (const c of accepted) if (!('state' in c)) throw new Error(`accepted case "${c.name}" is refused`);
    for (const c of refused) if (!('reason' in c)) throw new Error(`refused case "${c.name}" is accepted`);
    return {
      description:
        'The national trust list v2, its log and bundles (docs/formats/national-trust-list.md). Keys are hex (seed, public key) or C2SP verifier keys; list keys and signatures base64url without padding; tree hashes base64 as in checkpoints. Never use these keys.',
      keys: {
        root: { kid: ROOT_KID, ...keyJson(NTL_KEYS.root) },
        log: { name: NTL_KEYS.log.name, ...keyJson(NTL_KEYS.log.k), vkey: NTL_KEYS.log.vkey },
        witnesses: NTL_KEYS.witnesses.map((w) => ({ name: w.name, ...keyJson(w.k), vkey: w.vkey })),
        rogueWitness: {
          name: NTL_KEYS.rogueWitness.name,
          ...keyJson(NTL_KEYS.rogueWitness.k),
          vkey: NTL_KEYS.rogueWitness.vkey,
        },
      },
      trust: {
        rootPublicKey: toHex(NTL_TRUST.rootPublicKey),
        logVerifierKey: NTL_TRUST.logVerifierKey,
        witnessVerifierKeys: NTL_TRUST.witnessVerifierKeys,
        quorum: NTL_TRUST.quorum,
        skewMs: NTL_TRUST.skewMs,
        origin: NTL_ORIGIN,
        now: NTL_NOW,
      },
      list: {
        value: list,
        canonicalJson: log.signed[2]!.list,
        message: toHex(nationalTrustListMessage(log.signed[2]!.list)),
        signed: log.signed[2]!,
        leafHash: toHex(log.leaves[2]!),
        issuers: issuersOfList(list, NTL_NOW).map((i) => ({ ...i, publicKey: base64urlEncode(i.publicKey) })),
      },
      log: {
        origin: NTL_ORIGIN,
        publications: log.signed.map((s, i) => ({
          sequence: i + 1,
          signed: s,
          leafHash: toHex(log.leaves[i]!),
          checkpoint: nationalCheckpointText(NTL_ORIGIN, log.leaves, i + 1),
        })),
        consistency: {
          fromSize: 2,
          toSize: 3,
          oldRoot: log.state(2).rootHash,
          newRoot: log.state(3).rootHash,
          hashes: bundle.consistency!.hashes,
        },
      },
      bundle: { value: bundle, last: log.state(2), state: log.state(3) },
      accepted,
      refused,
      terminal: terminalVector(log.bundle()),
    };
  } finally {
    ed = tweetnaclEd25519;
  }
}

async function main(): Promise<void> {
  const file = join(__dirname, '..', '..', 'docs', 'formats', 'vectors', 'national-trust-list.json');
  mkdirSync(join(file, '..'), { recursive: true });
  // Loaded here, not at the top: jest imports the vectors function and cannot load prettier's ESM parts.
  const prettier = await import('prettier');
  const config = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(
    file,
    await prettier.format(JSON.stringify(nationalTrustListVectors()), { ...config, parser: 'json' }),
  );
  console.log(`wrote ${file}`);
}

if (require.main === module) void main();
