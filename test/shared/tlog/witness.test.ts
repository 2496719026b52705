import {
  addNoteSignatures,
  createCheckpointVerifier,
  createCosigner,
  createWitness,
  ed25519NoteSigner,
  formatCheckpoint,
  fromHex,
  merkleConsistencyProof,
  merkleLeafHash,
  merkleRoot,
  parseNote,
  signNote,
  utf8Encode,
  type Ed25519KeyPair,
  type Witness,
  type WitnessRecord,
} from '@eid/shared';
import { ED25519_IMPLEMENTATIONS, reasonOf, TLOG_VECTORS } from './vectors';

// node:crypto signs here for speed; the vector suite checks that tweetnacl gives the same bytes.
const ed = ED25519_IMPLEMENTATIONS[1][1];
const { keys } = TLOG_VECTORS;
const ORIGIN = keys.log.name;
const T = TLOG_VECTORS.witness.now;
const pairOf = (seed: string): Ed25519KeyPair => ed.keyPairFromSeed(fromHex(seed));
const logPair = pairOf(keys.log.seed);
const logSigner = ed25519NoteSigner(ORIGIN, logPair.publicKey, (m) => ed.sign(logPair.secretKey, m));

/** A log as its operator runs it: entries in order, checkpoints signed with the log key. */
function log(entries: string[]) {
  const leaves = entries.map((e) => merkleLeafHash(utf8Encode(e)));
  return {
    note: (size: number) =>
      signNote(
        formatCheckpoint({ origin: ORIGIN, size, rootHash: merkleRoot(leaves, size), extensions: [] }),
        [logSigner],
      ),
    proof: (from: number, to: number) => merkleConsistencyProof(leaves, from, to),
    root: (size: number) => merkleRoot(leaves, size),
  };
}

const publications = (n: number, fork?: string) =>
  Array.from({ length: n }, (_, i) =>
    fork && i >= 3 ? `publication ${i + 1} for ${fork}` : `publication ${i + 1}`,
  );

/** A province node's witness with its one stored record, updated by compare-and-set as the BFF will. */
function node(index: number) {
  const w = keys.witnesses[index]!;
  const pair = pairOf(w.seed);
  const witness: Witness = createWitness(
    {
      origin: ORIGIN,
      logKeys: [keys.log.vkey],
      cosigner: createCosigner(w.name, pair.publicKey, (m) => ed.sign(pair.secretKey, m)),
    },
    { ed25519: ed },
  );
  let stored: WitnessRecord | undefined;
  return {
    vkey: w.vkey,
    get record() {
      return stored;
    },
    decide: witness.decide,
    submit(note: string | Uint8Array, proof: Uint8Array[], now = T) {
      const seen = stored;
      const d = witness.decide(seen, { note, proof }, now);
      if (d.accepted && stored === seen) stored = d.record;
      return d;
    },
  };
}

const terminal = (quorum: number) =>
  createCheckpointVerifier(
    { origin: ORIGIN, logKeys: [keys.log.vkey], witnesses: keys.witnesses.map((w) => w.vkey), quorum },
    { ed25519: ed },
  );

/** The note with every accepted cosignature added, as the log assembles it from the witnesses' answers. */
function cosign(note: string, answers: ReturnType<ReturnType<typeof node>['submit']>[]): string {
  const lines = answers.flatMap((a) => (a.accepted ? [a.cosignature] : [])).join('');
  return lines ? addNoteSignatures(note, lines) : note;
}

