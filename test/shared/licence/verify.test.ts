import {
  DOCUMENT_AAD,
  buildAnnotatedPayload,
  buildDocumentCode,
  createLicenceCache,
  createMemoryReplayGuard,
  discloseDocumentFields,
  documentDigest,
  emptyStatusBits,
  encodeAnnotatedPayload,
  fromHex,
  licenceIssuerListOf,
  openLicenceIssuerList,
  openLicenceStatusList,
  parseAnnotatedPayload,
  parseDocumentCode,
  sha256,
  sign1Create,
  sign1Decode,
  signBinding,
  signDocumentCode,
  signLicenceIssuerList,
  signStatusList,
  tweetnaclEd25519 as ed,
  verifyAnnotatedPayload,
  verifyDocumentCode,
  verifyLicenceText,
  type Ed25519,
  type LicenceIssuer,
  type StatusList,
} from '@eid/shared';
import { FORGED_SIGNATURE, NEUTRAL_POINT } from '../forge';
import {
  BFF_KID,
  ED25519_PATHS,
  casesOf,
  issuerList,
  keys,
  nodeSha256,
  optionsAt,
  pairs,
  signer,
  vectorDocument,
  vectors,
  type VectorDocName,
} from '../../helpers/licence-codes';

const DAY = 86_400_000;
const T0 = vectors.codes[0]!.timestamp;
const NOW = T0 + 5_000;
const bff = signer(pairs.bff);
const licenceSigner = signer(pairs.licenceIssuer);

const bindingFor = (
  credential: Uint8Array,
  device = pairs.device,
  issuedAt = T0 - DAY,
  kid = BFF_KID,
  sign = bff,
) =>
  signBinding(
    kid,
    {
      province: '37',
      issuedAt,
      expiresAt: issuedAt + 30 * DAY,
      documentDigest: documentDigest(credential),
      devicePublicKey: device.publicKey,
    },
    sign,
  );

function codeOf(name: VectorDocName, purpose: string | undefined, now = T0, binding?: Uint8Array): string {
  const d = vectorDocument(name);
  return buildDocumentCode({
    document: d.credential,
    secrets: d.secrets,
    binding: binding ?? bindingFor(d.credential),
    ...(purpose ? { purpose } : {}),
    deviceSecretKey: pairs.device.secretKey,
    now,
  });
}

/** A status list of the vector issuing body, issued at `issuedAt`, with entry 5 set to `value`. */
function statusListAt(issuedAt: number, value = 0): StatusList {
  const bits = emptyStatusBits(64);
  bits[1] = value << 2;
  const bytes = signStatusList(
    { kid: keys.licenceIssuer.kid, issuedAt, ttlSeconds: 300, size: 64, bits },
    licenceSigner,
  );
  return openLicenceStatusList(bytes, issuerList, ed);
}

/** An Ed25519 that counts verifications. */
function counting(inner: Ed25519): Ed25519 & { calls: number } {
  const out = { ...inner, calls: 0 };
  out.verify = (...args) => {
    out.calls++;
    return inner.verify(...args);
  };
  return out;
}

