/**
 * Province-level divisions of GB/T 2260, the first two digits of every ID number.
 *
 * Only the province is checked against a table. Prefecture and county codes change every year and an ID
 * number keeps the code of the place and year it was issued (Beijing's 1102xx counties were abolished in
 * 2015, Shandong's 3723xx prefecture in 1992), so a table of today's codes would reject real people.
 */
export const PROVINCES: Readonly<Record<string, string>> = {
  '11': '北京市',
  '12': '天津市',
  '13': '河北省',
  '14': '山西省',
  '15': '内蒙古自治区',
  '21': '辽宁省',
  '22': '吉林省',
  '23': '黑龙江省',
  '31': '上海市',
  '32': '江苏省',
  '33': '浙江省',
  '34': '安徽省',
  '35': '福建省',
  '36': '江西省',
  '37': '山东省',
  '41': '河南省',
  '42': '湖北省',
  '43': '湖南省',
  '44': '广东省',
  '45': '广西壮族自治区',
  '46': '海南省',
  '50': '重庆市',
  '51': '四川省',
  '52': '贵州省',
  '53': '云南省',
  '54': '西藏自治区',
  '61': '陕西省',
  '62': '甘肃省',
  '63': '青海省',
  '64': '宁夏回族自治区',
  '65': '新疆维吾尔自治区',
  '71': '台湾省',
  '81': '香港特别行政区',
  '82': '澳门特别行政区',
};

/**
 * The shape of a province code that names an issuing node (credentials, trust lists, the BFF's
 * configuration): two digits, the first 1-8 as in every GB/T 2260 province code. A shape, not the table
 * above, because it checks what a node or key says about itself, not a resident's ID number.
 */
export const PROVINCE_CODE_PATTERN = /^[1-8][0-9]$/;

/** True when `code` has the shape of a province code (`PROVINCE_CODE_PATTERN`), e.g. `'37'`. */
export function isProvinceCode(code: string): boolean {
  return PROVINCE_CODE_PATTERN.test(code);
}

/** Regions whose numbers use the province code alone (`810000`, `820000`) instead of a prefecture. */
const PROVINCE_ONLY = new Set(['71', '81', '82']);

/** True when `code` is a six-digit division code this module accepts as the start of an ID number. */
export function isValidRegionCode(code: string): boolean {
  if (!/^[0-9]{6}$/.test(code)) return false;
  const province = code.slice(0, 2);
  if (!Object.prototype.hasOwnProperty.call(PROVINCES, province)) return false;
  if (PROVINCE_ONLY.has(province)) return true;
  // Digits 3-4 name the prefecture; `00` is the province itself, which never issues a number. The county
  // digits may be `00`: cities without districts (东莞 441900, 中山 442000) issue under the city's code.
  return code.slice(2, 4) !== '00';
}

/** The province name (Chinese) for the first two digits of a region code, or undefined. */
export function provinceName(code: string): string | undefined {
  const province = code.slice(0, 2);
  return Object.prototype.hasOwnProperty.call(PROVINCES, province) ? PROVINCES[province] : undefined;
}
