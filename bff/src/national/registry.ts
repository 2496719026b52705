import {
  NOTE_SIGNATURE_TYPE_COSIGNATURE_V1,
  formatNoteKeyId,
  formatVerifierKey,
  parseVerifierKey,
  witnessKeysOfList,
  type FederationKey,
  type NationalTrustList,
  type ProvinceNode,
} from '@eid/shared';
import type { NationalRepository } from './national.repository';
import type { EnrolledProvince, RegistryKey } from './national.types';

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/** A key id for an enrolled witness key: its note name and key ID, as the list's kid pattern allows. */
function witnessKid(name: string, keyId: number): string {
  return `${name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 55)}-${formatNoteKeyId(keyId)}`;
}

/**
 * The registry entries of the provinces enrolled out of band, recorded at `at`. Their notBefore is 0: these
 * keys were in use before the federation began, and cards they signed earlier must verify everywhere.
 */
export function enrolmentKeys(provinces: readonly EnrolledProvince[], at: number): RegistryKey[] {
  const entry = (
    province: string,
    use: FederationKey['use'],
    kid: string,
    publicKey: string,
    noteName?: string,
  ): RegistryKey => ({
    kid,
    province,
    use,
    publicKey,
    notBefore: 0,
    status: 'active',
    history: [{ at, status: 'active', reason: 'enrolled out of band (NATIONAL_PROVINCES)' }],
    source: 'enrolment',
    ...(noteName !== undefined && { noteName }),
  });
  return provinces.flatMap((p) => {
    const witness = parseVerifierKey(p.witness);
    return [
      ...p.nodeKeys.map((k) => entry(p.province, 'node', k.kid, k.publicKey)),
      ...p.issuerKeys.map((k) => entry(p.province, 'issuer', k.kid, k.publicKey)),
      entry(
        p.province,
        'witness',
        witnessKid(witness.name, witness.keyId),
        b64url(witness.publicKey),
        witness.name,
      ),
    ];
  });
}

/**
 * Enrols the configured provinces' keys that the registry does not hold yet. A key already registered keeps
 * its status and history: a restart never revives a retired or compromised key.
 */
export async function bootstrapRegistry(
  repo: NationalRepository,
  provinces: readonly EnrolledProvince[],
  now: number,
): Promise<number> {
  return repo.enrol(enrolmentKeys(provinces, now));
}

/** The list entry of a registry key: the published fields only. */
export function listedKey(key: RegistryKey): FederationKey {
  const out: FederationKey = {
    kid: key.kid,
    province: key.province,
    use: key.use,
    publicKey: key.publicKey,
    notBefore: key.notBefore,
    status: key.status,
    history: key.history.map((h) => ({
      at: h.at,
      status: h.status,
      ...(h.reason !== undefined && { reason: h.reason }),
    })),
  };
  if (key.notAfter !== undefined) out.notAfter = key.notAfter;
  return out;
}

/**
 * The list of every enrolled province and every key of theirs ever registered (compromised ones too,
 * marked). A province no longer enrolled has no node in the list, so its keys stay in the registry only.
 */
export function buildList(input: {
  sequence: number;
  issuedAt: number;
  expiresAt: number;
  provinces: readonly EnrolledProvince[];
  keys: readonly RegistryKey[];
}): NationalTrustList {
  const provinces: ProvinceNode[] = input.provinces.map((p) => ({
    province: p.province,
    name: p.name,
    url: p.url,
  }));
  const enrolled = new Set(provinces.map((p) => p.province));
  const keys = input.keys
    .filter((k) => enrolled.has(k.province))
    .sort((a, b) => (a.province === b.province ? (a.kid < b.kid ? -1 : 1) : a.province < b.province ? -1 : 1))
    .map(listedKey);
  return {
    v: 2,
    sequence: input.sequence,
    issuedAt: input.issuedAt,
    expiresAt: input.expiresAt,
    provinces,
    keys,
  };
}

/**
 * The verifier keys whose cosignatures count for `province`: its witness keys usable now in the list being
 * published (witnessKeysOfList), each under its C2SP key name (the enrolled one, else `witness-<province>`).
 */
export function witnessVerifierKeys(
  list: NationalTrustList,
  registry: readonly RegistryKey[],
  province: string,
  at: number,
): string[] {
  const names = new Map(registry.map((k) => [k.kid, k.noteName]));
  return witnessKeysOfList(list, province, at).map((k) =>
    formatVerifierKey(
      names.get(k.kid) ?? `witness-${province}`,
      NOTE_SIGNATURE_TYPE_COSIGNATURE_V1,
      k.publicKey,
    ),
  );
}
