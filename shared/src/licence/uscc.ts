import { AppError } from '../errors';
import { PROVINCES } from '../id-number';

/**
 * The unified social credit code (统一社会信用代码) of legal entities and other organisations, GB 32100-2015
 * (with its 2016 amendment). Format page: docs/formats/licence-identifier.md.
 *
 * ```
 *  9 | 1 | 1 1 0 0 0 0 | 6 0 0 0 3 7 3 4 1 | L
 *  A | C | region (6)  | organisation code | check
 * ```
 */

/** The 31 characters of a USCC, in value order: digits, then A-Z without I, O, Z, S, V. */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

// GB 32100 §4.5 (after GB/T 17710): weight of position i is 3^(i-1) mod 31, and the check character makes the
// weighted sum of all 18 values (the check's weight being 1) a multiple of 31.
const USCC_WEIGHTS: readonly number[] = Array.from({ length: 17 }, (_, i) => {
  let w = 1;
  for (let k = 0; k < i; k++) w = (w * 3) % 31;
  return w;
});

// GB 11714-1997: weights 2^(9-i) mod 11 over the 8-character body; letters count 10-35 in full A-Z order, not
// their USCC values (J is 19 here, 18 in the USCC sum).
const ORGANISATION_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];
const CENTRAL_REGION_PREFIX = '10';

/** Why a text is not a unified social credit code. */
export type UsccReason = 'format' | 'region' | 'organisation_code' | 'check_character';

/** The parts of a valid USCC. */
export interface UsccParts {
  uscc: string;
  /** Position 1, 登记管理部门代码: `9` market regulation, `1` establishment offices, `5` civil affairs, ... */
  registrationAuthority: string;
  /** Position 2, 机构类别代码, within the authority: `91` is an enterprise, `92` a sole trader. */
  category: string;
  /** Positions 3-8, 登记管理机关行政区划码: the registering office's GB/T 2260 division, `100000` for central bodies. */
  regionCode: string;
  /** Positions 9-17, 主体标识码: the GB 11714 organisation code, its last character being its own check. */
  organisationCode: string;
  /** Position 18, the GB 32100 check character. */
  checkCharacter: string;
}

export type UsccParseResult =
  { ok: true; value: UsccParts } | { ok: false; reason: UsccReason; message: string };

/** What `makeUscc` builds a code from: everything but the two check characters. */
export interface UsccInput {
  registrationAuthority: string;
  category: string;
  regionCode: string;
  /** The first 8 characters of the organisation code (本体代码); its check character is computed. */
  organisationBody: string;
}

interface AuthorityEntry {
  zh: string;
  en: string;
  categories: Readonly<Record<string, string>>;
}

/**
 * The registration authorities the national code-assignment office has published, with their categories
 * (informative: `parseUscc` does not refuse an authority missing here, since new ones are assigned by notice).
 */
export const USCC_REGISTRATION_AUTHORITIES: Readonly<Record<string, AuthorityEntry>> = {
  '1': {
    zh: '机构编制',
    en: 'establishment offices',
    categories: { '1': '机关', '2': '事业单位', '3': '中央编办直接管理机构编制的群众团体', '9': '其他' },
  },
  '2': { zh: '外交', en: 'foreign affairs', categories: { '1': '外国常驻新闻机构', '9': '其他' } },
  '3': {
    zh: '司法行政',
    en: 'justice',
    categories: {
      '1': '律师执业机构',
      '2': '公证处',
      '3': '基层法律服务所',
      '4': '司法鉴定机构',
      '5': '仲裁委员会',
      '9': '其他',
    },
  },
  '4': { zh: '文化', en: 'culture', categories: { '1': '外国在华文化中心', '9': '其他' } },
  '5': {
    zh: '民政',
    en: 'civil affairs',
    categories: { '1': '社会团体', '2': '民办非企业单位', '3': '基金会', '9': '其他' },
  },
  '6': {
    zh: '旅游',
    en: 'tourism',
    categories: {
      '1': '外国旅游部门常驻代表机构',
      '2': '港澳台地区旅游部门常驻内地（大陆）代表机构',
      '9': '其他',
    },
  },
  '7': {
    zh: '宗教',
    en: 'religious affairs',
    categories: { '1': '宗教活动场所', '2': '宗教院校', '9': '其他' },
  },
  '8': { zh: '工会', en: 'trade unions', categories: { '1': '基层工会', '9': '其他' } },
  '9': {
    zh: '工商',
    en: 'market regulation',
    categories: { '1': '企业', '2': '个体工商户', '3': '农民专业合作社' },
  },
  A: {
    zh: '中央军委改革和编制办公室',
    en: 'military establishment office',
    categories: { '1': '军队事业单位', '9': '其他' },
  },
  N: {
    zh: '农业',
    en: 'agriculture',
    categories: { '1': '组级集体经济组织', '2': '村级集体经济组织', '3': '乡镇级集体经济组织', '9': '其他' },
  },
  Y: { zh: '其他', en: 'other', categories: { '1': '其他' } },
};

const USCC_PATTERN = new RegExp(`^[${USCC_ALPHABET}]{18}$`);
const FIRST17_PATTERN = new RegExp(`^[${USCC_ALPHABET}]{17}$`);
const BODY_PATTERN = new RegExp(`^[${USCC_ALPHABET}]{8}$`);
const ONE_CHAR_PATTERN = new RegExp(`^[${USCC_ALPHABET}]$`);
const USCC_VALUES = new Map([...USCC_ALPHABET].map((c, i) => [c, i]));

