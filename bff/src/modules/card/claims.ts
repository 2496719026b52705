import { PROVINCES, agePredicates, maskIdNumber, sexCodeOf, type CardClaimValues } from '@eid/shared';
import type { IdentityFace } from '../enrollment/enrollment.types';

// Longest names first, so that no province name can be taken for the start of a longer one.
const BY_NAME = Object.entries(PROVINCES).sort(([, a], [, b]) => b.length - a.length);

/**
 * The province of residence a credential states: the province whose full name (as GB/T 2260 writes it,
 * `山东省`, `北京市`, `新疆维吾尔自治区`) starts the card's address, as every printed address does; the
 * issuer's province when the address names none (an address written without it).
 *
 * @example residenceProvinceOf('山东省济南市历下区泉城路188号', '11') // '37'
 */
export function residenceProvinceOf(address: string, issuerProvince: string): string {
  const text = address.trim();
  return BY_NAME.find(([, name]) => text.startsWith(name))?.[0] ?? issuerProvince;
}

/**
 * Every claim of a v2 ID-card credential, from the verified identity face at `now`: the age predicates
 * hold at `now`, and `nextChangeAt` is the Beijing midnight at which the first of them flips, so the
 * credential can end there and be renewed with the new value.
 */
export function claimValuesOf(
  face: IdentityFace,
  portraitDigest: Uint8Array,
  issuerProvince: string,
  now: number,
): { values: CardClaimValues; nextChangeAt?: number } {
  const { nextChangeAt, ...ages } = agePredicates(face.birthDate, now);
  const values: CardClaimValues = {
    name: face.name,
    sex: sexCodeOf(face.sex),
    birthDate: face.birthDate,
    idNumberMasked: maskIdNumber(face.idNumber),
    ethnicity: face.ethnicity,
    portraitDigest,
    residenceProvince: residenceProvinceOf(face.address, issuerProvince),
    ageOver14: ages.ageOver14,
    ageOver16: ages.ageOver16,
    ageOver18: ages.ageOver18,
    ageOver60: ages.ageOver60,
  };
  return nextChangeAt === undefined ? { values } : { values, nextChangeAt };
}