describe('a witness', () => {
  it('when it has seen nothing, then it cosigns the first checkpoint and the cosignature verifies under its vkey', () => {
    const w = node(0);
    const d = w.submit(log(publications(3)).note(3), []);
    if (!d.accepted) throw new Error(d.reason);
    expect([d.record.size, d.timestamp]).toEqual([3, Math.floor(T / 1000)]);
    const check = createCheckpointVerifier(
      { origin: ORIGIN, logKeys: [keys.log.vkey], witnesses: [w.vkey], quorum: 1 },
      { ed25519: ed },
    );
    expect(check.verify(d.cosignedNote, T).cosignatures.map((c) => c.timestamp)).toEqual([d.timestamp]);
  });

  it('when the log grows with a proof, then it cosigns; the same checkpoint again, then it cosigns again', () => {
    const w = node(0);
    const a = log(publications(9));
    expect(w.submit(a.note(3), []).accepted).toBe(true);
    expect(w.submit(a.note(7), a.proof(3, 7)).accepted).toBe(true);
    expect(w.submit(a.note(7), []).accepted).toBe(true);
    expect(w.submit(a.note(9), a.proof(7, 9)).accepted).toBe(true);
    expect(w.record?.size).toBe(9);
  });

  it('when the checkpoint arrives as bytes with other cosignatures on it, then only the log signature matters', () => {
    const a = log(publications(3));
    const withOther = cosign(a.note(3), [node(1).submit(a.note(3), [])]);
    const d = node(0).submit(utf8Encode(withOther), []);
    if (!d.accepted) throw new Error(d.reason);
    expect(parseNote(d.cosignedNote).signatures.map((x) => x.name)).toEqual([
      ORIGIN,
      keys.witnesses[1]!.name,
      keys.witnesses[0]!.name,
    ]);
    expect(terminal(2).verify(d.cosignedNote, T).cosignatures).toHaveLength(2);
  });

  it('when a decision is made, then the record it was given is left as it was', () => {
    const a = log(publications(5));
    const before: WitnessRecord = { size: 3, rootHash: a.root(3) };
    const d = node(0).decide(before, { note: a.note(5), proof: a.proof(3, 5) }, T);
    expect(d.accepted).toBe(true);
    expect(before).toEqual({ size: 3, rootHash: a.root(3) });
  });

  it('when two submissions race on one record, then the second, decided again against the stored one, cannot roll it back', () => {
    const w = node(0);
    const a = log(publications(8));
    const seen: WitnessRecord = { size: 5, rootHash: a.root(5) };
    expect(w.decide(seen, { note: a.note(8), proof: a.proof(5, 8) }, T).accepted).toBe(true);
    expect(w.decide(seen, { note: a.note(6), proof: a.proof(5, 6) }, T).accepted).toBe(true);
    // The store took 8 first, so the compare-and-set of 6 fails; decided again against 8, it is refused.
    const again = w.decide({ size: 8, rootHash: a.root(8) }, { note: a.note(6), proof: a.proof(5, 6) }, T);
    expect(again).toEqual(expect.objectContaining({ accepted: false, reason: 'size_shrank', latestSize: 8 }));
  });

  it('when the equal-size checkpoint comes with a proof, or nothing recorded and a proof sent, then it is refused', () => {
    const w = node(0);
    const a = log(publications(5));
    expect(w.submit(a.note(3), a.proof(2, 3))).toEqual(
      expect.objectContaining({ accepted: false, reason: 'inconsistent' }),
    );
    w.submit(a.note(5), []);
    expect(w.submit(a.note(5), [a.root(5)])).toEqual(
      expect.objectContaining({ accepted: false, reason: 'inconsistent' }),
    );
  });

  it('when the clock or configuration is broken, then it throws rather than cosign', () => {
    const w = node(0);
    expect(() => w.submit(log(publications(3)).note(3), [], 0)).toThrow(TypeError);
    const cosigner = createCosigner(
      'x.example/w',
      fromHex(keys.witnesses[0]!.publicKey),
      () => new Uint8Array(64),
    );
    expect(reasonOf(() => createWitness({ origin: ORIGIN, logKeys: [], cosigner }))).toBe('invalid_policy');
    expect(reasonOf(() => createWitness({ origin: '', logKeys: [keys.log.vkey], cosigner }))).toBe(
      'invalid_policy',
    );
    expect(
      reasonOf(() => createWitness({ origin: ORIGIN, logKeys: [keys.witnesses[0]!.vkey], cosigner })),
    ).toBe('invalid_policy');
  });
});

