import { PROVINCE_CODE_PATTERN, PROVINCES, isProvinceCode } from '@eid/shared';

describe('province code rule', () => {
  it('when a code has the two-digit province shape, then it is accepted', () => {
    for (const code of ['11', '37', '65', '82', '89']) expect(isProvinceCode(code)).toBe(true);
    for (const code of Object.keys(PROVINCES)) expect(isProvinceCode(code)).toBe(true);
  });

  it('when a code is not two digits with a first digit 1-8, then it is refused', () => {
    for (const code of ['', '3', '370', '07', '90', '99', '3a', ' 37', '37\n', '３７']) {
      expect(isProvinceCode(code)).toBe(false);
      expect(PROVINCE_CODE_PATTERN.test(code)).toBe(false);
    }
  });
});
