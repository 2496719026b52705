/*
 * Where the licence stand-in's documents come from: the registry seed's 23 counties with the names the
 * documents print (district, city, province), the plate prefix of their traffic police, and the cities
 * residents hold residence permits in. Synthetic data, shaped like the real thing.
 */

export interface LicenceRegion {
  /** GB/T 2260 code of the county, as the ID number starts. */
  code: string;
  province: string;
  /** The province as travel documents print it: `山东`, `新疆`. */
  provinceShort: string;
  /** The prefecture-level city (or the municipality). */
  city: string;
  /** The district or county-level city; empty for a city without districts (东莞). */
  district: string;
  /** Licence plate: province character and the city's letter. */
  plate: string;
  municipality: boolean;
}

const r = (
  code: string,
  province: string,
  provinceShort: string,
  city: string,
  district: string,
  plate: string,
): LicenceRegion => ({
  code,
  province,
  provinceShort,
  city,
  district,
  plate,
  municipality: province === city,
});

export const LICENCE_REGIONS: readonly LicenceRegion[] = [
  r('110101', '北京市', '北京', '北京市', '东城区', '京N'),
  r('110105', '北京市', '北京', '北京市', '朝阳区', '京Q'),
  r('310104', '上海市', '上海', '上海市', '徐汇区', '沪A'),
  r('310115', '上海市', '上海', '上海市', '浦东新区', '沪B'),
  r('370102', '山东省', '山东', '济南市', '历下区', '鲁A'),
  r('370202', '山东省', '山东', '青岛市', '市南区', '鲁B'),
  r('440106', '广东省', '广东', '广州市', '天河区', '粤A'),
  r('440305', '广东省', '广东', '深圳市', '南山区', '粤B'),
  r('441900', '广东省', '广东', '东莞市', '', '粤S'),
  r('330106', '浙江省', '浙江', '杭州市', '西湖区', '浙A'),
  r('320102', '江苏省', '江苏', '南京市', '玄武区', '苏A'),
  r('510104', '四川省', '四川', '成都市', '锦江区', '川A'),
  r('420106', '湖北省', '湖北', '武汉市', '武昌区', '鄂A'),
  r('410105', '河南省', '河南', '郑州市', '金水区', '豫A'),
  r('500103', '重庆市', '重庆', '重庆市', '渝中区', '渝A'),
  r('650102', '新疆维吾尔自治区', '新疆', '乌鲁木齐市', '天山区', '新A'),
  r('653101', '新疆维吾尔自治区', '新疆', '喀什地区', '喀什市', '新Q'),
  r('540102', '西藏自治区', '西藏', '拉萨市', '城关区', '藏A'),
  r('150102', '内蒙古自治区', '内蒙古', '呼和浩特市', '新城区', '蒙A'),
  r('222401', '吉林省', '吉林', '延边朝鲜族自治州', '延吉市', '吉H'),
  r('450103', '广西壮族自治区', '广西', '南宁市', '青秀区', '桂A'),
  r('532801', '云南省', '云南', '西双版纳傣族自治州', '景洪市', '云K'),
  r('640104', '宁夏回族自治区', '宁夏', '银川市', '兴庆区', '宁A'),
];

const BY_CODE = new Map(LICENCE_REGIONS.map((x) => [x.code, x]));

/** The region of a seeded ID number's first six digits; throws for a code the seed does not use. */
export function licenceRegion(code: string): LicenceRegion {
  const region = BY_CODE.get(code);
  if (!region) throw new Error(`licence seed: no region ${code}`);
  return region;
}

/** `济南市历下区`, `东莞市`, `喀什市` (a county-level city stands for itself), `北京市朝阳区`. */
export function placeName(region: LicenceRegion): string {
  if (region.district.endsWith('市')) return region.district;
  return region.city + region.district;
}

/** Address prefix as the registry writes it: `山东省济南市历下区`, `北京市东城区`. */
export function addressPrefix(region: LicenceRegion): string {
  return region.municipality
    ? region.city + region.district
    : region.province + region.city + region.district;
}

/** Where residents hold residence permits (居住证), with streets for their addresses and a police station each. */
export interface ResidenceCity {
  code: string;
  streets: readonly string[];
  /** 派出所 names, one per street. */
  stations: readonly string[];
  /** The county's public security bureau: the permit's printed issuer. */
  authority: string;
}

export const RESIDENCE_CITIES: readonly ResidenceCity[] = [
  {
    code: '370202',
    streets: ['香港中路', '湛山路', '中山路'],
    stations: ['八大关派出所', '湛山派出所', '中山路派出所'],
    authority: '青岛市公安局市南分局',
  },
  {
    code: '310115',
    streets: ['张杨路', '世纪大道', '川沙路'],
    stations: ['潍坊新村派出所', '陆家嘴派出所', '川沙派出所'],
    authority: '上海市公安局浦东分局',
  },
  {
    code: '440305',
    streets: ['深南大道', '科技园路', '南海大道'],
    stations: ['粤海派出所', '科技园派出所', '南头派出所'],
    authority: '深圳市公安局南山分局',
  },
  {
    code: '330106',
    streets: ['文三路', '天目山路', '曙光路'],
    stations: ['文新派出所', '古荡派出所', '北山派出所'],
    authority: '杭州市公安局西湖区分局',
  },
  {
    code: '110105',
    streets: ['建国路', '望京西路', '朝阳北路'],
    stations: ['建外派出所', '望京派出所', '六里屯派出所'],
    authority: '北京市公安局朝阳分局',
  },
];

/** The Shandong cities that issue the province's temporary residence permit (临时居住证). */
export const TEMPORARY_PERMIT_CITIES: readonly ResidenceCity[] = [
  RESIDENCE_CITIES[0]!,
  {
    code: '370102',
    streets: ['泉城路', '解放路', '历山路'],
    stations: ['泉城路派出所', '解放路派出所', '历山路派出所'],
    authority: '济南市公安局历下分局',
  },
];
