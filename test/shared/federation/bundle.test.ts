import {
  base64Encode,
  buildTrustBundle,
  FederationError,
  fromHex,
  inclusionHashes,
  openTrustBundle,
  tweetnaclEd25519 as ed,
  type BundleState,
  type BundleTrust,
  type TrustBundle,
} from '@eid/shared';
import {
  honestLog,
  ISSUED,
  NTL_KEYS,
  NTL_NOW,
  NTL_SKEW_MS,
  NTL_TRUST,
  publication,
  signList,
  VectorLog,
} from '../../../scripts/vectors/national-trust-list';
import { ED25519_IMPLEMENTATIONS, reasonOf } from './vectors';

const [w37, w42, w11] = NTL_KEYS.witnesses as [
  (typeof NTL_KEYS.witnesses)[number],
  (typeof NTL_KEYS.witnesses)[number],
  (typeof NTL_KEYS.witnesses)[number],
];
const HOUR = 3_600_000;
const open = (b: TrustBundle, last?: BundleState, now = NTL_NOW, trust: BundleTrust = NTL_TRUST) =>
  openTrustBundle(b, trust, now, last, ed);
const refused = (b: unknown, last?: BundleState, now = NTL_NOW, trust: BundleTrust = NTL_TRUST) =>
  reasonOf(() => openTrustBundle(b as TrustBundle, trust, now, last, ed));

