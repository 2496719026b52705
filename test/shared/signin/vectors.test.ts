import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  acrOfLevel,
  amrOfLevel,
  base64urlDecode,
  base64urlEncode,
  controlCodeChoices,
  controlCodeOf,
  fromHex,
  levelOfAcr,
  parseSignInCode,
  passcodeProblem,
  signInApprovalBytes,
  toHex,
  tweetnaclEd25519,
  type SignInApproval,
} from '@eid/shared';
import { createNodeEd25519 } from '@eid/bff/infra/ed25519';
import keysJson from '../../../docs/formats/vectors/keys.json';
import { signInVectors } from '../../../scripts/vectors/signin';

const FILE = path.join(__dirname, '../../../docs/formats/vectors/signin.json');
const vectors: ReturnType<typeof signInVectors> = JSON.parse(readFileSync(FILE, 'utf8'));
const PAGE = readFileSync(path.join(__dirname, '../../../docs/formats/signin.md'), 'utf8');
const { approval } = vectors;
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const nodeKey = (seedHex: string) =>
  createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, Buffer.from(seedHex, 'hex')]),
    format: 'der',
    type: 'pkcs8',
  });
const publicKey = fromHex(approval.device.publicKey);
const bytes = fromHex(approval.bytesHex);

describe('signin.json', () => {
  it('when the vectors are computed again from their seeds, then they equal the published file', () => {
    expect(signInVectors()).toEqual(vectors);
  });

  it('when the page docs/formats/signin.md is read, then it prints every published value exactly', () => {
    const valid = vectors.requestCodes.find((c) => c.parsed)!;
    const values = [
      vectors.requestCode.idBytes,
      vectors.requestCode.secretBytes,
      valid.text,
      valid.parsed!.id,
      valid.parsed!.secret,
      ...vectors.controlCodes.flatMap((c) => [
        c.code,
        c.sha256,
        c.first4Bytes,
        String(c.integer),
        c.controlCode,
      ]),
      vectors.controlCodes[0]!.hashInput,
      ...vectors.controlCodeChoices.map((c) => c.choices.join(', ')),
      approval.device.seed,
      approval.device.publicKey,
      approval.device.publicKeyBase64url,
      approval.canonicalJson,
      approval.bytesHex,
      approval.bytesBase64url,
      approval.signatureHex,
      approval.signatureBase64url,
      ...vectors.levels.flatMap((l) => [l.acr, JSON.stringify(l.amr)]),
    ];
    for (const value of values)
      expect({ value, printed: PAGE.includes(value) }).toEqual({ value, printed: true });
    // The refused variants are named in running text, wrapped across lines.
    const prose = PAGE.replace(/\s+/g, ' ');
    for (const c of vectors.requestCodes.filter((r) => !r.parsed))
      expect({ note: c.note, printed: prose.includes(c.note) }).toEqual({ note: c.note, printed: true });
  });

  it('when the device key is the one of keys.json, then the vectors name the same device A', () => {
    expect(keysJson.device).toMatchObject({
      seed: approval.device.seed,
      publicKey: approval.device.publicKey,
    });
  });

  it('when the request codes are parsed, then each parses or is refused as published', () => {
    for (const c of vectors.requestCodes)
      expect({ note: c.note, parsed: parseSignInCode(c.text) ?? null }).toEqual({
        note: c.note,
        parsed: c.parsed,
      });
    expect(vectors.requestCodes.filter((c) => c.parsed).map((c) => c.note)).toEqual(['valid']);
    expect(toHex(base64urlDecode(vectors.requestCode.id))).toBe(vectors.requestCode.idBytes);
    expect(toHex(base64urlDecode(vectors.requestCode.secret))).toBe(vectors.requestCode.secretBytes);
  });

  it('when node:crypto hashes the documented input, then it gives each published control code', () => {
    for (const c of vectors.controlCodes) {
      const input = Buffer.concat([
        Buffer.from('eid-signin-control-v1'),
        Buffer.from([0]),
        Buffer.from(c.id),
        Buffer.from([0]),
        Buffer.from(c.secret),
      ]);
      expect(input.toString('hex')).toBe(c.hashInput);
      const digest = createHash('sha256').update(input).digest();
      expect(digest.toString('hex')).toBe(c.sha256);
      expect(digest.readUInt32BE(0)).toBe(c.integer);
      expect(String(digest.readUInt32BE(0) % 10000).padStart(4, '0')).toBe(c.controlCode);
      expect(controlCodeOf({ id: c.id, secret: c.secret })).toBe(c.controlCode);
      expect(parseSignInCode(c.code)).toEqual({ id: c.id, secret: c.secret });
    }
    // The series shows leading zeros, the case a hand-written formatter gets wrong.
    expect(vectors.controlCodes.map((c) => c.controlCode).filter((c) => c.startsWith('0')).length).toBe(2);
  });

  it('when the scripted random answers the published values, then the choices are as published', () => {
    for (const c of vectors.controlCodeChoices) {
      const asked: number[] = [];
      const values = [...c.values];
      const choices = controlCodeChoices(c.controlCode, (n) => {
        asked.push(n);
        return values.shift()!;
      });
      expect({ note: c.note, choices, asked }).toEqual({
        note: c.note,
        choices: c.choices,
        asked: c.calls.map((call) => call.n),
      });
      expect(new Set(c.choices).size).toBe(3);
      expect(c.choices).toContain(c.controlCode);
    }
  });

  it('when the approval bytes are rebuilt by hand from the document, then they are the published bytes', () => {
    const a = approval.approval;
    const byHand = `eid-signin-approval-v1\n{"at":${a.at},"controlCode":"${a.controlCode}","level":${a.level},"party":"${a.party}","signin":"${a.signin}"}`;
    expect(approval.bytesText).toBe(byHand);
    expect(Buffer.from(byHand, 'utf8').toString('hex')).toBe(approval.bytesHex);
    expect(Buffer.from(byHand, 'utf8').toString('base64url')).toBe(approval.bytesBase64url);
    expect(toHex(signInApprovalBytes(a as SignInApproval))).toBe(approval.bytesHex);
  });

  it('when node:crypto signs the approval bytes with the device seed, then it gives the published signature', () => {
    const signature = sign(null, bytes, nodeKey(approval.device.seed));
    expect(signature.toString('hex')).toBe(approval.signatureHex);
    expect(signature.toString('base64url')).toBe(approval.signatureBase64url);
    const spki = createPublicKey(nodeKey(approval.device.seed)).export({ format: 'der', type: 'spki' });
    expect(spki.subarray(-32).toString('hex')).toBe(approval.device.publicKey);
    expect(base64urlEncode(publicKey)).toBe(approval.device.publicKeyBase64url);
  });

  it('when tweetnacl checks the signature node:crypto made, then it verifies, and only over these bytes', () => {
    const signature = new Uint8Array(sign(null, bytes, nodeKey(approval.device.seed)));
    expect(tweetnaclEd25519.verify(publicKey, bytes, signature)).toBe(true);
    expect(tweetnaclEd25519.verify(fromHex(approval.otherDevice.publicKey), bytes, signature)).toBe(false);
    const altered = bytes.slice();
    altered[altered.length - 2]! ^= 1;
    expect(tweetnaclEd25519.verify(publicKey, altered, signature)).toBe(false);
  });

  it('when node:crypto checks the signature tweetnacl made, then it verifies (both ways agree)', () => {
    const pair = tweetnaclEd25519.keyPairFromSeed(fromHex(approval.device.seed));
    const signature = tweetnaclEd25519.sign(pair.secretKey, bytes);
    expect(toHex(signature)).toBe(approval.signatureHex);
    const spki = createPublicKey(nodeKey(approval.device.seed));
    expect(verify(null, bytes, spki, signature)).toBe(true);
    expect(createNodeEd25519().verify(publicKey, bytes, signature)).toBe(true);
  });

  it.each([
    ['tweetnacl', tweetnaclEd25519],
    ['node:crypto', createNodeEd25519()],
  ] as const)('when %s checks the refused approvals against the signature, then none verifies', (_, ed) => {
    const signature = base64urlDecode(approval.signatureBase64url);
    expect(ed.verify(publicKey, bytes, signature)).toBe(true);
    for (const r of approval.refused) {
      const verdict = ed.verify(publicKey, signInApprovalBytes(r.approval as SignInApproval), signature);
      expect({ note: r.note, verdict }).toEqual({ note: r.note, verdict: r.verifies });
      expect(r.verifies).toBe(false);
    }
    for (const l of approval.perLevel) {
      const b = signInApprovalBytes({
        ...(approval.approval as SignInApproval),
        level: l.level as 1 | 2 | 3,
      });
      expect(base64urlEncode(b)).toBe(l.bytesBase64url);
      expect(ed.verify(publicKey, b, base64urlDecode(l.signatureBase64url))).toBe(true);
    }
  });

  it('when the levels are published, then acr and amr are those of levels.ts', () => {
    for (const l of vectors.levels) {
      expect(acrOfLevel(l.level as 1 | 2 | 3)).toBe(l.acr);
      expect(amrOfLevel(l.level as 1 | 2 | 3)).toEqual(l.amr);
    }
    for (const c of vectors.acrLookups)
      expect({ acr: c.acr, level: levelOfAcr(c.acr) ?? null }).toEqual({ acr: c.acr, level: c.level });
  });

  it('when the passcode cases are checked, then each answer is the published one', () => {
    for (const c of vectors.passcodes)
      expect({ passcode: c.passcode, problem: passcodeProblem(c.passcode) ?? null }).toEqual(c);
    const problems = new Set(vectors.passcodes.map((c) => c.problem));
    expect(problems).toEqual(new Set([null, 'format', 'repeated', 'sequence']));
  });
});
