export {
  checkDigit,
  isValidIdNumber,
  makeIdNumber,
  maskIdNumber,
  parseIdNumber,
  type IdNumberInfo,
  type IdNumberOptions,
  type IdNumberParseResult,
} from './rules';
export { PROVINCES, PROVINCE_CODE_PATTERN, isProvinceCode, isValidRegionCode, provinceName } from './regions';
