/** Offline verification of v1 codes: a fixed card and its codes, verified against a bare node:crypto verify. */
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import {
  buildCode,
  codeSigningInput,
  createCredentialCache,
  issueCredential,
  parseCode,
  tweetnaclEd25519,
  verifyCode,
  type CredentialClaims,
  type VerifyOptions,
} from '@eid/shared';
import { nodeSha256 } from '../../bff/src/infra/ed25519';
import type { BenchResult } from '../types';
import { scaled } from '../options';
import { SPKI_PREFIX, alternate, ed, issuerLists, rate } from './common';

const OFFLINE_ROUNDS = scaled(5, 3);
const OFFLINE_BATCH = scaled(1500, 1000);
/** Issue 21: the terminal's verify at least 0.9 of the bare Ed25519 work it cannot avoid. */
const OFFLINE_GOAL = { ratio: 0.9 };

/** A card, its codes and verifier options, all from fixed seeds. */
function offlineFixture(codeCount: number) {
  const issuer = ed.keyPairFromSeed(new Uint8Array(32).fill(1));
  const device = ed.keyPairFromSeed(new Uint8Array(32).fill(2));
  const now = Date.UTC(2026, 10, 23, 8, 0, 0);
  const claims: CredentialClaims = {
    province: '37',
    cardId: new Uint8Array(16).fill(3),
    issuedAt: now - 86_400_000,
    expiresAt: now + 29 * 86_400_000,
    devicePublicKey: device.publicKey,
    statusIndex: 4242,
    holder: {
      name: '阿卜杜热合曼·买买提明·阿卜杜克热木',
      sex: 1,
      birthDate: '1993-01-29',
      idNumberMasked: '6531**********0016',
      portraitDigest: new Uint8Array(16).fill(4),
    },
  };
  const credential = issueCredential('bench-37-1', claims, (tbs) => ed.sign(issuer.secretKey, tbs));
  const { trustList, statusLists } = issuerLists('bench-37-1', '37', issuer, now);
  const codes = Array.from({ length: codeCount }, (_, i) =>
    buildCode({ credential, deviceSecretKey: device.secretKey, now: now - (i % 50) * 1000, ed25519: ed }),
  );
  const options: VerifyOptions = {
    trustList,
    statusLists,
    clock: { now: () => now },
    ed25519: ed,
    sha256: nodeSha256,
    cache: createCredentialCache(),
    maxStatusAgeMs: 3_600_000,
  };
  return { codes, options, device, issuer, credential };
}

/** Offline verifications per second next to one bare node:crypto verify of the same bytes. */
export function measureOffline(): BenchResult[] {
  const { codes, options, device, issuer, credential } = offlineFixture(2000);
  const keyOf = (publicKey: Uint8Array) =>
    createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
  const keyObject = keyOf(device.publicKey);
  const issuerKey = keyOf(issuer.publicKey);
  // An uncached verify checks the issuer's signature over the credential too: a message of its size.
  const issuerSignature = ed.sign(issuer.secretKey, credential);
  const bare = codes.map((text) => {
    const p = parseCode(text);
    return { message: codeSigningInput(p.credential, p.timestamp / 1000, p.nonce), signature: p.signature };
  });
  const ours = (i: number) => {
    if (verifyCode(codes[i % codes.length], options).verdict !== 'valid')
      throw new Error('bench code not valid');
  };
  const reference = (i: number) => {
    const b = bare[i % bare.length]!;
    if (!nodeVerify(null, b.message, keyObject, b.signature)) throw new Error('bench signature not valid');
  };
  const uncachedOptions = { ...options, cache: undefined };
  const uncached = (i: number) => {
    if (verifyCode(codes[i % codes.length], uncachedOptions).verdict !== 'valid')
      throw new Error('bench code not valid');
  };
  const twoBare = (i: number) => {
    reference(i);
    if (!nodeVerify(null, credential, issuerKey, issuerSignature))
      throw new Error('bench issuer sig not valid');
  };
  const cached = alternate(ours, reference, {
    rounds: OFFLINE_ROUNDS,
    batch: OFFLINE_BATCH,
  });
  const noCache = alternate(uncached, twoBare, { rounds: OFFLINE_ROUNDS, batch: OFFLINE_BATCH / 2 });
  const portable = {
    ...options,
    ed25519: tweetnaclEd25519,
    sha256: undefined,
    cache: createCredentialCache(),
  };
  const tweetnacl = rate(60, (i) => verifyCode(codes[i], portable));
  const reference1 = 'bare node:crypto Ed25519 verify';
  return [
    {
      name: 'offline verify v1 (issuer sig cached)',
      reference: reference1,
      ...cached,
      goal: OFFLINE_GOAL,
    },
    {
      name: 'offline verify v1 (no cache)',
      reference: 'two bare node:crypto Ed25519 verifies',
      ...noCache,
      goal: OFFLINE_GOAL,
    },
    { name: 'offline verify v1 (tweetnacl, mini-program)', opsPerSec: tweetnacl },
  ];
}
