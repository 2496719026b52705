import {
  ID_CARD_CLAIMS,
  agePredicates,
  discloseFields,
  type CardClaimName,
  type CardClaimValues,
  type CardField,
  type Purpose,
  type VerifyAnswer,
  type VerifyResult,
} from '@eid/shared';
import { faceView, residenceProvinceOf } from '../card/card.types';
import type { IdentityFace } from '../enrollment/enrollment.types';

type CardAnswer = NonNullable<VerifyAnswer['card']>;
type ClaimValue = CardClaimValues[CardClaimName] | undefined;

const CODE_CLAIMS: ReadonlySet<string> = new Set(ID_CARD_CLAIMS.filter((c) => c !== null));
// As the registry writes sex and as v1 answers (and the offline terminal) show it; other codes as digits.
const SEX_TEXT: Readonly<Record<number, string>> = { 0: '0', 1: 'M', 2: 'F', 9: '9' };

/** A claim as the answer carries it: the predicates as booleans, sex as the registry's letter, the rest text. */
function wireValue(value: ClaimValue): string | boolean | undefined {
  if (typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return SEX_TEXT[value];
  // The portrait digest is no card field: no purpose lists it, so it never reaches here.
  return undefined;
}

/**
 * The BFF's record of the holder as an answer names it: the face with the ID number, and for a v1
 * code (which carries no predicates) the age predicates at the check and the province of residence.
 */
function recordView(face: IdentityFace, issuerProvince: string, at: number): CardAnswer {
  const { nextChangeAt: _next, ...ages } = agePredicates(face.birthDate, at);
  return {
    ...faceView(face),
    idNumber: face.idNumber,
    ...ages,
    residenceProvince: residenceProvinceOf(face.address, issuerProvince),
  };
}

/**
 * What a valid code shows the staff member checking it for `purpose`; never more.
 *
 * A v2 code: the claims it disclosed that the purpose allows, exactly as the device signed them, and,
 * only when the code was made for this same purpose, the purpose's fields no code can carry (address,
 * full ID number, issuing authority, validity) from the BFF's record. A v1 code carries the whole
 * credential, so the BFF answers the purpose's fields from its record, as it always did.
 *
 * @example disclosedCard(overEighteenOnly, findPurpose('age_over_18')!, face) // { ageOver18: true }
 */
export function disclosedCard(result: VerifyResult, purpose: Purpose, face: IdentityFace): CardAnswer {
  const record = recordView(face, result.province!, result.checkedAt);
  if (result.format !== 2) return discloseFields(record, purpose);
  const claims: Partial<CardClaimValues> = result.claims ?? {};
  const disclosed = new Set<string>(result.disclosed ?? []);
  const samePurpose = result.purpose === purpose.code;
  const card: CardAnswer = {};
  for (const field of purpose.fields) {
    const value = CODE_CLAIMS.has(field)
      ? disclosed.has(field)
        ? wireValue(claims[field as CardClaimName])
        : undefined
      : samePurpose
        ? record[field]
        : undefined;
    if (value !== undefined) card[field as CardField] = value;
  }
  return card;
}

/**
 * The BFF's record of the holder, only `fields` (those it has): what a relying party sees under a consent
 * or a legal duty, which do not depend on what the code itself disclosed.
 * @example recordFields(result, face, ['name', 'idNumberMasked']) // { name: '…', idNumberMasked: '…' }
 */
export function recordFields(
  result: VerifyResult,
  face: IdentityFace,
  fields: readonly CardField[],
): CardAnswer {
  const record = recordView(face, result.province!, result.checkedAt);
  const card: CardAnswer = {};
  for (const field of fields) if (record[field] !== undefined) card[field] = record[field];
  return card;
}
