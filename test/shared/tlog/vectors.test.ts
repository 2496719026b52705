import {
  createCheckpointVerifier,
  createCosigner,
  createWitness,
  fromHex,
  parseVerifierKey,
  sha256,
  toHex,
  tweetnaclEd25519,
  utf8Encode,
} from '@eid/shared';
import { tlogVectors } from '../../../scripts/vectors/tlog';
import { ED25519_IMPLEMENTATIONS, hashes, nodeSha256, reasonOf, recordOf, TLOG_VECTORS } from './vectors';

const { keys, verifier, witness } = TLOG_VECTORS;

describe('tlog.json', () => {
  it('when the vectors are computed again from their seeds through node:crypto, then they equal the file tweetnacl wrote', () => {
    expect(tlogVectors(ED25519_IMPLEMENTATIONS[1][1])).toEqual(TLOG_VECTORS);
  });

  it('when each key is derived from its seed label, then seed, public key and vkey are the published ones', () => {
    for (const k of [keys.log, keys.rogueLog, keys.rogueWitness, ...keys.witnesses]) {
      const seed = sha256(utf8Encode(`eid test vector seed: ${k.seedLabel}`));
      expect(toHex(seed)).toBe(k.seed);
      expect(toHex(tweetnaclEd25519.keyPairFromSeed(seed).publicKey)).toBe(k.publicKey);
      const parsed = parseVerifierKey(k.vkey);
      expect([parsed.name, toHex(parsed.publicKey)]).toEqual([k.name, k.publicKey]);
    }
  });

  describe.each(ED25519_IMPLEMENTATIONS)('through %s', (_, ed25519) => {
    const check = createCheckpointVerifier(verifier.policy, { ed25519, sha256: nodeSha256 });

    it.each(verifier.accepted.map((a) => [a.name, a] as const))(
      'when a verifier is given "%s", then it accepts',
      (_n, a) => {
        const v = check.verify(a.note, verifier.policy.now);
        expect(v.checkpoint.origin).toBe(verifier.policy.origin);
        expect(v.cosignatures.length).toBeGreaterThanOrEqual(verifier.policy.quorum);
        expect(new Set(v.cosignatures.map((c) => c.name)).size).toBe(v.cosignatures.length);
      },
    );

    it.each(verifier.rejections.map((r) => [r.name, r] as const))(
      'when a verifier is given "%s", then it refuses for its reason',
      (_n, r) => {
        expect(reasonOf(() => check.verify(r.note, verifier.policy.now))).toBe(r.reason);
      },
    );

    it('when the witness cases are replayed, then every decision is the published one', () => {
      const w = keys.witnesses[0]!;
      const pair = ed25519.keyPairFromSeed(fromHex(w.seed));
      const cosigner = createCosigner(w.name, pair.publicKey, (m) => ed25519.sign(pair.secretKey, m));
      const instance = createWitness(
        { origin: verifier.policy.origin, logKeys: [keys.log.vkey], cosigner },
        { ed25519 },
      );
      for (const c of witness.cases) {
        const d = instance.decide(
          recordOf(c.last),
          { note: c.note, proof: hashes(c.proof), oldSize: c.oldSize },
          witness.now,
        );
        const outcome = d.accepted
          ? {
              accepted: true,
              cosignature: d.cosignature,
              record: { size: d.record.size, rootHash: toHex(d.record.rootHash) },
            }
          : {
              accepted: false,
              reason: d.reason,
              ...(d.latestSize === undefined ? {} : { latestSize: d.latestSize }),
            };
        expect([c.name, outcome]).toEqual([c.name, c.outcome]);
      }
    });
  });

  it('when a cosigned vector note is verified before its cosignatures were made, then those beyond the skew do not count', () => {
    const good = verifier.accepted[0]!.note;
    const sixMinutesEarly = verifier.policy.now - 6 * 60_000;
    const counted = createCheckpointVerifier({ ...verifier.policy, quorum: 0 }).verify(good, sixMinutesEarly);
    expect([counted.cosignatures.length, counted.futureCosignatures.length]).toEqual([0, 3]);
    expect(reasonOf(() => createCheckpointVerifier(verifier.policy).verify(good, sixMinutesEarly))).toBe(
      'quorum_not_met',
    );
    const fiveMinutesEarly = verifier.policy.now - 5 * 60_000;
    expect(
      createCheckpointVerifier(verifier.policy).verify(good, fiveMinutesEarly).cosignatures,
    ).toHaveLength(3);
  });
});
