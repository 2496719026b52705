import { makeIdNumber } from '@eid/shared';

/*
 * Synthetic residents of the population-registry stand-in. Every person here is invented: names come
 * from common name parts, ID numbers are made with the shared GB 11643 rules, portraits are drawn
 * shapes. The generator is deterministic (fixed seed, fixed reference date), so fixtures are stable
 * across runs and machines.
 */

/** How the face stand-in treats this person's captures. */
export type FaceProfile =
  | 'pass'
  | 'low_similarity'
  /** Liveness passes, similarity 0.76-0.795: just under the BFF's default pass mark (0.8), in its review band. */
  | 'borderline'
  | 'liveness_fail'
  | 'timeout'
  | 'error';
/** What the registry may flag about a record it still matches: a portrait too poor to compare against. */
export type RegistryFlag = 'portrait_poor_quality';
/** The registry's view of a resident's card. */
export type ResidentStatus = 'valid' | 'cancelled' | 'deceased';

export interface Resident {
  name: string;
  sex: 'M' | 'F';
  /** As printed on the card, e.g. `汉`, `维吾尔`. */
  ethnicity: string;
  /** `YYYY-MM-DD`. */
  birthDate: string;
  address: string;
  idNumber: string;
  issuingAuthority: string;
  /** `YYYY-MM-DD`. */
  validFrom: string;
  /** `YYYY-MM-DD`, or `长期` for cards without an end date. */
  validUntil: string;
  status: ResidentStatus;
  face: FaceProfile;
  /** Flags the registry answers with a match (none for almost everyone). */
  flags?: RegistryFlag[];
  /** Opaque handle for `GET /v1/portraits/:ref`. */
  portraitRef: string;
}

/** The day the seed is built around: every card but the expired fixtures is valid for a year after it. */
export const SEED_REFERENCE_DATE = '2026-11-23';
const SEED = 0x20261123;
const FILLER_COUNT = 300;

interface Region {
  code: string;
  /** Province (when not a municipality), city and district as written in an address. */
  prefix: string;
  authority: string;
  streets: string[];
  /** Ethnicities drawn for people registered here, first one most often. */
  ethnicities: string[];
}

