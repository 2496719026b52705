import { residenceProvinceOf } from '@eid/bff/modules/card/card.types';

describe('card: the province of residence a credential states', () => {
  it.each([
    ['山东省济南市历下区泉城路188号', '37'],
    ['北京市朝阳区建国路77号', '11'],
    ['  上海市徐汇区天钥桥路100号', '31'],
    ['新疆维吾尔自治区喀什地区喀什市人民东路368号', '65'],
    ['内蒙古自治区呼和浩特市新城区成吉思汗大街9号', '15'],
    ['广西壮族自治区南宁市青秀区民族大道1号', '45'],
    ['香港特别行政区中西区皇后大道中1号', '81'],
  ])('when the address is %s, then the province is %s', (address, code) => {
    expect(residenceProvinceOf(address, '37')).toBe(code);
  });

  it.each([
    ['an address that names no province', '济南市历下区泉城路188号'],
    ['a short province name only', '山东济南市历下区泉城路188号'],
    ['an empty address', ''],
  ])('when it is %s, then the issuer province', (_what, address) => {
    expect(residenceProvinceOf(address, '37')).toBe('37');
  });
});
