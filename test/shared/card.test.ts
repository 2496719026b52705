import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { FIXTURES, RESIDENTS } from '@eid/mock/registry/seed';
import {
  CODE_PREFIX,
  CREDENTIAL_AAD,
  CborShapeError,
  DEVICE_PROOF_MAX_SKEW_MS,
  MAX_NAME_BYTES,
  base64urlDecode,
  buildCode,
  codeSigningInput,
  decodeCredential,
  deviceProofMessage,
  encodeCredentialPayload,
  fromHex,
  generateDeviceKeyPair,
  installRandomSource,
  issueCredential,
  maskIdNumber,
  parseCode,
  sexCodeOf,
  signDeviceProof,
  sign1Protected,
  sign1ToBeSigned,
  toHex,
  tweetnaclEd25519 as ed,
  utf8Encode,
  verifyDeviceProof,
  type CredentialClaims,
} from '@eid/shared';
import { createNodeEd25519 } from '@eid/bff/infra/ed25519';
import { VECTORS, vectorClaims } from './vectors';

const { keys, credential: credentialVector, brightCode } = VECTORS;
const issuerKeys = ed.keyPairFromSeed(fromHex(keys.issuer.seed));
const deviceKeys = ed.keyPairFromSeed(fromHex(keys.device.seed));
const signAsIssuer = (tbs: Uint8Array) => ed.sign(issuerKeys.secretKey, tbs);

/** The QR version `qrcode` picks for `text` at error-correction level M. */
const qrVersion = (text: string) => QRCode.create(text, { errorCorrectionLevel: 'M' }).version;

describe('credential format', () => {
  it('when the vector claims are encoded and signed, then every intermediate matches credential.json', () => {
    const claims = vectorClaims();
    const payload = encodeCredentialPayload(claims);
    expect(toHex(payload)).toBe(credentialVector.payload);
    expect(toHex(sign1Protected(credentialVector.kid))).toBe(credentialVector.protected);
    expect(toHex(CREDENTIAL_AAD)).toBe(credentialVector.externalAad);
    expect(toHex(sign1ToBeSigned(fromHex(credentialVector.protected), CREDENTIAL_AAD, payload))).toBe(
      credentialVector.toBeSigned,
    );
    expect(toHex(issueCredential(credentialVector.kid, claims, signAsIssuer))).toBe(
      credentialVector.credential,
    );
  });

  it('when the vector credential is decoded, then its claims are the published ones', () => {
    const decoded = decodeCredential(fromHex(credentialVector.credential));
    expect(decoded.kid).toBe(credentialVector.kid);
    expect(decoded.claims).toEqual(vectorClaims());
  });

  it('when a claim is out of its domain, then issuing refuses it', () => {
    const ok = vectorClaims();
    const bad: Partial<CredentialClaims>[] = [
      { province: '99' },
      { cardId: new Uint8Array(8) },
      { devicePublicKey: new Uint8Array(31) },
      { statusIndex: -1 },
      { expiresAt: ok.issuedAt },
    ];
    const badHolder: Partial<CredentialClaims['holder']>[] = [
      { name: '' },
      { name: ' 张三' },
      { name: '龘'.repeat(MAX_NAME_BYTES / 3 + 1) },
      { sex: 3 as 1 },
      { birthDate: '1993-13-01' },
      { idNumberMasked: '653101199301290016' },
      { portraitDigest: new Uint8Array(32) },
    ];
    for (const patch of bad) {
      expect(() => encodeCredentialPayload({ ...ok, ...patch })).toThrow(CborShapeError);
    }
    for (const patch of badHolder) {
      expect(() => encodeCredentialPayload({ ...ok, holder: { ...ok.holder, ...patch } })).toThrow(
        CborShapeError,
      );
    }
  });

  it('when the payload carries an unknown claim, then decoding refuses it', () => {
    const payload = fromHex(credentialVector.payload);
    // Raise the map length by one and append the claim 100: 0.
    const extended = Uint8Array.from([payload[0]! + 1, ...payload.subarray(1), 0x18, 100, 0x00]);
    const forged = issueCredential('x', vectorClaims(), () => new Uint8Array(64));
    const sign1 = fromHex(toHex(forged).replace(toHex(payload), toHex(extended)));
    expect(() => decodeCredential(sign1)).toThrow(CborShapeError);
  });

  it.each([
    ['M', 1],
    ['男', 1],
    ['F', 2],
    ['女', 2],
    ['?', 0],
  ])('when the registry says sex %j, then the credential code is %i', (text, code) => {
    expect(sexCodeOf(text)).toBe(code);
  });
});

describe('bright code format', () => {
  it('when device A signs the vector credential at the vector time and nonce, then the code matches bright-code.json', () => {
    const credential = fromHex(credentialVector.credential);
    const nonce = fromHex(brightCode.nonce);
    expect(toHex(codeSigningInput(credential, brightCode.now / 1000, nonce))).toBe(brightCode.signingInput);
    const text = buildCode({ credential, deviceSecretKey: deviceKeys.secretKey, now: brightCode.now, nonce });
    expect(text).toBe(brightCode.text);
    const parsed = parseCode(text);
    expect(toHex(parsed.bytes)).toBe(brightCode.cbor);
    expect(parsed.timestamp).toBe(brightCode.now);
    expect(toHex(parsed.credential)).toBe(credentialVector.credential);
  });

  it('when a code is built twice in the same second, then the nonces differ and so do the codes', () => {
    const credential = fromHex(credentialVector.credential);
    const a = buildCode({ credential, deviceSecretKey: deviceKeys.secretKey, now: brightCode.now });
    const b = buildCode({ credential, deviceSecretKey: deviceKeys.secretKey, now: brightCode.now });
    expect(a).not.toBe(b);
    expect(a.startsWith(CODE_PREFIX)).toBe(true);
  });

  it('when a platform random source is installed, then device keys and nonces come from it', () => {
    const calls: number[] = [];
    installRandomSource((n) => {
      calls.push(n);
      return globalThis.crypto.getRandomValues(new Uint8Array(n));
    });
    const pair = generateDeviceKeyPair();
    buildCode({ credential: fromHex(credentialVector.credential), deviceSecretKey: pair.secretKey, now: 0 });
    expect(calls).toEqual([32, 8]);
  });
});

