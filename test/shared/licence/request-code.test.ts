import {
  CborShapeError,
  REQUEST_AAD,
  REQUEST_CODE_PREFIX,
  REQUEST_CODE_PROBLEMS,
  base45Encode,
  cborDecode,
  cborEncode,
  decodeRequestCode,
  encodeRequestPayload,
  fromHex,
  openRequestCode,
  requestCodeBytes,
  requestCodeDigest,
  requestOverreach,
  sign1Create,
  sign1Protected,
  signRequestCode,
  toHex,
  tweetnaclEd25519 as ed,
  type CborValue,
  type DocumentRequest,
  type RequestCodeProblem,
} from '@eid/shared';
import {
  BFF_KID,
  ED25519_PATHS,
  casesOf,
  nodeSha256,
  pairs,
  signer,
  trustList,
  vectors,
} from '../../helpers/licence-codes';

const v = vectors.request;
const request: DocumentRequest = { ...v.request, requestId: fromHex(v.request.requestId) };
const bff = signer(pairs.bff);
const at = (now: number) => ({ now: () => now });
const NOW = request.createdAt + 5_000;
const resign = (payload: Uint8Array) =>
  REQUEST_CODE_PREFIX + base45Encode(sign1Create(BFF_KID, REQUEST_AAD, payload, bff));
const payloadMap = () => cborDecode(fromHex(v.payload)) as Map<number, CborValue>;

