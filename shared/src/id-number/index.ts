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
export { PROVINCES, isValidRegionCode, provinceName } from './regions';
