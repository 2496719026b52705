import fc from 'fast-check';
import {
  BASE45_ALPHABET,
  CborShapeError,
  VERDICTS,
  base45Decode,
  base45Encode,
  base64urlDecode,
  base64urlEncode,
  buildCode,
  parseCode,
  verifyCodeSignature,
  bytesEqual,
  REQUEST_CODE_PROBLEMS,
  cborDecode,
  cborEncode,
  fromHex,
  openRequestCode,
  parseAnyCode,
  parseDocumentCode,
  verifyCode,
  verifyLicenceText,
  verifyReceipt,
  type CborValue,
} from '@eid/shared';
import { createNodeEd25519 } from '@eid/bff/infra/ed25519';
import { VECTORS, vectorLists, vectorStatusLists } from '../shared/vectors';
import {
  optionsAt,
  trustList as licenceTrustList,
  vectors as licenceVectors,
} from '../helpers/licence-codes';
import { anyInput, flippedByte, mutatedText, prefixed, RUNS, valueOrRefusal } from './refusal';

const ed25519 = createNodeEd25519();
const lists = vectorLists();
const VERDICT_SET = new Set<string>(VERDICTS);
const REQUEST_PROBLEMS = new Set<string>(Object.keys(REQUEST_CODE_PROBLEMS));
const cardCases = VECTORS.verify.cases;
const validCards = cardCases.filter((c) => c.verdict === 'valid');
const cardOptions = (c: (typeof cardCases)[number]) => ({
  trustList: lists.trust,
  statusLists: vectorStatusLists(c.statusList),
  clock: { now: () => c.now },
  ed25519,
  maxStatusAgeMs: VECTORS.verify.maxStatusAgeMs,
});

/** Deterministic CBOR values as our encoder writes them (integers, text, bytes, arrays, maps). */
const cborValue: fc.Arbitrary<CborValue> = fc.letrec<{ v: CborValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.maxSafeNat(),
    fc.integer({ min: -1_000_000, max: -1 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.boolean(),
    fc.uint8Array({ maxLength: 40 }),
    fc.array(tie('v'), { maxLength: 5 }),
    fc
      .uniqueArray(fc.tuple(fc.oneof(fc.nat({ max: 1000 }), fc.string({ maxLength: 8 })), tie('v')), {
        selector: ([k]) => k,
        maxLength: 5,
      })
      .map((entries) => new Map(entries)),
  ),
})).v;