const REGIONS: Region[] = [
  {
    code: '110101',
    prefix: '北京市东城区',
    authority: '北京市公安局东城分局',
    streets: ['东直门南大街', '和平里北街', '崇文门外大街'],
    ethnicities: ['汉', '回', '满'],
  },
  {
    code: '110105',
    prefix: '北京市朝阳区',
    authority: '北京市公安局朝阳分局',
    streets: ['建国路', '望京西路', '朝阳北路'],
    ethnicities: ['汉', '满'],
  },
  {
    code: '310104',
    prefix: '上海市徐汇区',
    authority: '上海市公安局徐汇分局',
    streets: ['漕溪北路', '天钥桥路', '龙华中路'],
    ethnicities: ['汉'],
  },
  {
    code: '310115',
    prefix: '上海市浦东新区',
    authority: '上海市公安局浦东分局',
    streets: ['张杨路', '世纪大道', '川沙路'],
    ethnicities: ['汉'],
  },
  {
    code: '370102',
    prefix: '山东省济南市历下区',
    authority: '济南市公安局历下分局',
    streets: ['泉城路', '解放路', '历山路'],
    ethnicities: ['汉', '回'],
  },
  {
    code: '370202',
    prefix: '山东省青岛市市南区',
    authority: '青岛市公安局市南分局',
    streets: ['香港中路', '中山路', '湛山路'],
    ethnicities: ['汉'],
  },
  {
    code: '440106',
    prefix: '广东省广州市天河区',
    authority: '广州市公安局天河区分局',
    streets: ['天河路', '体育西路', '中山大道'],
    ethnicities: ['汉'],
  },
  {
    code: '440305',
    prefix: '广东省深圳市南山区',
    authority: '深圳市公安局南山分局',
    streets: ['深南大道', '科技园路', '南海大道'],
    ethnicities: ['汉', '壮'],
  },
  {
    code: '441900',
    prefix: '广东省东莞市',
    authority: '东莞市公安局',
    streets: ['东城大道', '莞太路', '鸿福路'],
    ethnicities: ['汉'],
  },
  {
    code: '330106',
    prefix: '浙江省杭州市西湖区',
    authority: '杭州市公安局西湖区分局',
    streets: ['文三路', '天目山路', '曙光路'],
    ethnicities: ['汉', '畲'],
  },
  {
    code: '320102',
    prefix: '江苏省南京市玄武区',
    authority: '南京市公安局玄武分局',
    streets: ['中山路', '北京东路', '龙蟠路'],
    ethnicities: ['汉'],
  },
  {
    code: '510104',
    prefix: '四川省成都市锦江区',
    authority: '成都市公安局锦江区分局',
    streets: ['春熙路', '东大街', '锦华路'],
    ethnicities: ['汉', '彝', '藏'],
  },
  {
    code: '420106',
    prefix: '湖北省武汉市武昌区',
    authority: '武汉市公安局武昌区分局',
    streets: ['中南路', '武珞路', '和平大道'],
    ethnicities: ['汉', '土家'],
  },
  {
    code: '410105',
    prefix: '河南省郑州市金水区',
    authority: '郑州市公安局金水区分局',
    streets: ['花园路', '金水路', '经三路'],
    ethnicities: ['汉', '回'],
  },
  {
    code: '500103',
    prefix: '重庆市渝中区',
    authority: '重庆市公安局渝中区分局',
    streets: ['解放碑步行街', '中山三路', '大坪正街'],
    ethnicities: ['汉', '土家'],
  },
  {
    code: '650102',
    prefix: '新疆维吾尔自治区乌鲁木齐市天山区',
    authority: '乌鲁木齐市公安局天山区分局',
    streets: ['解放南路', '新华北路', '延安路'],
    ethnicities: ['维吾尔', '汉', '哈萨克', '回'],
  },
  {
    code: '653101',
    prefix: '新疆维吾尔自治区喀什地区喀什市',
    authority: '喀什市公安局',
    streets: ['人民东路', '解放北路', '色满路'],
    ethnicities: ['维吾尔'],
  },
  {
    code: '540102',
    prefix: '西藏自治区拉萨市城关区',
    authority: '拉萨市公安局城关分局',
    streets: ['北京中路', '江苏路', '林廓北路'],
    ethnicities: ['藏', '汉'],
  },
  {
    code: '150102',
    prefix: '内蒙古自治区呼和浩特市新城区',
    authority: '呼和浩特市公安局新城区分局',
    streets: ['新华大街', '兴安北路', '成吉思汗大街'],
    ethnicities: ['蒙古', '汉'],
  },
  {
    code: '222401',
    prefix: '吉林省延边朝鲜族自治州延吉市',
    authority: '延吉市公安局',
    streets: ['光明街', '人民路', '天池路'],
    ethnicities: ['朝鲜', '汉'],
  },
  {
    code: '450103',
    prefix: '广西壮族自治区南宁市青秀区',
    authority: '南宁市公安局青秀分局',
    streets: ['民族大道', '东葛路', '竹溪大道'],
    ethnicities: ['壮', '汉', '瑶'],
  },
  {
    code: '532801',
    prefix: '云南省西双版纳傣族自治州景洪市',
    authority: '景洪市公安局',
    streets: ['勐泐大道', '嘎兰中路', '宣慰大道'],
    ethnicities: ['傣', '汉', '哈尼'],
  },
  {
    code: '640104',
    prefix: '宁夏回族自治区银川市兴庆区',
    authority: '银川市公安局兴庆区分局',
    streets: ['解放东街', '文化西街', '北京东路'],
    ethnicities: ['回', '汉'],
  },
];

