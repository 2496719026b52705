/**
 * Offline verification of v2 codes (issue 14): the hotel check-in set and "over 18 only", the credential
 * cached as a terminal caches it, each beside a bare Ed25519 verify of the same code's device signature with
 * the same library in the same run: node:crypto (the BFF, a terminal in Node; goal >= 0.8) and tweetnacl with
 * the portable SHA-256 (the mini-program's terminal). The cached credential remembers the last disclosure it
 * opened (a returning holder's codes for one purpose repeat it); the "opened" rows make every code's
 * disclosure be opened again, hashing its tree, as the first code of a purpose for a cached credential is.
 */
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import nacl from 'tweetnacl';
import {
  agePredicates,
  buildCodeV2,
  codeV2SigningInput,
  createCredentialCache,
  findPurpose,
  issueCredentialV2,
  parseCodeV2,
  tweetnaclEd25519,
  verifyCode,
  type CardClaimName,
  type CredentialCache,
  type HolderSecrets,
  type VerifyOptions,
} from '@eid/shared';
import { nodeSha256 } from '../../bff/src/infra/ed25519';
import type { BenchResult } from '../types';
import { scaled } from '../options';
import { SPKI_PREFIX, alternate, ed, issuerLists } from './common';

const ROUNDS = scaled(5, 3);
const BATCH = scaled(1200, 800);

const KID = 'bench-65-2';
const NOW = Date.UTC(2026, 10, 23, 8, 0, 0);
/** The two disclosure sets measured, by purpose. */
export const V2_SETS = [
  { label: 'hotel set', purpose: 'hotel_check_in' },
  { label: 'over 18', purpose: 'age_over_18' },
] as const;

/** The seeded resident with the longest name (52 bytes), as a v2 credential holds them at `NOW`. */
export function benchSecrets(): HolderSecrets {
  const { nextChangeAt: _next, ...ages } = agePredicates('1993-01-29', NOW - 86_400_000);
  return {
    seed: new Uint8Array(16).fill(5),
    values: {
      name: '阿卜杜热合曼·买买提明·阿卜杜克热木',
      sex: 1,
      birthDate: '1993-01-29',
      idNumberMasked: '6531**********0016',
      ethnicity: '维吾尔',
      portraitDigest: new Uint8Array(16).fill(4),
      residenceProvince: '65',
      ...ages,
    },
  };
}

/** A v2 card from fixed seeds, its issuer's lists, and the device that makes its codes. */
export function v2Card() {
  const issuer = ed.keyPairFromSeed(new Uint8Array(32).fill(1));
  const device = ed.keyPairFromSeed(new Uint8Array(32).fill(2));
  const secrets = benchSecrets();
  const credential = issueCredentialV2(
    KID,
    {
      province: '65',
      cardId: new Uint8Array(16).fill(3),
      issuedAt: NOW - 86_400_000,
      expiresAt: NOW + 29 * 86_400_000,
      devicePublicKey: device.publicKey,
      statusIndex: 4242,
    },
    secrets,
    (tbs) => ed.sign(issuer.secretKey, tbs),
    nodeSha256,
  );
  const { trustList, statusLists } = issuerLists(KID, '65', issuer, NOW);
  return { credential, secrets, device, trustList, statusLists };
}

/** The claims a purpose's code discloses and its id. */
export function purposeClaims(code: string): { disclose: readonly CardClaimName[]; purposeId: number } {
  const purpose = findPurpose(code);
  if (!purpose) throw new Error(`no purpose ${code}`);
  return { disclose: purpose.claims, purposeId: purpose.id };
}

/**
 * A credential cache whose entries forget the disclosure they opened: each code's disclosure is opened again
 * (its tree hashed), while the issuer signature stays cached.
 */
function forgetfulCache(): CredentialCache {
  const inner = createCredentialCache();
  return {
    get: (digest) => {
      const entry = inner.get(digest);
      return entry?.format === 2 ? { ...entry, opened: undefined } : entry;
    },
    set: (digest, entry) => inner.set(digest, entry),
  };
}

/** Offline v2 verifications per second, node:crypto and tweetnacl, next to a bare verify of the same path. */
export function measureOfflineV2(): BenchResult[] {
  const card = v2Card();
  const keyObject = createPublicKey({
    key: Buffer.concat([SPKI_PREFIX, card.device.publicKey]),
    format: 'der',
    type: 'spki',
  });
  const base = {
    trustList: card.trustList,
    statusLists: card.statusLists,
    clock: { now: () => NOW },
    maxStatusAgeMs: 3_600_000,
  };
  const nodeOptions: VerifyOptions = {
    ...base,
    ed25519: ed,
    sha256: nodeSha256,
    cache: createCredentialCache(),
  };
  const naclOptions: VerifyOptions = { ...base, ed25519: tweetnaclEd25519, cache: forgetfulCache() };
  const out: BenchResult[] = [];
  for (const set of V2_SETS) {
    const codes = Array.from({ length: 2000 }, (_, i) =>
      buildCodeV2({
        credential: card.credential,
        secrets: card.secrets,
        ...purposeClaims(set.purpose),
        deviceSecretKey: card.device.secretKey,
        now: NOW - (i % 50) * 1000,
        ed25519: ed,
        sha256: nodeSha256,
      }),
    );
    const bare = codes.map((text) => {
      const p = parseCodeV2(text);
      return { message: codeV2SigningInput(p), signature: p.signature };
    });
    const verified = (options: VerifyOptions) => (i: number) => {
      const result = verifyCode(codes[i % codes.length], options);
      if (result.verdict !== 'valid' || !result.disclosed?.length) throw new Error('bench code not valid');
    };
    const nodeBare = (i: number) => {
      const b = bare[i % bare.length]!;
      if (!nodeVerify(null, b.message, keyObject, b.signature)) throw new Error('bench signature not valid');
    };
    const node = alternate(verified(nodeOptions), nodeBare, { rounds: ROUNDS, batch: BATCH });
    const opened = alternate(verified({ ...nodeOptions, cache: forgetfulCache() }), nodeBare, {
      rounds: ROUNDS,
      batch: BATCH,
    });
    const portable = alternate(
      verified(naclOptions),
      (i) => {
        const b = bare[i % bare.length]!;
        if (!nacl.sign.detached.verify(b.message, b.signature, card.device.publicKey))
          throw new Error('bench signature not valid');
      },
      { rounds: 3, batch: 8 },
    );
    out.push(
      {
        name: `offline verify v2, ${set.label} (node:crypto)`,
        reference: 'bare node:crypto Ed25519 verify',
        ...node,
        goal: { ratio: 0.9 },
      },
      {
        name: `offline verify v2, ${set.label} (node:crypto, opened)`,
        reference: 'bare node:crypto Ed25519 verify',
        ...opened,
      },
      {
        name: `offline verify v2, ${set.label} (tweetnacl, opened)`,
        reference: 'bare tweetnacl Ed25519 verify',
        ...portable,
      },
    );
  }
  return out;
}