describe('window request code', () => {
  it.each(ED25519_PATHS)(
    'when the vector request is signed by the BFF key with %s, then payload, to-be-signed and text are the vector',
    (_name, ed25519) => {
      expect(toHex(encodeRequestPayload(request))).toBe(v.payload);
      expect(toHex(sign1Protected(BFF_KID))).toBe(v.protected);
      const text = signRequestCode(BFF_KID, request, (tbs) => {
        expect(toHex(tbs)).toBe(v.toBeSigned);
        return ed25519.sign(pairs.bff.secretKey, tbs);
      });
      expect(text).toBe(v.text);
      expect(toHex(requestCodeBytes(text))).toBe(v.bytes);
    },
  );

  it('when the digest an approval names is computed, then it is base64url SHA-256 of the COSE bytes, on either hash', () => {
    expect(requestCodeDigest(v.text)).toBe(v.digest);
    expect(requestCodeDigest(v.text, nodeSha256)).toBe(v.digest);
    expect(v.digest).toHaveLength(43);
  });

  describe.each(ED25519_PATHS)('with %s', (_name, ed25519) => {
    it('when the vector code is opened, then it shows who asks (window, organisation, staff), what for and what', () => {
      const r = openRequestCode(v.text, trustList, ed25519, at(NOW));
      expect(r).toEqual({ ok: true, request, kid: BFF_KID, digest: v.digest, bytes: fromHex(v.bytes) });
      if (!r.ok) throw new Error('refused');
      expect(r.request.window).toEqual({
        id: 'win-370100-cgs-03',
        name: '3号窗口（机动车登记）',
        organisation: '济南市公安局交通警察支队车辆管理所',
      });
      expect(r.request.staff.displayName).toBe('李静');
      expect(r.request.documents.map((d) => [d.type, d.required])).toEqual([
        ['vehicle_registration', true],
        ['residence_permit', false],
      ]);
    });

    it.each(casesOf('request').map((c) => [c.name, c] as const))(
      'when the vector case "%s" is opened, then the answer is the vector',
      (_n, c) => {
        const r = openRequestCode(c.input, trustList, ed25519, at(c.now));
        expect(r.ok ? 'ok' : r.reason).toBe(c.expect);
      },
    );

    it('when any single byte of the code is changed, then it is never accepted and never called genuine but expired', () => {
      const bytes = fromHex(v.bytes);
      const seen = new Set<string>();
      for (let offset = 0; offset < bytes.length; offset++) {
        const copy = bytes.slice();
        copy[offset] = copy[offset]! ^ 0x04;
        const r = openRequestCode(REQUEST_CODE_PREFIX + base45Encode(copy), trustList, ed25519, at(NOW));
        expect(r.ok).toBe(false);
        if (!r.ok) {
          seen.add(r.reason);
          expect(REQUEST_CODE_PROBLEMS[r.reason].genuine).toBe(false);
        }
      }
      expect([...seen].sort()).toEqual(['bad_signature', 'malformed', 'unknown_signer']);
    });
  });

  it('when a request names a province other than its key, then its signer is unknown', () => {
    const text = signRequestCode(BFF_KID, { ...request, province: '11' }, bff);
    expect(openRequestCode(text, trustList, ed, at(NOW))).toMatchObject({
      ok: false,
      reason: 'unknown_signer',
    });
  });

  it('when a request was made before its key became valid, then its signer is unknown', () => {
    const before = trustList.issuers.get(BFF_KID)!.notBefore! - 60_000;
    const text = signRequestCode(BFF_KID, { ...request, createdAt: before, answerBy: before + 600_000 }, bff);
    expect(openRequestCode(text, trustList, ed, at(before + 1000))).toMatchObject({
      reason: 'unknown_signer',
    });
  });

  it('when the answer-by time arrives, then it is expired (genuine); a second before it opens', () => {
    expect(openRequestCode(v.text, trustList, ed, at(request.answerBy - 1000)).ok).toBe(true);
    expect(openRequestCode(v.text, trustList, ed, at(request.answerBy))).toMatchObject({ reason: 'expired' });
    expect(REQUEST_CODE_PROBLEMS.expired.genuine).toBe(true);
  });

  it('when a page shows a refusal, then every reason has Chinese and English and only expired is genuine', () => {
    const reasons: RequestCodeProblem[] = [
      'malformed',
      'unknown_signer',
      'bad_signature',
      'overreach',
      'expired',
    ];
    expect(Object.keys(REQUEST_CODE_PROBLEMS).sort()).toEqual([...reasons].sort());
    for (const r of reasons) {
      expect(REQUEST_CODE_PROBLEMS[r].zh).toMatch(/[\u4e00-\u9fff]/);
      expect(REQUEST_CODE_PROBLEMS[r].en).toMatch(/[a-z]/);
      expect(REQUEST_CODE_PROBLEMS[r].genuine).toBe(r === 'expired');
    }
  });

  describe('when a window asks for more than its service allows, then the BFF cannot sign it', () => {
    const vrDoc = request.documents[0]!;
    it.each([
      [
        'a field the service may not read',
        { documents: [{ ...vrDoc, fields: [...vrDoc.fields, 'address'] }] },
      ],
      [
        'a type the service does not call',
        { documents: [{ type: 'passport', fields: ['holderName'], required: false }] },
      ],
      [
        'an optional document marked required',
        { documents: [vrDoc, { ...request.documents[1]!, required: true }] },
      ],
      ['a required document marked optional', { documents: [{ ...vrDoc, required: false }] }],
      ['longer access than the service allows', { accessForMs: 2 * 86_400_000 }],
      ['a service not in the catalogue', { service: 'pet_licence' }],
    ])('%s', (_what, change) => {
      const over = { ...request, ...change } as DocumentRequest;
      expect(requestOverreach(over).length).toBeGreaterThan(0);
      expect(() => signRequestCode(BFF_KID, over, bff)).toThrow(CborShapeError);
    });
  });

  it('when the BFF key signed an overreaching payload anyway, then the code is refused as overreach, not shown', () => {
    const map = payloadMap();
    map.set(5, 'marriage_registration');
    expect(openRequestCode(resign(cborEncode(map)), trustList, ed, at(NOW))).toMatchObject({
      reason: 'overreach',
    });
  });

  describe('when the request is out of shape, then signing refuses it', () => {
    it.each([
      ['a request id of 15 bytes', { requestId: new Uint8Array(15) }],
      ['no document', { documents: [] }],
      ['the same type twice', { documents: [request.documents[0]!, request.documents[0]!] }],
      ['an answer-by time before creation', { answerBy: request.createdAt }],
      ['an answer-by time more than an hour on', { answerBy: request.createdAt + 3_600_001 }],
      ['access for under a minute', { accessForMs: 59_999 }],
      ['a staff name with a newline', { staff: { id: 's', displayName: '李\n静' } }],
      ['a window name with spaces around it', { window: { ...request.window, name: ' 3号窗口 ' } }],
      ['an empty purpose', { purpose: '' }],
    ])('%s', (_what, change) => {
      expect(() => signRequestCode(BFF_KID, { ...request, ...change } as DocumentRequest, bff)).toThrow(
        CborShapeError,
      );
    });
  });

  it('when a genuinely signed payload is not canonical (fields out of slot order, an unknown key, a two-byte head), then it is malformed', () => {
    const fieldsSwapped = payloadMap();
    const doc = new Map((fieldsSwapped.get(7) as Map<number, CborValue>[])[0]!);
    doc.set(2, [...(doc.get(2) as string[])].reverse());
    fieldsSwapped.set(7, [doc, (fieldsSwapped.get(7) as CborValue[])[1]!]);
    const unknownKey = payloadMap().set(11, 0);
    const hex = v.payload;
    // accessFor (key 10 = 0x0a) is 86400000 = 1a 05 26 5c 00; respelled as an 8-byte uint 1b 00 00 00 00 05 26 5c 00.
    expect(hex.endsWith('0a1a05265c00')).toBe(true);
    const respelled = fromHex(`${hex.slice(0, -10)}1b0000000005265c00`);
    for (const payload of [cborEncode(fieldsSwapped), cborEncode(unknownKey), respelled]) {
      expect(openRequestCode(resign(payload), trustList, ed, at(NOW))).toMatchObject({ reason: 'malformed' });
    }
  });

  it('when junk is opened, then it is malformed and nothing throws', () => {
    for (const junk of [undefined, 42, '', 'EIDR1:', 'EIDR1:A', 'EIDD1:ABC', `EIDR1:${'0'.repeat(5000)}`]) {
      expect(openRequestCode(junk, trustList, ed, at(NOW))).toEqual({ ok: false, reason: 'malformed' });
    }
    expect(() => decodeRequestCode('EIDR1:ABC')).toThrow(CborShapeError);
  });
});
