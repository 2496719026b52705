import { z } from 'zod';
import {
  isStrictEd25519PublicKey,
  parseVerifierKey,
  PROVINCE_CODE_PATTERN,
  base64urlDecode,
} from '@eid/shared';
import { ConfigError, type Config } from '../config';
import { devFederationKeys } from '../infra/keystore';
import type { EnrolledProvince } from './national.types';

/** The provinces a development national enrols when NATIONAL_PROVINCES is unset, with their names. */
export const DEV_PROVINCES: Readonly<Record<string, string>> = {
  '37': '山东省',
  '42': '湖北省',
  '11': '北京市',
};

/**
 * Where a development national looks for each development province's node when neither `url` nor `port` is
 * given: http://127.0.0.1:81<code> (8137, 8142, 8111).
 */
export const devPortOf = (province: string): number => 8100 + Number(province);

const KID = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'a key id is 1-64 letters, digits, ".", "_" or "-"');
const PUBLIC_KEY = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, 'a public key is base64url of 32 bytes')
  .refine((k) => isStrictEd25519PublicKey(base64urlDecode(k)), 'not a usable Ed25519 public key');
const KEYS = z
  .array(z.object({ kid: KID, publicKey: PUBLIC_KEY }).strict())
  .min(1)
  .max(8);
const VKEY = z.string().refine((v) => {
  try {
    parseVerifierKey(v);
    return true;
  } catch {
    return false;
  }
}, 'not a C2SP verifier key');

/**
 * One entry of NATIONAL_PROVINCES. In production every field is required. Elsewhere only `province` is: the
 * name, the keys and the witness default to the province's development ones, and the URL to
 * `http://127.0.0.1:<port>` (`port` defaulting to devPortOf).
 */
const Entry = z
  .object({
    province: z.string().regex(PROVINCE_CODE_PATTERN),
    name: z.string().min(1).max(32).optional(),
    url: z.url().optional(),
    port: z.number().int().min(1).max(65535).optional(),
    nodeKeys: KEYS.optional(),
    issuerKeys: KEYS.optional(),
    witness: VKEY.optional(),
  })
  .strict();

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/** The provinces this national enrols, from NATIONAL_PROVINCES or the development defaults. */
export function enrolledProvinces(config: Config): EnrolledProvince[] {
  const production = config.NODE_ENV === 'production';
  let raw: unknown;
  if (config.NATIONAL_PROVINCES === undefined) {
    if (production) throw new ConfigError('NATIONAL_PROVINCES', 'is required in production');
    raw = Object.keys(DEV_PROVINCES).map((province) => ({ province }));
  } else {
    try {
      raw = JSON.parse(config.NATIONAL_PROVINCES);
    } catch {
      throw new ConfigError('NATIONAL_PROVINCES', 'is not JSON');
    }
  }
  const parsed = z.array(Entry).min(1).max(64).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError('NATIONAL_PROVINCES', `${issue.path.join('.')}: ${issue.message}`);
  }

  const out = parsed.data.map((entry): EnrolledProvince => {
    const { province } = entry;
    if (production) {
      const missing = (['name', 'url', 'nodeKeys', 'issuerKeys', 'witness'] as const).find(
        (f) => entry[f] === undefined,
      );
      if (missing)
        throw new ConfigError('NATIONAL_PROVINCES', `${province}: ${missing} is required in production`);
    }
    const dev = devFederationKeys(province);
    return {
      province,
      name: entry.name ?? DEV_PROVINCES[province] ?? province,
      url: (entry.url ?? `http://127.0.0.1:${entry.port ?? devPortOf(province)}`).replace(/\/+$/, ''),
      nodeKeys: entry.nodeKeys ?? [{ kid: dev.nodeKid, publicKey: b64url(dev.nodePublicKey) }],
      issuerKeys: entry.issuerKeys ?? [{ kid: dev.issuerKid, publicKey: b64url(dev.issuerPublicKey) }],
      witness: entry.witness ?? dev.witnessVerifierKey,
    };
  });

  const provinces = out.map((p) => p.province);
  if (new Set(provinces).size !== provinces.length)
    throw new ConfigError('NATIONAL_PROVINCES', 'names a province twice');
  const kids = out.flatMap((p) => [...p.nodeKeys, ...p.issuerKeys].map((k) => k.kid));
  if (new Set(kids).size !== kids.length) throw new ConfigError('NATIONAL_PROVINCES', 'repeats a key id');
  const witnesses = out.map((p) => parseVerifierKey(p.witness).name);
  if (new Set(witnesses).size !== witnesses.length)
    throw new ConfigError('NATIONAL_PROVINCES', 'gives two provinces witnesses of one name');
  if (config.NATIONAL_QUORUM > out.length)
    throw new ConfigError('NATIONAL_QUORUM', `is more than the ${out.length} enrolled witnesses`);
  return out;
}