/** A character's GB 11714 value: digits 0-9, letters A-Z 10-35. */
const organisationValue = (c: string): number => {
  const code = c.charCodeAt(0);
  return code <= 57 ? code - 48 : code - 55;
};

/**
 * The GB 11714 check character of an 8-character organisation code body: `0`-`9` or `X`.
 *
 * @example organisationCodeCheckCharacter('60003734') // '1'
 */
export function organisationCodeCheckCharacter(body: string): string {
  if (!/^[0-9A-Z]{8}$/.test(body)) {
    throw new AppError('USCC_INVALID', 'an organisation code body is 8 digits or upper-case letters', {
      reason: 'format',
    });
  }
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += organisationValue(body[i]!) * ORGANISATION_WEIGHTS[i]!;
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/**
 * The GB 32100 check character of the first 17 characters of a USCC.
 *
 * @example usccCheckCharacter('91110000600037341') // 'L'
 */
export function usccCheckCharacter(first17: string): string {
  if (!FIRST17_PATTERN.test(first17)) {
    throw new AppError('USCC_INVALID', 'usccCheckCharacter needs 17 characters of the USCC alphabet', {
      reason: 'format',
    });
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_VALUES.get(first17[i]!)! * USCC_WEIGHTS[i]!;
  return USCC_ALPHABET[(31 - (sum % 31)) % 31]!;
}

const fail = (reason: UsccReason, message: string): UsccParseResult => ({ ok: false, reason, message });

const knownRegionPrefix = (region: string): boolean =>
  region.startsWith(CENTRAL_REGION_PREFIX) ||
  Object.prototype.hasOwnProperty.call(PROVINCES, region.slice(0, 2));

/**
 * Checks a unified social credit code and splits it into its parts. Never throws; checks run in the order
 * format, region, organisation code check, GB 32100 check, and the first failure is the reason. Nothing is
 * trimmed or upper-cased: that is the caller's choice.
 *
 * @example parseUscc('91110000600037341L') // { ok: true, value: { registrationAuthority: '9', category: '1', regionCode: '110000', ... } }
 */
export function parseUscc(text: unknown): UsccParseResult {
  if (typeof text !== 'string') return fail('format', 'a USCC must be a string');
  if (!USCC_PATTERN.test(text)) {
    return fail('format', 'a USCC is 18 digits or upper-case letters other than I, O, Z, S, V');
  }
  const regionCode = text.slice(2, 8);
  if (!/^[0-9]{6}$/.test(regionCode) || !knownRegionPrefix(regionCode)) {
    return fail('region', 'positions 3-8 are not a division code (a province, or 10 for central bodies)');
  }
  const organisationCode = text.slice(8, 17);
  if (organisationCodeCheckCharacter(organisationCode.slice(0, 8)) !== organisationCode[8]) {
    return fail('organisation_code', 'the organisation code (positions 9-17) fails its GB 11714 check');
  }
  if (usccCheckCharacter(text.slice(0, 17)) !== text[17]) {
    return fail('check_character', 'the check character (position 18) does not match');
  }
  return {
    ok: true,
    value: {
      uscc: text,
      registrationAuthority: text[0]!,
      category: text[1]!,
      regionCode,
      organisationCode,
      checkCharacter: text[17]!,
    },
  };
}

/** True when `text` is a valid unified social credit code. */
export function isValidUscc(text: unknown): text is string {
  return parseUscc(text).ok;
}

/**
 * The parts of a valid USCC, or AppError `USCC_INVALID` with `details.reason`; for callers that refuse.
 *
 * @example const issuer = requireUscc(body.issuerCode).uscc
 */
export function requireUscc(text: unknown): UsccParts {
  const parsed = parseUscc(text);
  if (!parsed.ok) throw new AppError('USCC_INVALID', parsed.message, { reason: parsed.reason });
  return parsed.value;
}

/**
 * Builds a valid USCC from its parts, computing both check characters; for seed data and tests. Throws
 * AppError `USCC_INVALID` when a part is out of shape.
 *
 * @example makeUscc({ registrationAuthority: '9', category: '1', regionCode: '110000', organisationBody: '60003734' }) // '91110000600037341L'
 */
export function makeUscc(parts: UsccInput): string {
  const { registrationAuthority, category, regionCode, organisationBody } = parts;
  if (!ONE_CHAR_PATTERN.test(registrationAuthority) || !ONE_CHAR_PATTERN.test(category)) {
    throw new AppError('USCC_INVALID', 'authority and category are one USCC character each', {
      reason: 'format',
    });
  }
  if (!BODY_PATTERN.test(organisationBody)) {
    throw new AppError('USCC_INVALID', 'the organisation body is 8 USCC characters', { reason: 'format' });
  }
  if (!/^[0-9]{6}$/.test(regionCode) || !knownRegionPrefix(regionCode)) {
    throw new AppError('USCC_INVALID', 'the region is a 6-digit division code', { reason: 'region' });
  }
  const first17 =
    registrationAuthority +
    category +
    regionCode +
    organisationBody +
    organisationCodeCheckCharacter(organisationBody);
  return first17 + usccCheckCharacter(first17);
}