describe('a split view', () => {
  // The national operator keeps one log for Shandong (37) and a fork for Hubei (42) under the same origin and
  // key: the same first three publications, then different ones. Each terminal wants 2 of the 3 province
  // witnesses (37, 42, 11).
  const honest = log(publications(7));
  const forked = log(publications(7, 'Hubei'));

  function federation() {
    const [w37, w42, w11] = [node(0), node(1), node(2)];
    for (const w of [w37, w42, w11]) expect(w.submit(honest.note(3), []).accepted).toBe(true);
    return { w37, w42, w11 };
  }

  it('when the two views are signed by the log, then each is a valid log signature: the pair itself proves the lie', () => {
    const logOnly = terminal(0);
    const a = logOnly.verify(honest.note(5), T).checkpoint;
    const b = logOnly.verify(forked.note(5), T).checkpoint;
    expect([a.size, b.size]).toEqual([5, 5]);
    expect(a.rootHash).not.toEqual(b.rootHash);
  });

  it('when Shandong gets its view cosigned and Hubei asks for the other, then the witness that saw both refuses it', () => {
    const { w37, w42, w11 } = federation();
    const shandong = cosign(honest.note(5), [
      w37.submit(honest.note(5), honest.proof(3, 5)),
      w11.submit(honest.note(5), honest.proof(3, 5)),
    ]);
    expect(
      terminal(2)
        .verify(shandong, T)
        .cosignatures.map((c) => c.name),
    ).toEqual([keys.witnesses[0]!.name, keys.witnesses[2]!.name]);

    // Witness 42 has only ever seen the fork's prefix, so it cosigns the fork: one cosignature.
    const at42 = w42.submit(forked.note(5), forked.proof(3, 5));
    expect(at42.accepted).toBe(true);
    // Witnesses 11 and 37 already cosigned another root for size 5.
    const at11 = w11.submit(forked.note(5), forked.proof(3, 5));
    const at37 = w37.submit(forked.note(5), forked.proof(3, 5));
    expect([at11, at37]).toEqual([
      expect.objectContaining({ accepted: false, reason: 'split_view' }),
      expect.objectContaining({ accepted: false, reason: 'split_view' }),
    ]);
    const hubei = cosign(forked.note(5), [at42, at11, at37]);
    expect(reasonOf(() => terminal(2).verify(hubei, T))).toBe('quorum_not_met');
  });

  it('when the operator moves the fork ahead instead, then no proof from the cosigned tree reaches it', () => {
    const { w37, w11 } = federation();
    w37.submit(honest.note(5), honest.proof(3, 5));
    w11.submit(honest.note(5), honest.proof(3, 5));
    // The fork's own proof from 5 to 7, a proof of the honest log from 5 to 7, and no proof at all.
    for (const proof of [forked.proof(5, 7), honest.proof(5, 7), []])
      expect(w11.submit(forked.note(7), proof)).toEqual(
        expect.objectContaining({ accepted: false, reason: 'inconsistent' }),
      );
    expect(w11.submit(forked.note(3), [])).toEqual(
      expect.objectContaining({ accepted: false, reason: 'size_shrank', latestSize: 5 }),
    );
    expect(w11.record?.size).toBe(5);
    expect(w11.record?.rootHash).toEqual(honest.root(5));
  });

  it('when the quorum is one of three, then the same split view passes: the quorum must be a majority', () => {
    const { w42 } = federation();
    const hubei = cosign(forked.note(5), [w42.submit(forked.note(5), forked.proof(3, 5))]);
    expect(terminal(1).verify(hubei, T).checkpoint.rootHash).toEqual(forked.root(5));
    expect(reasonOf(() => terminal(2).verify(hubei, T))).toBe('quorum_not_met');
  });
});