const HAN_SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤',
];
const COMPOUND_SURNAMES = ['欧阳', '司马', '上官', '诸葛', '慕容', '皇甫', '令狐', '东方'];
const HAN_GIVEN = {
  M: [...'伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林欢阳建国志文博思远子轩浩然'],
  F: [...'芳娜敏静丽艳娟霞秀英玲桂兰萍红梅琳雪婷颖倩洁璐佳怡欣悦瑶涵诗雨梦晨淑珍慧'],
};
const SURNAMES_BY_ETHNICITY: Record<string, string[]> = {
  回: [...'马丁穆哈纳沙白杨海'],
  朝鲜: [...'金朴李崔郑姜赵尹'],
  壮: [...'韦覃黄莫陆蓝农梁'],
  满: [...'关那佟赵金吴'],
  土家: [...'向田彭覃冉'],
  瑶: [...'盘赵邓李'],
  彝: [...'阿吉沙马曲'],
  畲: [...'蓝雷钟'],
  哈尼: [...'李白杨'],
};
const UYGHUR_GIVEN = {
  M: [
    '买买提明',
    '艾合买提江',
    '阿不都热依木',
    '努尔艾力',
    '吐尔洪',
    '依明江',
    '麦麦提敏',
    '热合曼',
    '阿卜杜热合曼',
    '艾尔肯',
  ],
  F: ['古丽米热', '阿依古丽', '帕提古丽', '热依拉', '祖丽胡玛尔', '迪丽娜尔', '米热古丽', '努尔古丽'],
};
const UYGHUR_FATHER = [
  '买买提明',
  '阿卜杜克热木',
  '艾合买提',
  '吐尔逊',
  '阿不都拉',
  '玉素甫',
  '司马义',
  '卡德尔',
];
const KAZAKH_GIVEN = {
  M: ['叶尔兰', '阿斯哈尔', '努尔兰', '别克', '达吾列提'],
  F: ['阿依达娜', '古丽娜尔', '阿娜尔'],
};
const KAZAKH_FATHER = ['努尔兰', '别克', '吐尔逊', '哈斯木'];
const TIBETAN_FIRST = [
  '扎西',
  '次仁',
  '格桑',
  '尼玛',
  '洛桑',
  '索朗',
  '拉巴',
  '平措',
  '丹增',
  '阿旺',
  '白玛',
];
const TIBETAN_SECOND = {
  M: ['多吉', '顿珠', '罗布', '平措', '次仁', '罗布桑', '坚参'],
  F: ['卓玛', '拉姆', '旺姆', '央宗', '曲珍', '德吉'],
};
const MONGOL_NAMES = {
  M: ['巴特尔', '额尔敦巴雅尔', '苏和巴特尔', '宝音德力格尔', '那顺', '朝鲁门', '孟和'],
  F: ['乌云其其格', '其木格', '斯琴高娃', '那仁高娃', '萨仁图雅', '额尔德尼'],
};
const DAI_NAMES = {
  M: ['岩温', '岩罕', '岩香', '岩应叫', '岩罕龙'],
  F: ['玉香', '玉罕', '玉罕叫', '玉儿', '玉波'],
};

/** mulberry32: small, fast, and the same sequence everywhere for the same seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY_MS = 24 * 3600 * 1000;
const toMs = (date: string) => Date.parse(`${date}T00:00:00Z`);
const toDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return toDate(Date.UTC(y + years, m - 1, d));
}
function ageOn(birthDate: string, date: string): number {
  const years = Number(date.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return date.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** Card term by age at issue, as the Resident Identity Card Law sets it. */
function validUntilFor(birthDate: string, validFrom: string): string {
  const age = ageOn(birthDate, validFrom);
  if (age < 16) return addYears(validFrom, 5);
  if (age <= 25) return addYears(validFrom, 10);
  if (age <= 45) return addYears(validFrom, 20);
  return '长期';
}

const taken = new Set<string>();

