import { PROVINCES, makeUscc } from '@eid/shared';
import { devIssuerSeed, seedSigner } from './credentials';
import { LICENCE_REGIONS } from './regions';

/*
 * The issuing bodies of the stand-in licence system: per province of the registry seed, the public security
 * department for household documents (户政), its traffic police (交管), its exit-entry administration (出入境)
 * and the civil affairs department (民政, marriage registration). Names are shaped like the real bodies';
 * their unified social credit codes are visibly synthetic (`…EXAMPLE…`) with both check characters valid,
 * and their keys are DEVELOPMENT keys derived from the key id (credentials.ts).
 */

export type IssuerKind = 'hz' | 'jg' | 'crj' | 'mz';

export interface IssuingBody {
  /** `dev-37-jg-1`: "dev" says what the key is. At most 16 bytes (a document credential's kid). */
  kid: string;
  uscc: string;
  name: string;
  kind: IssuerKind;
  /** Two-digit province code. */
  province: string;
  /** Document types this body issues. */
  types: readonly string[];
  publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

const KIND_TYPES: Readonly<Record<IssuerKind, readonly string[]>> = {
  hz: ['id_card', 'household_register', 'residence_permit', 'temporary_residence_permit'],
  jg: ['driving_licence', 'vehicle_registration'],
  crj: ['passport', 'travel_permit_hk_macao', 'travel_permit_taiwan'],
  mz: ['marriage_certificate'],
};
/** The letter that tells the bodies of one province apart in their synthetic organisation code. */
const KIND_LETTER: Readonly<Record<IssuerKind, string>> = { hz: 'H', jg: 'J', crj: 'C', mz: 'M' };
const KINDS = Object.keys(KIND_TYPES) as IssuerKind[];
const MUNICIPALITIES = new Set(['11', '12', '31', '50']);

function bodyName(province: string, kind: IssuerKind): string {
  const p = PROVINCES[province]!;
  const city = MUNICIPALITIES.has(province);
  switch (kind) {
    case 'hz':
      return city ? `${p}公安局` : `${p}公安厅`;
    case 'jg':
      return city ? `${p}公安局公安交通管理局` : `${p}公安厅交通管理局`;
    case 'crj':
      return city ? `${p}公安局出入境管理局` : `${p}公安厅出入境管理局`;
    case 'mz':
      return city ? `${p}民政局` : `${p}民政厅`;
  }
}

function build(): IssuingBody[] {
  const provinces = [...new Set(LICENCE_REGIONS.map((r) => r.code.slice(0, 2)))].sort();
  return provinces.flatMap((province) =>
    KINDS.map((kind) => {
      const kid = `dev-${province}-${kind}-1`;
      const signer = seedSigner(devIssuerSeed(kid));
      return {
        kid,
        uscc: makeUscc({
          registrationAuthority: '1',
          category: '1',
          regionCode: `${province}0000`,
          organisationBody: `EXAMPLE${KIND_LETTER[kind]}`,
        }),
        name: bodyName(province, kind),
        kind,
        province,
        // The temporary residence permit is Shandong's own document.
        types: KIND_TYPES[kind].filter((t) => t !== 'temporary_residence_permit' || province === '37'),
        publicKey: signer.publicKey,
        sign: signer.sign,
      };
    }),
  );
}

let bodies: IssuingBody[] | undefined;

/** Every issuing body, by province then kind (built once: the keys are derived, not random). */
export function issuingBodies(): readonly IssuingBody[] {
  return (bodies ??= build());
}

/** The body of a province that issues `type`; throws when the seed asks for one that does not exist. */
export function issuerFor(province: string, type: string): IssuingBody {
  const body = issuingBodies().find((b) => b.province === province && b.types.includes(type));
  if (!body) throw new Error(`licence seed: no issuing body for ${type} in province ${province}`);
  return body;
}

/** The body with this key id, or undefined. */
export function issuerByKid(kid: string): IssuingBody | undefined {
  return issuingBodies().find((b) => b.kid === kid);
}
