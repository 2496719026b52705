import fc from 'fast-check';
import {
  CborShapeError,
  FederationError,
  TlogError,
  createCheckpointVerifier,
  createCosigner,
  createWitness,
  decodeTerminalBundle,
  formatCheckpoint,
  fromHex,
  openSignedTrustList,
  openStatusList,
  openTrustBundle,
  openTrustList,
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
  utf8Encode,
  type BundleTrust,
} from '@eid/shared';
import { createNodeEd25519 } from '@eid/bff/infra/ed25519';
import { VECTORS, vectorLists } from '../shared/vectors';
import { hashes, recordOf, TLOG_VECTORS } from '../shared/tlog/vectors';
import { NTL_VECTORS } from '../shared/federation/vectors';
import { flippedByte, mutatedText, refuses, RUNS, same, valueOrRefusal } from './refusal';

const ed25519 = createNodeEd25519();
const rootKey = fromHex(VECTORS.keys.root.publicKey);
const trustBytes = fromHex(VECTORS.trustList.bytes);
const statusBytes = fromHex(VECTORS.statusList.fresh.bytes);
const { trust } = vectorLists();
const NOTE_CHARS = 'abc/.+-=— \n0123456789AZaz+/=\u00e9\t';

describe('trust lists and status lists (COSE) under fuzzing', () => {
  it('when any bytes are opened as a trust list or a status list, then a list or CborShapeError', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.uint8Array({ maxLength: 300 }), flippedByte(trustBytes), flippedByte(statusBytes)),
        (b) => {
          valueOrRefusal(() => openTrustList(b, rootKey, ed25519), CborShapeError);
          valueOrRefusal(() => openStatusList(b, trust, ed25519), CborShapeError);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('when any one byte of the signed trust list or status list is flipped, then it is refused', () => {
    expect(openTrustList(trustBytes, rootKey, ed25519).issuers.size).toBeGreaterThan(0);
    expect(openStatusList(statusBytes, trust, ed25519).size).toBe(VECTORS.statusList.size);
    fc.assert(
      fc.property(flippedByte(trustBytes), flippedByte(statusBytes), (t, s) => {
        return (
          refuses(() => openTrustList(t, rootKey, ed25519), CborShapeError) &&
          refuses(() => openStatusList(s, trust, ed25519), CborShapeError)
        );
      }),
      { numRuns: RUNS },
    );
  });
});

describe('checkpoints, notes, cosignatures and the witness (tlog) under fuzzing', () => {
  const { verifier, witness, keys } = TLOG_VECTORS;
  const check = createCheckpointVerifier(verifier.policy, { ed25519 });
  const accepted = verifier.accepted.map((a) => a.note);
  const w = keys.witnesses[0]!;
  const pair = ed25519.keyPairFromSeed(fromHex(w.seed));
  const cosigner = createCosigner(w.name, pair.publicKey, (m) => ed25519.sign(pair.secretKey, m));
  const instance = createWitness(
    { origin: verifier.policy.origin, logKeys: [keys.log.vkey], cosigner },
    { ed25519 },
  );

  it('when any text is parsed as a checkpoint, a note or a verifier key, then a value or TlogError', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({ unit: fc.constantFrom(...NOTE_CHARS), maxLength: 300 }),
      fc.constantFrom(...accepted).chain((n) => mutatedText(n, NOTE_CHARS)),
    );
    fc.assert(
      fc.property(text, (t) => {
        const c = valueOrRefusal(() => parseCheckpoint(t), TlogError);
        if (!(c instanceof Error) && formatCheckpoint(c) !== t) return false;
        valueOrRefusal(() => parseNote(t), TlogError);
        valueOrRefusal(() => parseVerifierKey(t), TlogError);
      }),
      { numRuns: RUNS },
    );
  });

  it('when a checkpoint is formatted and parsed, then it is the same checkpoint', () => {
    const origin = fc.string({ unit: fc.constantFrom(...'abcxyz./-_0189'), minLength: 1, maxLength: 30 });
    const ext = fc.string({ unit: fc.constantFrom(...'abc xyz=/0189'), minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(
        origin,
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.array(ext, { maxLength: 3 }),
        (o, size, rootHash, extensions) => {
          const c = { origin: o, size, rootHash, extensions };
          const text = formatCheckpoint(c);
          return same(parseCheckpoint(text), c);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('when any character of an accepted cosigned checkpoint is changed, then the verifier refuses it with a TlogError or the change was outside what is signed', () => {
    for (const n of accepted)
      expect(check.verify(n, verifier.policy.now).checkpoint.origin).toBe(verifier.policy.origin);
    fc.assert(
      fc.property(
        fc.constantFrom(...accepted).chain((n) => fc.tuple(fc.constant(n), mutatedText(n, NOTE_CHARS))),
        ([note, changed]) => {
          const v = valueOrRefusal(() => check.verify(changed, verifier.policy.now), TlogError);
          if (v instanceof Error) return true;
          // Accepted after a change: only when the signed checkpoint text is untouched (a signature line
          // of an unknown or surplus cosigner changed or dropped while the quorum still holds).
          return (
            same(v.checkpoint, check.verify(note, verifier.policy.now).checkpoint) &&
            changed.slice(0, changed.indexOf('\n\n')) === note.slice(0, note.indexOf('\n\n'))
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('when the witness is given any note, proof and size, then it decides (accepted or a typed refusal) and never throws', () => {
    const cases = witness.cases;
    fc.assert(
      fc.property(
        fc.constantFrom(...cases),
        fc.oneof(
          fc.constantFrom(...cases.map((c) => c.note)).chain((n) => mutatedText(n, NOTE_CHARS)),
          fc.string({ maxLength: 200 }),
        ),
        fc.array(fc.uint8Array({ minLength: 0, maxLength: 40 }), { maxLength: 5 }),
        fc.option(fc.oneof(fc.nat(), fc.integer(), fc.double()), { nil: undefined }),
        (c, note, proof, oldSize) => {
          const d = instance.decide(
            recordOf(c.last),
            { note, proof, oldSize: oldSize as number },
            witness.now,
          );
          return d.accepted ? d.cosignature.startsWith('— ') : typeof d.reason === 'string';
        },
      ),
      { numRuns: RUNS },
    );
    // The published cases still decide as published (the instance is the right one).
    const first = cases[0]!;
    expect(
      instance.decide(recordOf(first.last), { note: first.note, proof: hashes(first.proof) }, witness.now)
        .accepted,
    ).toBe(first.outcome.accepted);
  });
});

describe('the national trust list, trust bundles and terminal bundles under fuzzing', () => {
  const pinned = NTL_VECTORS.trust;
  const bundleTrust: BundleTrust = {
    rootPublicKey: fromHex(pinned.rootPublicKey),
    logVerifierKey: pinned.logVerifierKey,
    witnessVerifierKeys: pinned.witnessVerifierKeys,
    quorum: pinned.quorum,
    skewMs: pinned.skewMs,
  };
  const first = NTL_VECTORS.accepted[0]!;
  const signed = NTL_VECTORS.list.signed;
  const JSON_CHARS = '{}[]":,0123456789abcdefAZ_-\\ ';

  it('when a signed list or a bundle is anything, then it opens or throws FederationError', () => {
    const listText = fc.oneof(mutatedText(signed.list, JSON_CHARS), fc.json({ maxDepth: 3 }));
    const anyBundle = fc.oneof(
      fc.anything({ maxDepth: 4 }),
      fc.record({
        signed: fc.record({
          kid: fc.constant(signed.kid),
          list: listText,
          signature: fc.constant(signed.signature),
        }),
        checkpoint: fc.string(),
        proof: fc.anything(),
      }),
      mutatedText(JSON.stringify(first.bundle), JSON_CHARS).map((t) => {
        try {
          return JSON.parse(t) as unknown;
        } catch {
          return t;
        }
      }),
    );
    fc.assert(
      fc.property(anyBundle, listText, (bundle, list) => {
        valueOrRefusal(
          () => openSignedTrustList({ ...signed, list }, bundleTrust.rootPublicKey, ed25519),
          FederationError,
        );
        valueOrRefusal(
          () => openTrustBundle(bundle as never, bundleTrust, first.now, first.last ?? undefined, ed25519),
          FederationError,
        );
        valueOrRefusal(() => decodeTerminalBundle(bundle), FederationError);
      }),
      { numRuns: RUNS },
    );
  });

  it('when any character of the signed national list is changed, then it is refused', () => {
    expect(openSignedTrustList(signed, bundleTrust.rootPublicKey, ed25519).keys.length).toBeGreaterThan(0);
    fc.assert(
      fc.property(
        fc.oneof(
          mutatedText(signed.list, JSON_CHARS).map((list) => ({ ...signed, list })),
          mutatedText(signed.signature, 'AZaz09-_').map((signature) => ({ ...signed, signature })),
        ),
        (changed) => {
          return refuses(
            () => openSignedTrustList(changed, bundleTrust.rootPublicKey, ed25519),
            FederationError,
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('when the terminal bundle is encoded and decoded, then it is the same bundle', () => {
    const encoded = NTL_VECTORS.terminal.encoded;
    const decoded = decodeTerminalBundle(encoded);
    expect(decodeTerminalBundle(utf8Encode(JSON.stringify(decoded)))).toEqual(decoded);
    expect(decodeTerminalBundle(encoded)).toEqual(decodeTerminalBundle(JSON.parse(encoded)));
  });
});