describe('openTrustBundle', () => {
  const log = honestLog();

  it('when each publication is opened after the previous one, then each is accepted and its state chains on', () => {
    let last: BundleState | undefined;
    for (let size = 1; size <= 3; size++) {
      const opened = open(log.bundle({ size, fromSize: last?.treeSize }), last);
      expect(opened.list.sequence).toBe(size);
      expect(opened.state).toEqual(log.state(size));
      expect(opened.checkpoint.size).toBe(size);
      last = opened.state;
    }
  });

  it.each(ED25519_IMPLEMENTATIONS)(
    'when opened through %s, then the verdicts are the same',
    (_n, ed25519) => {
      expect(openTrustBundle(log.bundle(), NTL_TRUST, NTL_NOW, undefined, ed25519).state).toEqual(
        log.state(3),
      );
      expect(
        reasonOf(() =>
          openTrustBundle(log.bundle({ witnesses: [w37] }), NTL_TRUST, NTL_NOW, undefined, ed25519),
        ),
      ).toBe('quorum_not_met');
    },
  );

  describe('quorum', () => {
    const three = { ...NTL_TRUST, quorum: 3 };
    it('when 3 are needed, then k - 1 = 2 cosignatures are refused and k = 3 accepted', () => {
      expect(refused(log.bundle({ witnesses: [w37, w42] }), undefined, NTL_NOW, three)).toBe(
        'quorum_not_met',
      );
      expect(
        open(log.bundle({ witnesses: [w37, w42, w11] }), undefined, NTL_NOW, three).cosignatures,
      ).toHaveLength(3);
    });

    it('when one witness cosigns twice, then the note is refused, not counted twice', () => {
      const note = log.note(3, [w37]);
      const lines = note.slice(note.lastIndexOf('\n\n') + 2);
      const twice = `${note}${lines.split('\n')[1]}\n`;
      expect(refused({ ...log.bundle(), checkpoint: twice })).toBe('duplicate_signature');
    });

    it("when the second cosignature is an unpinned witness's (even one named like a pinned one), then it does not count", () => {
      expect(refused(log.bundle({ witnesses: [w37, NTL_KEYS.rogueWitness] }))).toBe('quorum_not_met');
      const impostor = { ...NTL_KEYS.rogueWitness, name: w42.name };
      expect(refused(log.bundle({ witnesses: [w37, impostor] }))).toBe('quorum_not_met');
    });

    it('when a cosignature is dated beyond the skew, then it does not count; at the skew exactly it does', () => {
      const at = (s: number) => ({ ...log.bundle(), checkpoint: log.note(3, [w37, w42], s) });
      const now = NTL_NOW;
      expect(open(at((now + NTL_SKEW_MS) / 1000)).cosignatures).toHaveLength(2);
      expect(refused(at((now + NTL_SKEW_MS) / 1000 + 1))).toBe('quorum_not_met');
    });

    it('when the log itself did not sign, then bad_log_signature, whatever the witnesses say', () => {
      const note = log.note(3, [w37, w42, w11]);
      const [head, block] = [
        note.slice(0, note.lastIndexOf('\n\n') + 2),
        note.slice(note.lastIndexOf('\n\n') + 2),
      ];
      const withoutLog = head + block.split('\n').slice(1).join('\n');
      const e = catchError(() => open({ ...log.bundle(), checkpoint: withoutLog }));
      expect([e.reason, e.tlogReason]).toEqual(['bad_log_signature', 'no_known_signature']);
    });
  });

  describe('time window', () => {
    const l = publication(3, ISSUED[2]);
    it.each([
      ['issuedAt - skew', l.issuedAt - NTL_SKEW_MS, undefined],
      ['issuedAt - skew - 1', l.issuedAt - NTL_SKEW_MS - 1, 'not_yet_valid'],
      ['expiresAt + skew', l.expiresAt + NTL_SKEW_MS, undefined],
      ['expiresAt + skew + 1', l.expiresAt + NTL_SKEW_MS + 1, 'expired'],
    ])('when now is %s, then %s', (_n, now, reason) => {
      // Cosigned at the verifier's now, so only the list's window decides.
      const bundle = { ...log.bundle(), checkpoint: log.note(3, [w37, w42], Math.floor(now / 1000)) };
      expect(refused(bundle, undefined, now)).toBe(reason);
    });

    it('when the skew is 0, then expiresAt itself is the last instant', () => {
      const zero = { ...NTL_TRUST, skewMs: 0 };
      expect(refused(log.bundle(), undefined, l.expiresAt, zero)).toBeUndefined();
      expect(refused(log.bundle(), undefined, l.expiresAt + 1, zero)).toBe('expired');
    });
  });

  describe('sequence and tree against the last state', () => {
    it('when an older bundle is replayed, then lower_sequence; when it is replayed against its own state, then accepted', () => {
      const old = log.bundle({ size: 2 });
      expect(refused(old, log.state(3))).toBe('lower_sequence');
      expect(open(old, log.state(2)).state).toEqual(log.state(2));
    });

    it('when the last state has no list hash and the same sequence comes in a larger tree, then sequence_reused', () => {
      const again = log.fork(3);
      again.append(signList({ ...publication(3, ISSUED[2] + 1) }));
      const { listHash: _omit, ...bare } = log.state(3);
      expect(refused(again.bundle({ fromSize: 3 }), bare)).toBe('sequence_reused');
    });

    it('when the identical list is appended again, then with the list hash it is accepted (same bytes), without it refused', () => {
      const twice = log.fork(3);
      twice.append(log.signed[2]!);
      const bundle = twice.bundle({ fromSize: 3 });
      expect(open(bundle, log.state(3)).state.treeSize).toBe(4);
      const { listHash: _omit, ...bare } = log.state(3);
      expect(refused(bundle, bare)).toBe('sequence_reused');
    });

    it('when the consistency proof is missing, from another size, truncated or forged, then it is refused', () => {
      const last = log.state(1);
      expect(refused(log.bundle(), last)).toBe('missing_consistency');
      expect(refused(log.bundle({ fromSize: 2 }), last)).toBe('missing_consistency');
      const truncated = log.bundle({ fromSize: 1 });
      truncated.consistency!.hashes.pop();
      expect(refused(truncated, last)).toBe('inconsistent');
      const forged = log.bundle({ fromSize: 1 });
      forged.consistency!.hashes[1] = base64Encode(new Uint8Array(32));
      expect(refused(forged, last)).toBe('inconsistent');
    });

    it('when the last state is of an empty tree, or there is none, then no consistency proof is needed and one sent is ignored', () => {
      const empty = {
        sequence: 0,
        treeSize: 0,
        rootHash: base64Encode(fromHex('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')),
      };
      expect(open(log.bundle(), empty).state.treeSize).toBe(3);
      expect(open(log.bundle({ fromSize: 2 })).state.treeSize).toBe(3);
    });

    it("when the national shows Shandong one tree and Hubei another, then each alone accepts, and either one's state refuses the other's bundle", () => {
      // The lying operator keeps the first two publications and forks the third: Hubei gets a key the
      // others never see. Here every witness signs both: dishonest witnesses; the verifier's state still tells.
      const fork = log.fork(2);
      const hubeiOnly = publication(3, ISSUED[2]);
      hubeiOnly.keys.push({ ...hubeiOnly.keys[3]!, kid: 'vec-42-9' });
      fork.append(signList(hubeiOnly));
      const shandong = open(log.bundle({ fromSize: 2 }), log.state(2));
      const hubei = open(fork.bundle({ fromSize: 2 }), log.state(2));
      expect(shandong.state.rootHash).not.toBe(hubei.state.rootHash);
      expect(refused(fork.bundle(), shandong.state)).toBe('split_view');
      expect(refused(log.bundle(), hubei.state)).toBe('split_view');
      // One publication later the fork cannot prove it extends what Shandong holds.
      fork.append(signList(publication(4, ISSUED[2] + HOUR)));
      expect(refused(fork.bundle({ fromSize: 3 }), shandong.state)).toBe('inconsistent');
    });

    it('when a checkpoint of a smaller tree comes after a larger one, then tree_shrank', () => {
      expect(refused(log.bundle({ size: 2 }), { ...log.state(3), sequence: 2 })).toBe('tree_shrank');
    });
  });

  describe('inclusion', () => {
    it('when a valid inclusion proof of an older leaf comes under the newest tree, then wrong_inclusion (only the newest leaf counts)', () => {
      const older: TrustBundle = {
        signed: log.signed[1]!,
        checkpoint: log.note(3),
        inclusion: { index: 1, hashes: inclusionHashes(log.leaves, 1, 3) },
      };
      expect(refused(older)).toBe('wrong_inclusion');
    });

    it('when the index is off by one, the proof is one hash short or one hash too long, then wrong_inclusion', () => {
      const b = log.bundle();
      expect(refused({ ...b, inclusion: { ...b.inclusion, index: 3 } })).toBe('wrong_inclusion');
      expect(refused({ ...b, inclusion: { ...b.inclusion, hashes: b.inclusion.hashes.slice(1) } })).toBe(
        'wrong_inclusion',
      );
      expect(
        refused({
          ...b,
          inclusion: { ...b.inclusion, hashes: [...b.inclusion.hashes, b.inclusion.hashes[0]!] },
        }),
      ).toBe('wrong_inclusion');
    });
  });

  describe('shape and trust', () => {
    const b = log.bundle();
    it.each<[string, unknown]>([
      ['not an object', 'bundle'],
      ['an unknown member', { ...b, extra: 1 }],
      ['no inclusion', { signed: b.signed, checkpoint: b.checkpoint }],
      ['a signed list that is not a string', { ...b, signed: { ...b.signed, list: {} } }],
      ['a negative index', { ...b, inclusion: { index: -1, hashes: [] } }],
      [
        'a hash of 31 bytes',
        { ...b, inclusion: { ...b.inclusion, hashes: [base64Encode(new Uint8Array(31))] } },
      ],
      ['a hash in base64url', { ...b, inclusion: { ...b.inclusion, hashes: ['_'.repeat(43) + '='] } }],
      ['65 hashes', { ...b, inclusion: { ...b.inclusion, hashes: Array(65).fill(b.inclusion.hashes[0]) } }],
      ['a consistency without hashes', { ...b, consistency: { fromSize: 2 } }],
    ])('when the bundle has %s, then malformed_bundle', (_n, value) => {
      expect(refused(value)).toBe('malformed_bundle');
    });

    it.each<[string, Partial<BundleTrust>]>([
      ['a quorum of 0', { quorum: 0 }],
      ['a quorum above the witnesses', { quorum: 4 }],
      ['a small-order root key', { rootPublicKey: fromHex('01'.padEnd(64, '0')) }],
      ['a log key among the witnesses', { witnessVerifierKeys: [NTL_KEYS.log.vkey] }],
      ['one witness pinned twice', { witnessVerifierKeys: [w37.vkey, w37.vkey] }],
      ['a negative skew', { skewMs: -1 }],
    ])('when the pinned trust has %s, then invalid_trust', (_n, edit) => {
      expect(refused(b, undefined, NTL_NOW, { ...NTL_TRUST, ...edit })).toBe('invalid_trust');
    });

    it('when the trust names another origin, then wrong_origin', () => {
      expect(refused(b, undefined, NTL_NOW, { ...NTL_TRUST, origin: 'eid.example/other-log' })).toBe(
        'wrong_origin',
      );
    });
  });
});

