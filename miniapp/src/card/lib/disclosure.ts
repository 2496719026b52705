import {
  CODE_CLAIM_FIELDS,
  findPurpose,
  PURPOSES,
  type CardClaimValues,
  type CardField,
  type CodeClaimField,
  type Purpose,
} from '@eid/shared';
import { readStored, writeStored } from '../../lib/storage';

/**
 * The purposes that show least, first in the resident's list (the everyday checks: a bar, a local
 * service, "just that I hold an e-ID", a pharmacy), then the other age checks; the rest follow in the
 * published order.
 */
export const FIRST_PURPOSES = [
  'age_over_18',
  'residence_province',
  'holder_only',
  'pharmacy',
  'age_over_60',
  'age_over_16',
  'age_over_14',
] as const;

/**
 * The purposes a resident can make a code for, minimal ones first. The build's own list: a code is made
 * offline, and the device must know each purpose's number and claims to make it.
 */
export function disclosureChoices(): Purpose[] {
  const first = FIRST_PURPOSES.map((code) => findPurpose(code)).filter((p): p is Purpose => !!p);
  return [...first, ...PURPOSES.filter((p) => !first.includes(p))];
}

/**
 * What the card fields a staff terminal could ever be told are, for the "not shown" sentence: the
 * personal data, not the bookkeeping (validity, issuing authority) nor the other age predicates.
 */
const PERSONAL: readonly CardField[] = [
  'name',
  'sex',
  'birthDate',
  'ethnicity',
  'idNumberMasked',
  'idNumber',
  'address',
  'residenceProvince',
];

const IN_CODE: ReadonlySet<string> = new Set(CODE_CLAIM_FIELDS);

/** What a code made for one purpose tells the staff member, worked out before the code is shown. */
export interface DisclosurePlan {
  purpose: Purpose;
  /** The claims the code carries, in the purpose's order, with the values the verifier will read. */
  shown: { field: CodeClaimField; value: CardClaimValues[CodeClaimField] }[];
  /**
   * The purpose's fields a code cannot carry (address, full number, validity): the BFF adds them from its
   * record when the terminal checks online for this same purpose.
   */
  online: CardField[];
  /** Personal data the staff member does not get for this purpose. */
  hidden: CardField[];
}

/**
 * The disclosure for `purpose` from the claim values this device holds.
 *
 * @example planDisclosure(findPurpose('age_over_18')!, values) // shown [{ field: 'ageOver18', value: true }]
 */
export function planDisclosure(purpose: Purpose, values: CardClaimValues): DisclosurePlan {
  const shown = purpose.claims.map((field) => ({ field, value: values[field] }));
  const online = purpose.fields.filter((f) => !IN_CODE.has(f));
  const told = new Set<string>([...purpose.claims, ...online]);
  return { purpose, shown, online, hidden: PERSONAL.filter((f) => !told.has(f)) };
}

const LAST_KEY = 'card.disclosurePurpose';

/** The purpose the resident chose last time on this device, if it is still one this build knows. */
export function lastPurpose(): Purpose | undefined {
  return findPurpose(readStored<string>(LAST_KEY));
}

/** Remembers the resident's choice for the next time the bright page opens. */
export function rememberPurpose(code: string): void {
  writeStored(LAST_KEY, code);
}