/** Draws an unused ID number with the right sex parity; `x` true demands an X check digit, false forbids one. */
function allocateIdNumber(
  region: string,
  birthDate: string,
  sex: 'M' | 'F',
  start: number,
  x?: boolean,
): string {
  for (let i = 0; i < 1000; i++) {
    const seq = (start + i) % 1000;
    if ((seq % 2 === 1) !== (sex === 'M')) continue;
    const id = makeIdNumber(region, birthDate, seq);
    if (taken.has(id)) continue;
    if (x !== undefined && id.endsWith('X') !== x) continue;
    taken.add(id);
    return id;
  }
  throw new Error('seed: no free sequence number');
}

function regionOf(code: string): Region {
  const region = REGIONS.find((r) => r.code === code);
  if (!region) throw new Error(`seed: unknown region ${code}`);
  return region;
}

const random = prng(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const hex = (length: number) => Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');

function nameFor(ethnicity: string, sex: 'M' | 'F'): string {
  switch (ethnicity) {
    case '维吾尔':
      return `${pick(UYGHUR_GIVEN[sex])}·${pick(UYGHUR_FATHER)}`;
    case '哈萨克':
      return `${pick(KAZAKH_GIVEN[sex])}·${pick(KAZAKH_FATHER)}`;
    case '藏':
      return pick(TIBETAN_FIRST) + pick(TIBETAN_SECOND[sex]);
    case '蒙古':
      return pick(MONGOL_NAMES[sex]);
    case '傣':
      return pick(DAI_NAMES[sex]);
    default: {
      const surnames = SURNAMES_BY_ETHNICITY[ethnicity] ?? HAN_SURNAMES;
      const surname = ethnicity === '汉' && random() < 0.03 ? pick(COMPOUND_SURNAMES) : pick(surnames);
      const given = pick(HAN_GIVEN[sex]) + (random() < 0.7 ? pick(HAN_GIVEN[sex]) : '');
      return surname + given;
    }
  }
}

function addressIn(region: Region): string {
  const base = `${region.prefix}${pick(region.streets)}${1 + Math.floor(random() * 400)}号`;
  if (random() < 0.5) return base;
  const building = 1 + Math.floor(random() * 30);
  const unit = 1 + Math.floor(random() * 6);
  const room = (1 + Math.floor(random() * 25)) * 100 + 1 + Math.floor(random() * 4);
  return `${base}${building}号楼${unit}单元${room}室`;
}

interface FixtureSpec {
  name: string;
  sex: 'M' | 'F';
  ethnicity: string;
  birthDate: string;
  region: string;
  address: string;
  validFrom: string;
  validUntil?: string;
  status?: ResidentStatus;
  face?: FaceProfile;
  flags?: RegistryFlag[];
  wantX?: boolean;
  /**
   * A fixed portrait ref: fixtures added later name theirs, so that the generator's random draws, and with
   * them every generated resident, stay as they were.
   */
  portraitRef?: string;
}

function fixture(spec: FixtureSpec): Resident {
  const region = regionOf(spec.region);
  return {
    name: spec.name,
    sex: spec.sex,
    ethnicity: spec.ethnicity,
    birthDate: spec.birthDate,
    address: region.prefix + spec.address,
    idNumber: allocateIdNumber(spec.region, spec.birthDate, spec.sex, 101, spec.wantX ?? false),
    issuingAuthority: region.authority,
    validFrom: spec.validFrom,
    validUntil: spec.validUntil ?? validUntilFor(spec.birthDate, spec.validFrom),
    status: spec.status ?? 'valid',
    face: spec.face ?? 'pass',
    ...(spec.flags && { flags: spec.flags }),
    portraitRef: spec.portraitRef ?? `pt_${hex(24)}`,
  };
}

/**
 * Named residents for tests, one per situation. All are `valid` with face `pass` and a card valid a
 * year past SEED_REFERENCE_DATE unless their name says otherwise.
 */
export const FIXTURES = {
  pass: fixture({
    name: '李文博',
    sex: 'M',
    ethnicity: '汉',
    birthDate: '1988-03-14',
    region: '370102',
    address: '泉城路188号3号楼2单元501室',
    validFrom: '2019-06-10',
  }),
  xCheckDigit: fixture({
    name: '王秀英',
    sex: 'F',
    ethnicity: '汉',
    birthDate: '1975-09-02',
    region: '110105',
    address: '建国路77号院6号楼1203室',
    validFrom: '2016-04-21',
    wantX: true,
  }),
  expired: fixture({
    name: '陈思远',
    sex: 'M',
    ethnicity: '汉',
    birthDate: '1990-05-12',
    region: '440106',
    address: '天河路385号',
    validFrom: '2015-08-20',
  }),
  cancelled: fixture({
    name: '刘建国',
    sex: 'M',
    ethnicity: '汉',
    birthDate: '1962-10-01',
    region: '420106',
    address: '中南路99号',
    validFrom: '2010-01-05',
    status: 'cancelled',
  }),
  deceased: fixture({
    name: '赵淑珍',
    sex: 'F',
    ethnicity: '汉',
    birthDate: '1931-02-17',
    region: '320102',
    address: '北京东路41号2单元302室',
    validFrom: '2005-11-30',
    status: 'deceased',
  }),
  faceLowSimilarity: fixture({
    name: '周子涵',
    sex: 'F',
    ethnicity: '汉',
    birthDate: '1999-11-30',
    region: '330106',
    address: '文三路478号',
    validFrom: '2022-12-01',
    face: 'low_similarity',
  }),
  faceLivenessFail: fixture({
    name: '吴浩然',
    sex: 'M',
    ethnicity: '汉',
    birthDate: '2001-07-07',
    region: '510104',
    address: '春熙路12号',
    validFrom: '2021-03-18',
    face: 'liveness_fail',
  }),
  faceTimeout: fixture({
    name: '孙丽娜',
    sex: 'F',
    ethnicity: '汉',
    birthDate: '1984-12-25',
    region: '410105',
    address: '花园路136号8号楼3单元702室',
    validFrom: '2018-07-09',
    face: 'timeout',
  }),
  faceError: fixture({
    name: '马晓东',
    sex: 'M',
    ethnicity: '回',
    birthDate: '1979-04-18',
    region: '640104',
    address: '解放东街203号',
    validFrom: '2020-10-26',
    face: 'error',
  }),
  faceBorderline: fixture({
    name: '郑雨涵',
    sex: 'F',
    ethnicity: '汉',
    birthDate: '1992-04-09',
    region: '370202',
    address: '香港中路61号',
    validFrom: '2021-05-20',
    face: 'borderline',
    portraitRef: 'pt_fixture_face_borderline_00',
  }),
  registryFlagged: fixture({
    name: '高建华',
    sex: 'M',
    ethnicity: '汉',
    birthDate: '1968-08-16',
    region: '370102',
    address: '解放路23号',
    // Issued at 47: a card for life (长期).
    validFrom: '2016-03-02',
    flags: ['portrait_poor_quality'],
    portraitRef: 'pt_fixture_registry_flagged_0',
  }),
  longestName: fixture({
    name: '阿卜杜热合曼·买买提明·阿卜杜克热木',
    sex: 'M',
    ethnicity: '维吾尔',
    birthDate: '1993-01-29',
    region: '653101',
    address: '吐曼路街道阿瓦提路社区人民东路368号院幸福小区12号楼3单元1102室',
    validFrom: '2020-02-14',
  }),
} satisfies Record<string, Resident>;

/** Filler residents with named edge cases that are not test fixtures but should exist in the data. */
const NOTABLE: Resident[] = [
  fixture({
    name: '阿卜杜热合曼·买买提明',
    sex: 'M',
    ethnicity: '维吾尔',
    birthDate: '1986-08-08',
    region: '650102',
    address: '解放南路66号',
    validFrom: '2017-05-03',
  }),
  fixture({
    name: '祖丽胡玛尔·阿卜杜克热木',
    sex: 'F',
    ethnicity: '维吾尔',
    birthDate: '1995-03-21',
    region: '653101',
    address: '色满路201号',
    validFrom: '2023-09-15',
  }),
  fixture({
    name: '额尔敦巴雅尔',
    sex: 'M',
    ethnicity: '蒙古',
    birthDate: '1970-06-30',
    region: '150102',
    address: '成吉思汗大街9号',
    validFrom: '2014-02-11',
  }),
  fixture({
    name: '阿旺罗布桑',
    sex: 'M',
    ethnicity: '藏',
    birthDate: '1958-12-12',
    region: '540102',
    address: '林廓北路18号',
    validFrom: '2012-08-01',
  }),
  fixture({
    name: '欧阳雨涵',
    sex: 'F',
    ethnicity: '汉',
    birthDate: '2000-02-29',
    region: '310104',
    address: '天钥桥路100号',
    validFrom: '2024-03-01',
  }),
  fixture({
    name: '黄子轩',
    sex: 'M',
    ethnicity: '汉',
    birthDate: '2013-09-01',
    region: '441900',
    address: '鸿福路5号',
    validFrom: '2024-10-08',
  }),
];

function filler(): Resident {
  const region = pick(REGIONS);
  const ethnicity = random() < 0.6 ? region.ethnicities[0]! : pick(region.ethnicities);
  const sex: 'M' | 'F' = random() < 0.5 ? 'M' : 'F';
  const birthDate = toDate(
    toMs('1935-01-01') + Math.floor((random() * (toMs('2012-12-31') - toMs('1935-01-01'))) / DAY_MS) * DAY_MS,
  );
  const name = nameFor(ethnicity, sex);
  const idNumber = allocateIdNumber(region.code, birthDate, sex, Math.floor(random() * 1000));
  const latestUntil = addYears(SEED_REFERENCE_DATE, 1);
  let validFrom = SEED_REFERENCE_DATE;
  // Walk back from the reference date until a card issued then would still be valid a year later.
  for (let attempt = 0; attempt < 20; attempt++) {
    const candidate = toDate(
      toMs(SEED_REFERENCE_DATE) - Math.floor(random() * (12 - attempt * 0.6) * 365) * DAY_MS,
    );
    const earliest = addYears(birthDate, 1);
    const from = candidate < earliest ? earliest : candidate;
    const until = validUntilFor(birthDate, from);
    if (from <= SEED_REFERENCE_DATE && (until === '长期' || until > latestUntil)) {
      validFrom = from;
      break;
    }
  }
  return {
    name,
    sex,
    ethnicity,
    birthDate,
    address: addressIn(region),
    idNumber,
    issuingAuthority: region.authority,
    validFrom,
    validUntil: validUntilFor(birthDate, validFrom),
    status: 'valid',
    face: 'pass',
    portraitRef: `pt_${hex(24)}`,
  };
}

/**
 * Fixtures added after the other seeds (licences) were laid out over this list: they come last, so every
 * resident before them keeps their documents, status-list positions and signing times.
 */
const LATER_FIXTURES: ReadonlySet<Resident> = new Set([FIXTURES.faceBorderline, FIXTURES.registryFlagged]);

/** Every seeded resident: the fixtures first, then notable and generated ones, then the later fixtures. */
export const RESIDENTS: readonly Resident[] = Object.freeze([
  ...Object.values(FIXTURES).filter((r) => !LATER_FIXTURES.has(r)),
  ...NOTABLE,
  ...Array.from({ length: FILLER_COUNT }, filler),
  ...LATER_FIXTURES,
]);

const byIdNumber = new Map(RESIDENTS.map((r) => [r.idNumber, r]));
const byPortraitRef = new Map(RESIDENTS.map((r) => [r.portraitRef, r]));

/** The seeded resident with this ID number (a lower-case `x` matches), or undefined. */
export function findResident(idNumber: string): Resident | undefined {
  return byIdNumber.get(idNumber.toUpperCase());
}

/** The seeded resident whose portrait has this ref, or undefined. */
export function findByPortraitRef(ref: string): Resident | undefined {
  return byPortraitRef.get(ref);
}