describe('offline verification of licence codes', () => {
  describe.each(ED25519_PATHS)('with %s', (_name, ed25519) => {
    it.each([...casesOf('code'), ...casesOf('annotated')].map((c) => [c.name, c] as const))(
      'when the vector case "%s" is verified, then the verdict is the vector',
      (_n, c) => {
        const status = c.statusList === 'none' ? 'none' : 'fresh';
        const r = verifyLicenceText(c.input, optionsAt(c.now, { ed25519, status }));
        expect(r.verdict).toBe(c.expect);
      },
    );

    it('when an attacker signs a document with their own key under the real kid, then it is bad_signature; under their own kid, unknown_issuer', () => {
      const dl = vectorDocument('drivingLicence');
      const payload = sign1Decode(dl.credential).payload;
      for (const [kid, expected] of [
        [keys.licenceIssuer.kid, 'bad_signature'],
        [keys.rogueLicenceIssuer.kid, 'unknown_issuer'],
      ] as const) {
        const forged = sign1Create(kid, DOCUMENT_AAD, payload, signer(pairs.rogueLicenceIssuer));
        const text = signDocumentCode(
          {
            ...parseDocumentCode(codeOf('drivingLicence', 'government_services')),
            document: forged,
            binding: bindingFor(forged),
          },
          pairs.device.secretKey,
          ed,
        );
        expect(verifyDocumentCode(text, optionsAt(NOW, { ed25519 })).verdict).toBe(expected);
      }
    });

    it('when an attacker signs a binding of their own device with their own key under the BFF kid, then it is bad_signature', () => {
      const dl = vectorDocument('drivingLicence');
      const binding = bindingFor(dl.credential, pairs.otherDevice, T0 - DAY, BFF_KID, signer(pairs.rogueBff));
      const text = buildDocumentCode({
        document: dl.credential,
        secrets: dl.secrets,
        binding,
        purpose: 'government_services',
        deviceSecretKey: pairs.otherDevice.secretKey,
        now: T0,
      });
      expect(verifyDocumentCode(text, optionsAt(NOW, { ed25519 })).verdict).toBe('bad_signature');
    });

    it('when a list somehow holds a small-order issuing-body key and the signature is R = neutral point, S = 0, then it is bad_signature', () => {
      const dl = vectorDocument('drivingLicence');
      const body = issuerList.issuers.get(keys.licenceIssuer.kid)!;
      const weakList = licenceIssuerListOf([{ ...body, publicKey: NEUTRAL_POINT }], 0, T0 + DAY);
      const forged = sign1Create(
        body.kid,
        DOCUMENT_AAD,
        sign1Decode(dl.credential).payload,
        () => FORGED_SIGNATURE,
      );
      const text = signDocumentCode(
        {
          ...parseDocumentCode(codeOf('drivingLicence', 'government_services')),
          document: forged,
          binding: bindingFor(forged),
        },
        pairs.device.secretKey,
        ed,
      );
      const r = verifyDocumentCode(text, { ...optionsAt(NOW, { ed25519 }), licenceIssuers: weakList });
      expect(r.verdict).toBe('bad_signature');
    });

    it('when the issuing body key was rotated after a document was cached, then the cached document is checked again under the new key', () => {
      const cache = createLicenceCache();
      const text = codeOf('drivingLicence', 'government_services');
      expect(verifyDocumentCode(text, optionsAt(NOW, { ed25519, cache })).verdict).toBe('valid');
      const body = issuerList.issuers.get(keys.licenceIssuer.kid)!;
      const rotated = licenceIssuerListOf(
        [{ ...body, publicKey: pairs.rogueLicenceIssuer.publicKey }],
        0,
        T0 + DAY,
      );
      const r = verifyDocumentCode(text, { ...optionsAt(NOW, { ed25519, cache }), licenceIssuers: rotated });
      expect(r.verdict).toBe('bad_signature');
    });
  });

  it('when a valid document code is verified, then the answer names the document and carries only the disclosed fields', () => {
    const r = verifyDocumentCode(vectors.cases[0]!.input, optionsAt(NOW));
    const dl = vectors.documents.drivingLicence.values;
    expect(r).toMatchObject({
      verdict: 'valid',
      format: 'code',
      kid: keys.licenceIssuer.kid,
      issuer: { uscc: keys.licenceIssuer.uscc, name: '山东省济南市公安局交通警察支队' },
      docType: 'driving_licence',
      validFrom: '2020-03-16',
      validUntil: '2030-03-16',
      statusIndex: 5,
      purpose: 'government_services',
      codeTimestamp: T0,
      codeExpiresAt: T0 + 60_000,
      statusAgeMs: NOW - vectors.statusList.issuedAt,
    });
    expect(r.identifier).toMatch(/^1\.2\.156\.3005\.2\./);
    expect(r.disclosed).toEqual([
      'holderName',
      'documentNumber',
      'issuerName',
      'validFrom',
      'validUntil',
      'vehicleClass',
    ]);
    expect(r.fields).toEqual({
      holderName: dl.holderName,
      documentNumber: dl.documentNumber,
      issuerName: dl.issuerName,
      validFrom: dl.validFrom,
      validUntil: dl.validUntil,
      vehicleClass: dl.vehicleClass,
    });
    expect(JSON.stringify(r)).not.toContain(dl.address);
    expect(r.service).toBeUndefined();
  });

  it('when a code for a service is verified, then it names the service; a code with no field proves the document and shows none', () => {
    expect(verifyDocumentCode(vectors.cases[1]!.input, optionsAt(NOW))).toMatchObject({
      verdict: 'valid',
      service: 'vehicle_transfer',
      docType: 'vehicle_registration',
    });
    const none = verifyDocumentCode(vectors.cases[2]!.input, optionsAt(NOW));
    expect(none).toMatchObject({ verdict: 'valid', disclosed: [], fields: {} });
    expect(none.purpose).toBeUndefined();
  });

  it('when a disclosure was opened and cached, then a lying code of the same document is still tampered and the cached fields stay untouched', () => {
    const cache = createLicenceCache();
    const good = verifyDocumentCode(
      codeOf('drivingLicence', 'government_services'),
      optionsAt(NOW, { cache }),
    );
    good.fields!.vehicleClass = 'A1';
    expect(
      verifyDocumentCode(
        casesOf('code').find((c) => c.expect === 'tampered')!.input,
        optionsAt(NOW, { cache }),
      ).verdict,
    ).toBe('tampered');
    expect(
      verifyDocumentCode(codeOf('drivingLicence', 'government_services'), optionsAt(NOW, { cache })).fields!
        .vehicleClass,
    ).toBe('C1');
  });

  it('when a cached document comes with another binding or another disclosure, then those are checked again: a rogue binding is bad_signature, a renewed one and a second device are valid, and the first stays valid', () => {
    const cache = createLicenceCache();
    const counter = counting(ed);
    const options = () => optionsAt(NOW, { ed25519: counter, cache });
    const dl = vectorDocument('drivingLicence');
    const first = codeOf('drivingLicence', 'government_services');
    expect(verifyDocumentCode(first, options()).verdict).toBe('valid');
    const rogue = bindingFor(dl.credential, pairs.device, T0 - DAY, BFF_KID, signer(pairs.rogueBff));
    expect(
      verifyDocumentCode(codeOf('drivingLicence', 'government_services', T0, rogue), options()).verdict,
    ).toBe('bad_signature');
    counter.calls = 0;
    expect(verifyDocumentCode(first, options()).verdict).toBe('valid');
    expect(counter.calls).toBe(1);
    const renewed = bindingFor(dl.credential, pairs.device, T0 - DAY + 1000);
    expect(
      verifyDocumentCode(codeOf('drivingLicence', 'government_services', T0, renewed), options()).verdict,
    ).toBe('valid');
    const other = bindingFor(dl.credential, pairs.otherDevice);
    const otherCode = buildDocumentCode({
      document: dl.credential,
      secrets: dl.secrets,
      binding: other,
      purpose: 'government_services',
      deviceSecretKey: pairs.otherDevice.secretKey,
      now: T0,
    });
    expect(verifyDocumentCode(otherCode, options()).verdict).toBe('valid');
    expect(verifyDocumentCode(first, options()).verdict).toBe('valid');
    // The same document for another purpose and a code without fields: each disclosure opened on its own.
    expect(verifyDocumentCode(codeOf('drivingLicence', undefined), options()).disclosed).toEqual([]);
    expect(verifyDocumentCode(first, options()).disclosed).toHaveLength(6);
  });

  it('when the status list is two hours old, then the verdict is status_unknown with its age, never revoked', () => {
    const stale = statusListAt(T0 - 2 * 3_600_000, 1);
    const r = verifyDocumentCode(
      codeOf('drivingLicence', 'government_services'),
      optionsAt(NOW, { status: stale }),
    );
    expect(r).toMatchObject({ verdict: 'status_unknown', statusAgeMs: NOW - (T0 - 2 * 3_600_000) });
    const fresh = statusListAt(T0 - 60_000, 1);
    expect(
      verifyDocumentCode(codeOf('drivingLicence', 'government_services'), optionsAt(NOW, { status: fresh }))
        .verdict,
    ).toBe('revoked');
  });

  it('when there is no status list, then status_unknown has no age; the disclosed fields are still given', () => {
    const r = verifyDocumentCode(
      codeOf('drivingLicence', 'government_services'),
      optionsAt(NOW, { status: 'none' }),
    );
    expect(r.verdict).toBe('status_unknown');
    expect(r.statusAgeMs).toBeUndefined();
    expect(r.fields?.vehicleClass).toBe('C1');
  });

  it('when an offline verifier sees the same code twice, then the second time it is replayed; a fresh code is valid', () => {
    const clock = { now: () => NOW };
    const replayGuard = createMemoryReplayGuard(clock);
    const text = codeOf('drivingLicence', 'government_services');
    const first = verifyDocumentCode(text, { ...optionsAt(NOW), replayGuard });
    expect(first.verdict).toBe('valid');
    expect(first.codeDigest).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(verifyDocumentCode(text, { ...optionsAt(NOW), replayGuard }).verdict).toBe('replayed');
    expect(
      verifyDocumentCode(codeOf('drivingLicence', 'government_services'), { ...optionsAt(NOW), replayGuard })
        .verdict,
    ).toBe('valid');
  });

  it('when the binding has expired, then codes made under it are expired; before it was issued they are not yet valid', () => {
    const dl = vectorDocument('drivingLicence');
    const binding = bindingFor(dl.credential);
    const late = T0 + 29 * DAY;
    expect(
      verifyDocumentCode(codeOf('drivingLicence', 'government_services', late, binding), {
        ...optionsAt(late + 1000, { status: statusListAt(late) }),
        licenceIssuers: licenceIssuerListOf([...issuerList.issuers.values()], 0, late + DAY),
      }).verdict,
    ).toBe('expired');
    const future = bindingFor(dl.credential, pairs.device, T0 + DAY);
    expect(
      verifyDocumentCode(codeOf('drivingLicence', 'government_services', T0, future), optionsAt(NOW)).verdict,
    ).toBe('not_yet_valid');
  });

  it('when the licence-issuer list has expired, then it vouches for nobody: unknown_issuer', () => {
    const r = verifyDocumentCode(codeOf('drivingLicence', 'government_services'), {
      ...optionsAt(NOW),
      licenceIssuers: licenceIssuerListOf([...issuerList.issuers.values()], 0, NOW),
    });
    expect(r.verdict).toBe('unknown_issuer');
  });

  it('when the text is neither code, then it is malformed without a format; a broken code keeps its format', () => {
    for (const junk of [undefined, 7, '', 'hello', 'EID2:ABC']) {
      expect(verifyLicenceText(junk, optionsAt(NOW))).toEqual({ verdict: 'malformed', checkedAt: NOW });
    }
    expect(verifyLicenceText('EIDD1:%%', optionsAt(NOW))).toMatchObject({
      verdict: 'malformed',
      format: 'code',
    });
    expect(verifyLicenceText('EIDA1:%%', optionsAt(NOW))).toMatchObject({
      verdict: 'malformed',
      format: 'annotated',
    });
  });

  it('when the same document is shown again for the same purpose, then only the device signature is verified and the tree is not hashed again; hashing goes through the injected SHA-256', () => {
    const counter = counting(ed);
    let hashed = 0;
    const sha = (data: Uint8Array) => {
      hashed++;
      return nodeSha256(data);
    };
    const cache = createLicenceCache();
    const first = verifyDocumentCode(
      codeOf('drivingLicence', 'government_services'),
      optionsAt(NOW, { ed25519: counter, sha256: sha, cache }),
    );
    expect(first.verdict).toBe('valid');
    expect(counter.calls).toBe(3);
    const firstHashes = hashed;
    // Document, binding, the disclosure's bytes, and the tree: salts down to the leaves, leaves, nodes up.
    expect(firstHashes).toBeGreaterThan(20);
    hashed = 0;
    const again = verifyDocumentCode(
      codeOf('drivingLicence', 'government_services'),
      optionsAt(NOW, { ed25519: counter, sha256: sha, cache }),
    );
    expect(again.verdict).toBe('valid');
    expect(counter.calls).toBe(4);
    // Only the document's digest: the binding and the disclosure are remembered under it, by their bytes.
    expect(hashed).toBe(1);
    expect(again.fields).toEqual(first.fields);
    const text = codeOf('drivingLicence', 'government_services');
    expect(verifyDocumentCode(text, optionsAt(NOW, { sha256 }))).toEqual(
      verifyDocumentCode(text, optionsAt(NOW, { sha256: nodeSha256 })),
    );
  });

  describe('annotated copies', () => {
    const vr = vectorDocument('vehicleRegistration');
    const annotatedAt = T0 + 3 * 60_000;
    const annotation = {
      province: '37',
      requestId: fromHex(vectors.annotated.annotation.claims.requestId),
      service: 'vehicle_transfer',
      purpose: '办理机动车转移登记',
      windowName: '3号窗口（机动车登记）',
      organisation: '济南市公安局交通警察支队车辆管理所',
      accessUntil: annotatedAt + DAY,
      annotatedAt,
    };
    const copy = (fields = vr.type.visibility.vehicle_transfer!) =>
      buildAnnotatedPayload({
        document: vr.credential,
        secrets: vr.secrets,
        fields,
        annotation,
        kid: BFF_KID,
        sign: bff,
      });

    it('when a valid copy is verified, then it gives the annotation and exactly the printed fields', () => {
      const r = verifyAnnotatedPayload(copy(), optionsAt(annotatedAt + 60_000));
      expect(r).toMatchObject({ verdict: 'valid', format: 'annotated', docType: 'vehicle_registration' });
      expect(r.annotation).toMatchObject({
        kid: BFF_KID,
        windowName: annotation.windowName,
        service: 'vehicle_transfer',
      });
      expect(r.disclosed).toEqual(vr.type.visibility.vehicle_transfer);
      expect(r.fields?.plateNumber).toBe('鲁A8K2M7');
      expect(r.fields).not.toHaveProperty('address');
      expect(r.validUntil).toBeUndefined();
    });

    it('when the copy is read ten years later with the lists of that day, then it is still valid (long-term document) and the access limit is past but not judged', () => {
      const later = T0 + 3650 * DAY;
      const bodies: LicenceIssuer[] = [...issuerList.issuers.values()];
      const list = signLicenceIssuerList(
        { sequence: 90, issuedAt: later - DAY, expiresAt: later + 7 * DAY, issuers: bodies },
        'root',
        signer(pairs.root),
      );
      const licenceIssuers = openLicenceIssuerList(list, pairs.root.publicKey, ed, { now: later });
      const r = verifyAnnotatedPayload(copy(), {
        ...optionsAt(later, { status: statusListAt(later - 60_000) }),
        licenceIssuers,
      });
      expect(r.verdict).toBe('valid');
      expect(r.annotation!.accessUntil).toBeLessThan(later);
    });

    it('when a field is added to or changed in the printed disclosure, then the copy is tampered', () => {
      const parts = parseAnnotatedPayload(copy());
      const more = discloseDocumentFields(vr.type, vr.secrets, [
        ...vr.type.visibility.vehicle_transfer!,
        'address',
      ]);
      const added = encodeAnnotatedPayload({ ...parts, disclosure: more });
      const changed = encodeAnnotatedPayload({
        ...parts,
        disclosure: {
          ...parts.disclosure,
          values: new Map(parts.disclosure.values).set(
            vr.type.fields.findIndex((f) => f.key === 'plateNumber'),
            '鲁A00000',
          ),
        },
      });
      for (const text of [added, changed])
        expect(verifyAnnotatedPayload(text, optionsAt(annotatedAt + 60_000)).verdict).toBe('tampered');
    });

    it('when the annotation is signed by a key outside the trust list, then the copy is unknown_issuer', () => {
      const text = buildAnnotatedPayload({
        document: vr.credential,
        secrets: vr.secrets,
        fields: vr.type.visibility.vehicle_transfer!,
        annotation,
        kid: 'vec-37-9',
        sign: signer(pairs.rogueBff),
      });
      expect(verifyAnnotatedPayload(text, optionsAt(annotatedAt + 60_000)).verdict).toBe('unknown_issuer');
    });

    it('when a document code is given to the copy verifier, or a copy to the code verifier, then it is malformed', () => {
      expect(verifyAnnotatedPayload(vectors.cases[0]!.input, optionsAt(NOW)).verdict).toBe('malformed');
      expect(verifyDocumentCode(copy(), optionsAt(NOW)).verdict).toBe('malformed');
    });
  });
});