describe('encodings under fuzzing', () => {
  it('when any bytes are CBOR-decoded, then a value or CborShapeError; a value re-encodes to the same bytes', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 80 }),
      cborValue.map((v) => cborEncode(v)).chain((b) => (b.length > 0 ? flippedByte(b) : fc.constant(b))),
      // Deep nesting: an array head repeated (0x81 is "array of one").
      fc.nat({ max: 5000 }).map((n) => new Uint8Array(n).fill(0x81)),
    );
    fc.assert(
      fc.property(bytes, (b) => {
        const v = valueOrRefusal(() => cborDecode(b), CborShapeError);
        // Strict decoding of deterministic CBOR: what it accepts has exactly one encoding.
        return v instanceof Error || bytesEqual(cborEncode(v), b);
      }),
      { numRuns: RUNS },
    );
  });

  it('when a CBOR value is encoded and decoded, then it is the same value', () => {
    fc.assert(
      fc.property(cborValue, (v) => {
        const back = cborDecode(cborEncode(v));
        return bytesEqual(cborEncode(back), cborEncode(v));
      }),
      { numRuns: RUNS },
    );
  });

  it('when bytes go through base45 and base64url, then they come back; foreign text is a TypeError, nothing else', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 100 }),
        fc.string({ unit: 'binary', maxLength: 60 }),
        (b, text) => {
          if (!bytesEqual(base45Decode(base45Encode(b)), b)) return false;
          if (!bytesEqual(base64urlDecode(base64urlEncode(b)), b)) return false;
          valueOrRefusal(() => base45Decode(text), TypeError);
          valueOrRefusal(() => base64urlDecode(text), TypeError);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('bright-card codes (EID1:, EID2:) under fuzzing', () => {
  it('when any text is parsed as a code, then a code or CborShapeError', () => {
    const text = fc.oneof(prefixed('EID1:', BASE45_ALPHABET), prefixed('EID2:', BASE45_ALPHABET), anyInput);
    fc.assert(
      fc.property(text, (t) => {
        valueOrRefusal(() => parseAnyCode(t as string), CborShapeError);
      }),
      { numRuns: RUNS },
    );
  });

  it('when any input reaches verifyCode, then it answers one of the verdicts and never throws', () => {
    const c = validCards[0]!;
    const text = fc.oneof(prefixed('EID1:', BASE45_ALPHABET), prefixed('EID2:', BASE45_ALPHABET), anyInput);
    fc.assert(
      fc.property(text, (t) => {
        return VERDICT_SET.has(verifyCode(t, cardOptions(c)).verdict);
      }),
      { numRuns: RUNS },
    );
  });

  it('when any character of a valid v1 or v2 code is changed, inserted or deleted, then it is not valid', () => {
    for (const c of validCards)
      expect([c.name, verifyCode(c.text, cardOptions(c)).verdict]).toEqual([c.name, 'valid']);
    fc.assert(
      fc.property(
        fc
          .constantFrom(...validCards)
          .chain((c) => fc.tuple(fc.constant(c), mutatedText(c.text, BASE45_ALPHABET))),
        ([c, changed]) => {
          // The prefix itself mutated is a different format: still never valid.
          return verifyCode(changed, cardOptions(c)).verdict !== 'valid';
        },
      ),
      { numRuns: RUNS },
    );
  });
  it('when a v1 code is built at any time with any nonce, then it parses back to its parts and the verifier checks exactly the bytes the device signed', () => {
    const credential = fromHex(VECTORS.credential.credential);
    // A recording signer instead of Ed25519 (a real signature costs most of a millisecond here): the property
    // is the encoding, and that verifyCodeSignature, which reuses the code's own bytes instead of re-encoding,
    // hands the verifier the very message that was signed.
    let signed = new Uint8Array(0);
    const recording = {
      ...ed25519,
      sign: (_key: Uint8Array, message: Uint8Array) => {
        signed = message.slice();
        return new Uint8Array(64).fill(7);
      },
      verify: (_key: Uint8Array, message: Uint8Array, signature: Uint8Array) =>
        bytesEqual(message, signed) && signature.every((b) => b === 7),
    };
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_102_444_800 }).map((s) => s * 1000),
        fc.uint8Array({ minLength: 8, maxLength: 8 }),
        (now, nonce) => {
          const text = buildCode({
            credential,
            deviceSecretKey: new Uint8Array(64),
            now,
            nonce,
            ed25519: recording,
          });
          const code = parseCode(text);
          return (
            bytesEqual(code.credential, credential) &&
            code.timestamp === now &&
            bytesEqual(code.nonce, nonce) &&
            verifyCodeSignature(code, new Uint8Array(32), recording)
          );
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('licence codes (EIDD1:, EIDA1:, EIDR1:, receipts) under fuzzing', () => {
  const cases = licenceVectors.cases;
  const docCases = cases.filter((c) => (c.kind === 'code' || c.kind === 'annotated') && c.expect === 'valid');
  const requestCase = cases.find((c) => c.kind === 'request' && c.expect === 'ok')!;
  const receiptCase = cases.find((c) => c.kind === 'receipt' && c.expect === 'ok')!;
  const optionsOf = (c: (typeof cases)[number]) => optionsAt(Number(c.now), { ed25519 });

  it('when any text reaches verifyLicenceText or parseDocumentCode, then a verdict or CborShapeError, never another throw', () => {
    const text = fc.oneof(
      prefixed('EIDD1:', BASE45_ALPHABET),
      prefixed('EIDA1:', BASE45_ALPHABET),
      prefixed('EIDA1:'),
      anyInput,
    );
    const options = optionsOf(docCases[0]!);
    fc.assert(
      fc.property(text, (t) => {
        valueOrRefusal(() => parseDocumentCode(t as string), CborShapeError);
        return VERDICT_SET.has(verifyLicenceText(t, options).verdict);
      }),
      { numRuns: RUNS },
    );
  });

  it('when any character of a valid document code or annotated copy is changed, then it is not valid', () => {
    for (const c of docCases)
      expect([c.name, verifyLicenceText(c.input, optionsOf(c)).verdict]).toEqual([c.name, 'valid']);
    fc.assert(
      fc.property(
        fc
          .constantFrom(...docCases)
          .chain((c) => fc.tuple(fc.constant(c), mutatedText(c.input, `${BASE45_ALPHABET}:`))),
        ([c, changed]) => {
          return verifyLicenceText(changed, optionsOf(c)).verdict !== 'valid';
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('when any text is opened as a request code, then ok or a typed reason; a changed valid one is never ok', () => {
    const clock = { now: () => Number(requestCase.now) };
    expect(openRequestCode(requestCase.input, licenceTrustList, ed25519, clock).ok).toBe(true);
    const text = fc.oneof(
      prefixed('EIDR1:', BASE45_ALPHABET),
      anyInput,
      mutatedText(requestCase.input, BASE45_ALPHABET),
    );
    fc.assert(
      fc.property(text, (t) => {
        const r = openRequestCode(t, licenceTrustList, ed25519, clock);
        return r.ok ? t === requestCase.input : REQUEST_PROBLEMS.has(r.reason);
      }),
      { numRuns: RUNS },
    );
  });

  it('when any bytes are verified as a document-call receipt, then ok or a typed reason; a flipped byte is never ok', () => {
    const good = fromHex(receiptCase.input);
    expect(verifyReceipt(good, licenceTrustList, ed25519).ok).toBe(true);
    fc.assert(
      fc.property(fc.oneof(flippedByte(good), fc.uint8Array({ maxLength: 200 }), anyInput), (b) => {
        const r = verifyReceipt(b, licenceTrustList, ed25519);
        return !r.ok && typeof r.reason === 'string';
      }),
      { numRuns: RUNS },
    );
  });
});