describe('QR size bound (version 15 at level M)', () => {
  const credentialFor = (name: string, statusIndex: number, kid = 'dev-37-1') =>
    issueCredential(
      kid,
      { ...vectorClaims(), statusIndex, holder: { ...vectorClaims().holder, name } },
      signAsIssuer,
    );
  const codeFor = (credential: Uint8Array) =>
    buildCode({ credential, deviceSecretKey: deviceKeys.secretKey, now: Date.UTC(2099, 0, 1) });

  it('when the seeded longest name holds a card, then its code needs QR version 15 or lower', () => {
    const text = codeFor(credentialFor(FIXTURES.longestName.name, 0xffffffff));
    expect(qrVersion(text)).toBeLessThanOrEqual(15);
  });

  it("when every seeded resident holds a card, then no code is longer than the longest name's", () => {
    // Signatures are 64 bytes whatever they sign, so a stand-in signer gives the real sizes quickly.
    const sizeOnly = { ...ed, sign: () => new Uint8Array(64).fill(0xa5) };
    const lengthFor = (name: string, idNumber: string) => {
      const claims = { ...vectorClaims(), statusIndex: 0xffffffff };
      const holder = { ...claims.holder, name, idNumberMasked: maskIdNumber(idNumber) };
      const credential = issueCredential('dev-37-1', { ...claims, holder }, sizeOnly.sign);
      return buildCode({ credential, deviceSecretKey: deviceKeys.secretKey, now: 4e12, ed25519: sizeOnly })
        .length;
    };
    const longest = lengthFor(FIXTURES.longestName.name, FIXTURES.longestName.idNumber);
    expect(RESIDENTS.length).toBeGreaterThan(100);
    for (const r of RESIDENTS) expect(lengthFor(r.name, r.idNumber)).toBeLessThanOrEqual(longest);
  });

  it('when every field is at its largest, then the code still needs QR version 15 or lower', () => {
    const longest = '龘'.repeat(MAX_NAME_BYTES / 3);
    expect(utf8Encode(longest).length).toBe(MAX_NAME_BYTES);
    const text = codeFor(credentialFor(longest, 0xffffffff, 'k'.repeat(16)));
    expect(qrVersion(text)).toBe(15);
    // bright-code.md states the size of this code; the page and the encoder must agree.
    const page = readFileSync(join(__dirname, '..', '..', 'docs', 'formats', 'bright-code.md'), 'utf8');
    const documented = /at its bound[^)]*\) a code is\s+(\d+) bytes, (\d+) characters/.exec(page);
    expect(documented).not.toBeNull();
    expect(parseCode(text).bytes.length).toBe(Number(documented![1]));
    expect(text.length).toBe(Number(documented![2]));
  });
});

describe('proof of possession at issuance (device-proof.json)', () => {
  const vector = VECTORS.deviceProof;
  const node = createNodeEd25519();

  it('when device A signs the vector statement, then message and signature match, in tweetnacl and node:crypto', () => {
    const message = deviceProofMessage(vector.residentId, deviceKeys.publicKey, vector.at);
    expect(toHex(message)).toBe(vector.message);
    expect(signDeviceProof(deviceKeys, vector.residentId, vector.at, ed)).toEqual({
      at: vector.at,
      signature: vector.signature,
    });
    expect(signDeviceProof(deviceKeys, vector.residentId, vector.at, node).signature).toBe(vector.signature);
    expect(node.verify(deviceKeys.publicKey, message, base64urlDecode(vector.signature))).toBe(true);
  });

  it('when the proof is checked, then it holds only for its resident, its key and a time near its own', () => {
    const proof = { at: vector.at, signature: vector.signature };
    const otherKey = ed.keyPairFromSeed(fromHex(keys.otherDevice.seed)).publicKey;
    const check = (p = proof, resident = vector.residentId, key = deviceKeys.publicKey, now = vector.at) =>
      verifyDeviceProof(p, resident, key, now, node);
    expect(check()).toBe(true);
    expect(check(proof, vector.residentId, deviceKeys.publicKey, vector.at + DEVICE_PROOF_MAX_SKEW_MS)).toBe(
      true,
    );
    expect(
      check(proof, vector.residentId, deviceKeys.publicKey, vector.at + DEVICE_PROOF_MAX_SKEW_MS + 1),
    ).toBe(false);
    expect(
      check(proof, vector.residentId, deviceKeys.publicKey, vector.at - DEVICE_PROOF_MAX_SKEW_MS - 1),
    ).toBe(false);
    expect(check(proof, `${vector.residentId}x`)).toBe(false);
    expect(check(proof, vector.residentId, otherKey)).toBe(false);
    expect(check({ ...proof, at: vector.at + 1 }, vector.residentId, deviceKeys.publicKey, vector.at)).toBe(
      false,
    );
    expect(check({ ...proof, signature: 'not base64url!' })).toBe(false);
    expect(check({ ...proof, signature: vector.signature.slice(0, 80) })).toBe(false);
    expect(check(proof, vector.residentId, deviceKeys.publicKey.subarray(0, 31))).toBe(false);
  });
});
