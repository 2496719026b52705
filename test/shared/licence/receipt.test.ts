import {
  CborShapeError,
  RECEIPT_AAD,
  base64urlDecode,
  base64urlEncode,
  cborDecode,
  cborEncode,
  decodeReceipt,
  encodeReceiptPayload,
  fromHex,
  openTrustList,
  receiptText,
  sign1Create,
  signReceipt,
  toHex,
  tweetnaclEd25519 as ed,
  verifyReceipt,
  type CborValue,
  type DocumentCallReceipt,
} from '@eid/shared';
import trustListVector from '../../../docs/formats/vectors/trust-list.json';
import keys from '../../../docs/formats/vectors/keys.json';
import {
  BFF_KID,
  ED25519_PATHS,
  casesOf,
  pairs,
  signer,
  trustList,
  vectors,
} from '../../helpers/licence-codes';

const v = vectors.receipt;
const receipt: DocumentCallReceipt = {
  ...v.receipt,
  requestId: fromHex(v.receipt.requestId),
  requestDigest: fromHex(v.receipt.requestDigest),
  documents: v.receipt.documents.map((d) => ({ ...d, digest: fromHex(d.digest) })),
};
const bff = signer(pairs.bff);
const resign = (payload: Uint8Array) => sign1Create(BFF_KID, RECEIPT_AAD, payload, bff);

describe('document call receipt', () => {
  it.each(ED25519_PATHS)(
    'when the vector receipt is signed by the BFF key with %s, then payload, to-be-signed and bytes are the vector',
    (_name, ed25519) => {
      expect(toHex(encodeReceiptPayload(receipt))).toBe(v.payload);
      const bytes = signReceipt(BFF_KID, receipt, (tbs) => {
        expect(toHex(tbs)).toBe(v.toBeSigned);
        return ed25519.sign(pairs.bff.secretKey, tbs);
      });
      expect(toHex(bytes)).toBe(v.bytes);
    },
  );

  it('when the receipt names the request, then its digest is the approved request code digest', () => {
    expect(base64urlEncode(receipt.requestDigest)).toBe(vectors.request.digest);
    expect(receipt.documents[0]!.digest).toEqual(fromHex(vectors.documents.vehicleRegistration.digest));
  });

  describe.each(ED25519_PATHS)('with %s', (_name, ed25519) => {
    it('when only the bytes (as base64url) and the published trust list are at hand, then the receipt verifies and decodes', () => {
      // What a resident or a window has years later: the receipt as it was handed out, and the root key.
      const carried = base64urlEncode(fromHex(v.bytes));
      const trust = openTrustList(fromHex(trustListVector.bytes), fromHex(keys.root.publicKey), ed25519);
      const r = verifyReceipt(base64urlDecode(carried), trust, ed25519);
      expect(r).toEqual({ ok: true, receipt, kid: BFF_KID });
    });

    it.each(casesOf('receipt').map((c) => [c.name, c] as const))(
      'when the vector case "%s" is verified, then the answer is the vector',
      (_n, c) => {
        const r = verifyReceipt(fromHex(c.input), trustList, ed25519);
        expect(r.ok ? 'ok' : r.reason).toBe(c.expect);
      },
    );

    it('when any single byte changes, then the receipt never verifies', () => {
      const bytes = fromHex(v.bytes);
      for (let offset = 0; offset < bytes.length; offset++) {
        const copy = bytes.slice();
        copy[offset] = copy[offset]! ^ 0x01;
        expect(verifyReceipt(copy, trustList, ed25519).ok).toBe(false);
      }
    });
  });

  it('when the receipt is rendered, then the text is the vector text, Chinese first, naming window, staff, service, documents, fields and times', () => {
    const text = receiptText(receipt);
    expect(text).toBe(v.text);
    expect(
      text.startsWith('你已同意济南市公安局交通警察支队车辆管理所3号窗口（机动车登记）（工作人员：李静）'),
    ).toBe(true);
    expect(text).toContain('为办理“机动车转移登记”（办理机动车转移登记）读取以下证照：');
    expect(text).toContain(
      `1. 机动车行驶证（证照标识 ${receipt.documents[0]!.identifier}）：持证人姓名、持证人证件号码`,
    );
    expect(text).toContain('读取期限至：2026-11-24 16:02（北京时间）');
    expect(text).toContain('批准时间：2026-11-23 16:02（北京时间）');
    expect(text).toContain(
      'You agreed that 3号窗口（机动车登记）, 济南市公安局交通警察支队车辆管理所 (staff: 李静)',
    );
    expect(text.indexOf('你已同意')).toBeLessThan(text.indexOf('You agreed'));
    expect(text).not.toContain(vectors.documents.vehicleRegistration.values.holderIdNumber);
  });

  it('when an approval delivered no document, then the receipt still signs and says so', () => {
    const none = { ...receipt, documents: [] };
    const r = verifyReceipt(signReceipt(BFF_KID, none, bff), trustList, ed);
    expect(r.ok).toBe(true);
    expect(receiptText(none)).toContain('（未读取任何证照）');
  });

  it('when a genuinely signed payload is not canonical or carries more than a receipt, then it is malformed', () => {
    const map = cborDecode(fromHex(v.payload)) as Map<number, CborValue>;
    const hex = v.payload;
    // iss `37` is 01 62 33 37 right after the map head; respelled with a one-byte length 78 02.
    expect(hex.slice(2, 10)).toBe('01623337');
    const respelled = fromHex(`${hex.slice(0, 2)}0178023337${hex.slice(10)}`);
    const bad = [
      respelled,
      cborEncode(new Map(map).set(11, 'x')),
      cborEncode(new Map(map).set(9, (map.get(10) as number) + 1)),
      cborEncode(new Map(map).set(3, new Uint8Array(16))),
    ];
    for (const payload of bad)
      expect(verifyReceipt(resign(payload), trustList, ed)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('when a receipt names a document by an identifier with a wrong check character, then it cannot be signed', () => {
    const id = receipt.documents[0]!.identifier;
    const wrong = `${id.slice(0, -1)}${id.endsWith('A') ? 'B' : 'A'}`;
    expect(() =>
      signReceipt(BFF_KID, { ...receipt, documents: [{ ...receipt.documents[0]!, identifier: wrong }] }, bff),
    ).toThrow(CborShapeError);
  });

  it('when it is not bytes or not a receipt, then it is malformed and nothing throws', () => {
    for (const junk of [undefined, 'receipt', new Uint8Array(0), fromHex(vectors.binding.bytes)]) {
      expect(verifyReceipt(junk, trustList, ed).ok).toBe(false);
    }
    expect(verifyReceipt(fromHex(vectors.binding.bytes), trustList, ed)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(() => decodeReceipt(fromHex(vectors.binding.bytes))).toThrow(CborShapeError);
  });
});
