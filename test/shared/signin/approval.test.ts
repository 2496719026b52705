import { createPrivateKey, sign } from 'node:crypto';
import fc from 'fast-check';
import {
  base64urlEncode,
  CONTROL_CODE,
  signInApprovalBytes,
  SIGNIN_APPROVAL_CONTEXT,
  SIGNIN_APPROVAL_SKEW_MS,
  tweetnaclEd25519,
  utf8Decode,
  type SignInApproval,
} from '@eid/shared';
import { createNodeEd25519 } from '@eid/bff/infra/ed25519';

const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const nodeEd = createNodeEd25519();

const approvalArb: fc.Arbitrary<SignInApproval> = fc.record({
  signin: fc.uint8Array({ minLength: 16, maxLength: 16 }).map(base64urlEncode),
  party: fc.stringMatching(/^rp_[A-Za-z0-9]{16}$/),
  level: fc.constantFrom(1 as const, 2 as const, 3 as const),
  controlCode: fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')),
  at: fc.integer({ min: 0, max: 4_102_444_800_000 }),
});
const base: SignInApproval = {
  signin: 'WsHg0rOklod4hpWks8LR4A',
  party: 'rp_7QmC2xK9pLw4Ht8N',
  level: 2,
  controlCode: '0062',
  at: 1_795_420_800_000,
};

describe('device approval bytes', () => {
  it('when any approval is encoded, then the bytes are the context, a newline and the members in sorted order', () => {
    expect(SIGNIN_APPROVAL_CONTEXT).toBe('eid-signin-approval-v1');
    fc.assert(
      fc.property(approvalArb, (a) => {
        const text = utf8Decode(signInApprovalBytes(a));
        expect(text).toBe(
          `eid-signin-approval-v1\n{"at":${a.at},"controlCode":"${a.controlCode}","level":${a.level},"party":"${a.party}","signin":"${a.signin}"}`,
        );
        expect(JSON.parse(text.slice(text.indexOf('\n') + 1))).toEqual(a);
      }),
    );
  });

  it('when the members are given in another order or with extra ones, then the bytes are the same', () => {
    const reordered = {
      at: base.at,
      level: base.level,
      signin: base.signin,
      controlCode: base.controlCode,
      party: base.party,
    };
    const extra = { ...base, passcode: '135790', reauthToken: 'x' } as SignInApproval;
    expect(signInApprovalBytes(reordered)).toEqual(signInApprovalBytes(base));
    expect(signInApprovalBytes(extra)).toEqual(signInApprovalBytes(base));
    expect(utf8Decode(signInApprovalBytes(extra))).not.toContain('135790');
  });

  it('when any one member changes, then the bytes change', () => {
    fc.assert(
      fc.property(
        approvalArb,
        approvalArb,
        fc.constantFrom('signin', 'party', 'level', 'controlCode', 'at'),
        (a, b, key) => {
          fc.pre(a[key] !== b[key]);
          expect(signInApprovalBytes({ ...a, [key]: b[key] })).not.toEqual(signInApprovalBytes(a));
        },
      ),
    );
  });

  it('when a leading-zero control code is encoded, then it stays a four-character string', () => {
    const text = utf8Decode(signInApprovalBytes(base));
    expect(text).toContain('"controlCode":"0062"');
    expect(CONTROL_CODE.test('0062')).toBe(true);
  });

  it('when a device key signs with node:crypto, then tweetnacl verifies it, and the other way round', () => {
    fc.assert(
      fc.property(approvalArb, fc.uint8Array({ minLength: 32, maxLength: 32 }), (a, seed) => {
        const pair = tweetnaclEd25519.keyPairFromSeed(seed);
        const bytes = signInApprovalBytes(a);
        const key = createPrivateKey({
          key: Buffer.concat([PKCS8_PREFIX, seed]),
          format: 'der',
          type: 'pkcs8',
        });
        const byNode = new Uint8Array(sign(null, bytes, key));
        const byNacl = tweetnaclEd25519.sign(pair.secretKey, bytes);
        // Ed25519 is deterministic: the two implementations give one signature.
        expect(byNode).toEqual(byNacl);
        expect(tweetnaclEd25519.verify(pair.publicKey, bytes, byNode)).toBe(true);
        expect(nodeEd.verify(pair.publicKey, bytes, byNacl)).toBe(true);
        const other = signInApprovalBytes({ ...a, level: a.level === 3 ? 2 : 3 });
        expect(tweetnaclEd25519.verify(pair.publicKey, other, byNode)).toBe(false);
      }),
      // tweetnacl takes tens of ms per signature; the vectors test pins one more pair.
      { numRuns: 6 },
    );
  });

  it('when the skew is read, then a device clock may be two minutes off either way', () => {
    expect(SIGNIN_APPROVAL_SKEW_MS).toBe(120_000);
  });
});