describe('buildTrustBundle', () => {
  const log = honestLog();

  it("when asked for the bundle of a list that is not the checkpoint's newest leaf, then it refuses to build it", () => {
    expect(() =>
      buildTrustBundle({ signed: log.signed[1]!, checkpoint: log.note(3), leafHashes: log.leaves }),
    ).toThrow(RangeError);
    expect(() =>
      buildTrustBundle({
        signed: log.signed[2]!,
        checkpoint: log.note(3),
        leafHashes: log.leaves.slice(0, 2),
      }),
    ).toThrow(RangeError);
  });

  it.each([[0], [3], [4], [undefined]])(
    'when fromSize is %s, then the bundle carries no consistency proof',
    (fromSize) => {
      const b = buildTrustBundle({
        signed: log.signed[2]!,
        checkpoint: log.note(3),
        leafHashes: log.leaves,
        fromSize,
      });
      expect(b.consistency).toBeUndefined();
      expect(b.inclusion.index).toBe(2);
    },
  );

  it('when a log of another signer is used, then the bundle builds but no verifier pinning the national log takes it', () => {
    const rogue = new VectorLog(NTL_KEYS.rogueLog);
    log.signed.forEach((s) => rogue.append(s));
    const e = catchError(() => openTrustBundle(rogue.bundle(), NTL_TRUST, NTL_NOW, undefined, ed));
    expect(e.reason).toBe('bad_log_signature');
  });
});

function catchError(f: () => unknown): FederationError {
  try {
    f();
  } catch (e) {
    if (e instanceof FederationError) return e;
    throw e;
  }
  throw new Error('no FederationError');
}
