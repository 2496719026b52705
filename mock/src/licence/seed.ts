import { createHash } from 'node:crypto';
import { documentType, makeIdNumber, type DocValue } from '@eid/shared';
import { FIXTURES, RESIDENTS, SEED_REFERENCE_DATE, type Resident } from '../registry/seed';
import { addDays, addYears, ageOn, maxDate, minDate } from './dates';
import { issuerFor, type IssuingBody } from './issuers';
import { COMPOUND_SURNAMES, RELATIVE_GIVEN, RELATIVE_SURNAMES, latinName } from './pinyin';
import {
  RESIDENCE_CITIES,
  TEMPORARY_PERMIT_CITIES,
  addressPrefix,
  licenceRegion,
  placeName,
  type LicenceRegion,
  type ResidenceCity,
} from './regions';

/*
 * The documents of the licence stand-in, for every resident of the registry seed. Deterministic: each
 * resident's documents come from a generator seeded by their ID number, so adding residents elsewhere does
 * not change anyone's documents, and status-list positions are handed out in seed order.
 *
 * Every adult has the same core wallet, so any seeded person a test picks can be relied on: ID card,
 * household register, residence permit (valid), driving licence (valid), one vehicle registration (valid),
 * an expired passport and a revoked Hong Kong/Macao permit. Minors have the same without driving licence and
 * vehicle. Besides that, by draw: a second vehicle, a Taiwan permit (some suspended), a marriage certificate
 * (some revoked after a divorce), a Shandong temporary residence permit (some expired). Named fixtures:
 * FIXTURES.pass has all of the core wallet, two vehicles, a suspended Taiwan permit and a marriage
 * certificate; xCheckDigit a suspended driving licence and a valid temporary permit; expired an expired ID
 * card, driving licence and temporary permit; cancelled and deceased a revoked ID card.
 *
 * "Valid" documents are valid until at least a year after SEED_REFERENCE_DATE (or long-term); expired ones
 * ended before it. Expiry is never a status: verifiers judge it from the dates.
 */

export type DocumentStatus = 'valid' | 'revoked' | 'suspended';

export interface SeedDocument {
  /** Stable across versions: what the BFF files a document under. */
  id: string;
  holderIdNumber: string;
  /** Registry name of the type. */
  type: string;
  issuer: IssuingBody;
  /** 20 upper-case letters and digits, unique in the seed. */
  serial: string;
  version: number;
  /** Position in the issuer's status list. */
  statusIndex: number;
  status: DocumentStatus;
  /** Epoch ms the issuer signed it. */
  issuedAt: number;
  /** Field values (the portrait digest is added when the credential is built: drawing portraits is slow). */
  values: Readonly<Record<string, DocValue>>;
  /** Registry portrait ref of the holder, for the types that print a portrait. */
  portraitRef: string;
}

const REF = SEED_REFERENCE_DATE;
const ONE_YEAR_ON = addYears(REF, 1);
const IMMIGRATION_2019 = '中华人民共和国国家移民管理局';
const IMMIGRATION_BEFORE = '中华人民共和国公安部出入境管理局';
/** First day the national immigration administration issued travel documents in its own name. */
const IMMIGRATION_SINCE = '2019-04-01';
/** Status-list block: indexes are permuted inside blocks of this size (as the BFF's lists are sized). */
export const STATUS_BLOCK = 16_384;
const STATUS_STRIDE = 7919;

const TYPE_ABBREVIATION: Readonly<Record<string, string>> = {
  id_card: 'ID',
  household_register: 'HR',
  residence_permit: 'RP',
  temporary_residence_permit: 'TR',
  driving_licence: 'DL',
  vehicle_registration: 'VR',
  marriage_certificate: 'MC',
  passport: 'PP',
  travel_permit_hk_macao: 'HK',
  travel_permit_taiwan: 'TW',
};

/** A resident's own generator: mulberry32 seeded from their ID number. */
function generatorFor(idNumber: string) {
  let a = createHash('sha256').update(`licence seed ${idNumber}`).digest().readUInt32BE(0);
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  return {
    chance: (p: number) => next() < p,
    int,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    digits: (n: number) => Array.from({ length: n }, () => String(int(0, 9))).join(''),
  };
}
type Draw = ReturnType<typeof generatorFor>;

const PLATE_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
const PERMIT_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

interface VehicleModel {
  wmi: string;
  vds: string;
  brandModel: string;
  vehicleType: string;
  seats: number;
  engine: string;
  /** Battery electric: a green plate with six characters after the city letter. */
  electric: boolean;
}

const VEHICLES: readonly VehicleModel[] = [
  {
    wmi: 'LSV',
    vds: 'AU218',
    brandModel: '大众汽车牌SVW71810BU',
    vehicleType: '小型轿车',
    seats: 5,
    engine: 'DKX',
    electric: false,
  },
  {
    wmi: 'LFV',
    vds: 'A2BU6',
    brandModel: '一汽-大众牌FV7151FBDWG',
    vehicleType: '小型轿车',
    seats: 5,
    engine: 'DJS',
    electric: false,
  },
  {
    wmi: 'LGX',
    vds: 'C74C3',
    brandModel: '比亚迪牌BYD7005BEVA',
    vehicleType: '小型轿车',
    seats: 5,
    engine: 'TZ220XS',
    electric: true,
  },
  {
    wmi: 'LRW',
    vds: 'YGCEK',
    brandModel: '特斯拉牌TSL7000BEVAR3',
    vehicleType: '小型轿车',
    seats: 5,
    engine: 'TZ180XS',
    electric: true,
  },
  {
    wmi: 'LHG',
    vds: 'RU583',
    brandModel: '本田牌HG6482BBAN',
    vehicleType: '小型普通客车',
    seats: 5,
    engine: 'L15B',
    electric: false,
  },
  {
    wmi: 'L6T',
    vds: '7824Z',
    brandModel: '吉利牌MR6471DCHEV',
    vehicleType: '小型普通客车',
    seats: 7,
    engine: 'JLH4G15',
    electric: false,
  },
];

const VIN_VALUES: Readonly<Record<string, number>> = Object.fromEntries([
  ...[...'0123456789'].map((c, i) => [c, i] as const),
  ...[...'ABCDEFGH'].map((c, i) => [c, i + 1] as const),
  ...[...'JKLMN'].map((c, i) => [c, i + 1] as const),
  ['P', 7],
  ['R', 9],
  ...[...'STUVWXYZ'].map((c, i) => [c, i + 2] as const),
]);
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
const MODEL_YEAR = 'ABCDEFGHJKLMNPRSTVWXY123456789';

/** A VIN with its GB 16735 / ISO 3779 check digit in position 9. */
export function makeVin(prefix8: string, year: number, plant: string, serial6: string): string {
  const yearCode = MODEL_YEAR[(year - 2010 + 30) % 30]!;
  const draft = `${prefix8}0${yearCode}${plant}${serial6}`;
  const sum = [...draft].reduce((s, c, i) => s + VIN_VALUES[c]! * VIN_WEIGHTS[i]!, 0);
  const check = sum % 11 === 10 ? 'X' : String(sum % 11);
  return `${draft.slice(0, 8)}${check}${draft.slice(9)}`;
}

/** True when a VIN's check digit is right. */
export function isValidVin(vin: string): boolean {
  if (!/^[A-HJ-NPR-Z0-9]{17}$/.test(vin)) return false;
  const sum = [...vin].reduce((s, c, i) => s + VIN_VALUES[c]! * VIN_WEIGHTS[i]!, 0);
  return vin[8] === (sum % 11 === 10 ? 'X' : String(sum % 11));
}

const sexZh = (sex: 'M' | 'F') => (sex === 'M' ? '男' : '女');
const holderFields = (r: Resident) => ({
  holderName: r.name,
  holderIdNumber: r.idNumber,
  holderIdType: '111',
});
const trafficPolice = (region: LicenceRegion) =>
  region.municipality ? `${region.city}公安局公安交通管理局` : `${region.city}公安局交通警察支队`;
const cityArea = (region: LicenceRegion) => `${region.code.slice(0, 4)}00`;
const provinceArea = (region: LicenceRegion) => `${region.code.slice(0, 2)}0000`;
const immigrationName = (validFrom: string) =>
  validFrom >= IMMIGRATION_SINCE ? IMMIGRATION_2019 : IMMIGRATION_BEFORE;
const birthplace = (region: LicenceRegion) =>
  region.municipality ? region.city : region.province + region.city;

/** What a resident's document plan says before serials and status indexes are handed out. */
interface Planned {
  type: string;
  province: string;
  status: DocumentStatus;
  values: Record<string, DocValue>;
}

/** A driving licence term that covers a year past the reference date: 6 years, then 10, then long-term. */
function drivingTerm(firstIssue: string): { validFrom: string; validUntil?: string } {
  let from = firstIssue;
  for (const years of [6, 10]) {
    const until = addYears(from, years);
    if (until > ONE_YEAR_ON) return { validFrom: from, validUntil: until };
    // A term ending within the year was renewed early, a month ago; an ended one at its end.
    from = until > REF ? addDays(REF, -30) : until;
  }
  return { validFrom: from };
}

/** Travel document term: 10 years from 16, 5 for a younger holder, ending the day before. */
function travelTerm(birthDate: string, validFrom: string): string {
  return addDays(addYears(validFrom, ageOn(birthDate, validFrom) >= 16 ? 10 : 5), -1);
}

function residenceAddress(city: ResidenceCity, d: Draw): { address: string; station: string } {
  const i = d.int(0, city.streets.length - 1);
  return {
    address: `${addressPrefix(licenceRegion(city.code))}${city.streets[i]}${d.int(1, 400)}号`,
    station: city.stations[i]!,
  };
}

function relativeName(d: Draw, sex: 'M' | 'F', surname?: string): string {
  const given = d.pick(RELATIVE_GIVEN[sex]) + (d.chance(0.7) ? d.pick(RELATIVE_GIVEN[sex]) : '');
  return (surname ?? d.pick(RELATIVE_SURNAMES)) + given;
}

const surnameOf = (name: string) =>
  COMPOUND_SURNAMES.some((c) => name.startsWith(c)) ? name.slice(0, 2) : name[0]!;

type Situation = 'pass' | 'xCheckDigit' | 'expired' | 'other';

function situationOf(r: Resident): Situation {
  if (r.idNumber === FIXTURES.pass.idNumber) return 'pass';
  if (r.idNumber === FIXTURES.xCheckDigit.idNumber) return 'xCheckDigit';
  if (r.idNumber === FIXTURES.expired.idNumber) return 'expired';
  return 'other';
}

/** Every document of one resident, in wallet order, with statuses and values. */
function planResident(r: Resident): Planned[] {
  const d = generatorFor(r.idNumber);
  const region = licenceRegion(r.idNumber.slice(0, 6));
  const province = region.code.slice(0, 2);
  const age = ageOn(r.birthDate, REF);
  const adult = age >= 18;
  const situation = situationOf(r);
  const sex = sexZh(r.sex);
  const holder = holderFields(r);
  const out: Planned[] = [];
  const add = (type: string, status: DocumentStatus, values: Record<string, DocValue>, where = province) =>
    out.push({ type, province: where, status, values: { ...holder, ...values } });

  // Marriage first: the household register prints the marital status.
  const marriageAge = r.sex === 'M' ? 24 : 22;
  const married = situation === 'pass' || (situation === 'other' && age >= marriageAge + 1 && d.chance(0.6));
  const divorced = married && situation === 'other' && d.chance(0.12);

  add('id_card', r.status === 'valid' ? 'valid' : 'revoked', {
    documentNumber: r.idNumber,
    issuerName: r.issuingAuthority,
    issueDate: r.validFrom,
    validFrom: r.validFrom,
    ...(r.validUntil === '长期' ? {} : { validUntil: r.validUntil }),
    areaCode: region.code,
    sex,
    ethnicity: r.ethnicity,
    birthDate: r.birthDate,
    address: r.address,
  });

  const headOfHousehold = age >= 28 || r.name.includes('·') || !/^[\u4e00-\u9fa5]{2,3}$/.test(r.name);
  const registerIssued = minDate(
    addDays(maxDate(r.birthDate, '2008-01-01'), d.int(30, 4000)),
    addDays(REF, -60),
  );
  add('household_register', 'valid', {
    documentNumber: `${region.code}${d.digits(5)}`,
    issuerName: r.issuingAuthority,
    issueDate: registerIssued,
    validFrom: registerIssued,
    areaCode: region.code,
    householdNumber: d.digits(9).replace(/^0/, '1'),
    householdType: '家庭户',
    headName: headOfHousehold ? r.name : relativeName(d, 'M', surnameOf(r.name)),
    relationToHead: headOfHousehold ? '户主' : r.sex === 'M' ? '子' : '女',
    address: r.address,
    sex,
    ethnicity: r.ethnicity,
    birthDate: r.birthDate,
    birthplace: birthplace(region),
    nativePlace: birthplace(region),
    maritalStatus: divorced ? '离婚' : married ? '已婚' : '未婚',
    ...(adult ? { education: d.pick(['大学本科', '大学专科', '高中', '初中', '研究生']) } : {}),
    ...(adult
      ? { occupation: d.pick(['工程技术人员', '教师', '个体经营', '职员', '医务人员', '农民']) }
      : {}),
    registeredOn: r.birthDate,
  });

  const residenceCities = RESIDENCE_CITIES.filter((c) => c.code !== region.code);
  const residence = situation === 'pass' ? RESIDENCE_CITIES[0]! : d.pick(residenceCities);
  const residenceRegion = licenceRegion(residence.code);
  const permitFrom = addDays(REF, -d.int(30, 300));
  const home = residenceAddress(residence, d);
  add(
    'residence_permit',
    'valid',
    {
      documentNumber: `${residence.code}${permitFrom.slice(0, 4)}${d.digits(8)}`,
      issuerName: residence.authority,
      issueDate: permitFrom,
      validFrom: permitFrom,
      validUntil: addYears(permitFrom, 2),
      areaCode: residence.code,
      sex,
      ethnicity: r.ethnicity,
      birthDate: r.birthDate,
      householdAddress: r.address,
      residenceAddress: home.address,
      signUpDate: maxDate(addDays(permitFrom, -d.int(10, 200)), r.birthDate),
    },
    residenceRegion.code.slice(0, 2),
  );

  const temporary =
    situation === 'xCheckDigit' ||
    situation === 'expired' ||
    (situation === 'other' && province !== '37' && d.chance(0.15));
  if (temporary) {
    const city = situation === 'expired' ? TEMPORARY_PERMIT_CITIES[1]! : d.pick(TEMPORARY_PERMIT_CITIES);
    const expired = situation === 'expired' || (situation === 'other' && d.chance(0.5));
    const from = expired ? addDays('2024-03-01', d.int(0, 300)) : addDays(REF, -d.int(10, 200));
    const stay = residenceAddress(city, d);
    add(
      'temporary_residence_permit',
      'valid',
      {
        documentNumber: `LS${city.code}${from.slice(0, 4)}${d.digits(6)}`,
        issuerName: `${city.authority}${stay.station}`,
        issueDate: from,
        validFrom: from,
        validUntil: expired ? addDays(addYears(from, 1), -1) : addYears(from, 2),
        areaCode: city.code,
        sex,
        birthDate: r.birthDate,
        householdAddress: r.address,
        residenceAddress: stay.address,
        stayReason: d.pick(['务工', '经商', '就学', '探亲']),
        registeredOn: addDays(from, -d.int(1, 5)),
      },
      '37',
    );
  }

  if (adult) {
    const firstIssue = maxDate(
      minDate(addDays(addYears(r.birthDate, d.int(18, 30)), d.int(0, 300)), addDays(REF, -90)),
      addYears(r.birthDate, 18),
    );
    const term =
      situation === 'expired'
        ? { validFrom: '2014-09-01', validUntil: '2024-09-01' }
        : drivingTerm(firstIssue);
    add('driving_licence', situation === 'xCheckDigit' ? 'suspended' : 'valid', {
      documentNumber: r.idNumber,
      issuerName: trafficPolice(region),
      issueDate: term.validFrom,
      ...term,
      areaCode: cityArea(region),
      sex,
      nationality: '中国',
      address: r.address,
      birthDate: r.birthDate,
      firstIssueDate: situation === 'expired' ? '2008-09-01' : firstIssue,
      vehicleClass: d.pick(['C1', 'C1', 'C1', 'C1', 'C2', 'B2', 'C1E', 'A2']),
      fileNumber: `${region.code.slice(0, 4)}${d.digits(8)}`,
    });

    const vehicles = situation === 'pass' ? 2 : situation === 'other' && d.chance(1 / 3) ? 2 : 1;
    for (let v = 0; v < vehicles; v++) {
      const model = d.pick(VEHICLES);
      const registered = addDays(REF, -d.int(60, 3000));
      const year = Number(registered.slice(0, 4));
      const plate = model.electric
        ? `${region.plate}D${d.digits(5)}`
        : region.plate +
          Array.from({ length: 5 }, (_, i) => (i < 2 ? d.pick([...PLATE_CHARS]) : d.digits(1))).join('');
      add('vehicle_registration', 'valid', {
        documentNumber: `${region.code.slice(0, 4)}${d.digits(8)}`,
        issuerName: trafficPolice(region),
        issueDate: registered,
        validFrom: registered,
        areaCode: cityArea(region),
        plateNumber: plate,
        vehicleType: model.vehicleType,
        owner: r.name,
        address: r.address,
        useCharacter: '非营运',
        brandModel: model.brandModel,
        vin: makeVin(model.wmi + model.vds, year, d.pick([...'ABCDEFGH']), d.digits(6)),
        engineNumber: `${model.engine}${d.digits(6)}`,
        registrationDate: registered,
        registrationCertificateNumber: `${region.code.slice(0, 2)}${d.digits(10)}`,
        seats: model.seats,
        inspectionValidUntil: `${d.int(2028, 2029)}-${registered.slice(5, 7)}`,
      });
    }
  }

  // The core wallet's expired passport: issued 10 (or 5) years and a bit before the reference date.
  let passportFrom = addDays(REF, -(3650 + d.int(30, 900)));
  if (passportFrom <= r.birthDate) passportFrom = addDays(r.birthDate, 30);
  let passportUntil = travelTerm(r.birthDate, passportFrom);
  if (passportUntil >= REF) {
    passportFrom = addDays(r.birthDate, 30);
    passportUntil = addDays(minDate(travelTerm(r.birthDate, passportFrom), REF), -1);
  }
  const latin = latinName(r.name, r.ethnicity);
  add('passport', 'valid', {
    documentNumber: `E${d.pick([...PERMIT_LETTERS])}${d.digits(7)}`,
    issuerName: immigrationName(passportFrom),
    issueDate: passportFrom,
    validFrom: passportFrom,
    validUntil: passportUntil,
    areaCode: provinceArea(region),
    passportType: 'P',
    countryCode: 'CHN',
    nameLatin: latin,
    sex,
    nationality: '中国',
    birthDate: r.birthDate,
    placeOfBirth: region.provinceShort,
    placeOfIssue: region.provinceShort,
  });

  const permitIssued = addDays(REF, -d.int(100, 1000));
  add('travel_permit_hk_macao', 'revoked', {
    documentNumber: `C${d.pick([...PERMIT_LETTERS])}${d.digits(7)}`,
    issuerName: immigrationName(permitIssued),
    issueDate: permitIssued,
    validFrom: permitIssued,
    validUntil: travelTerm(r.birthDate, permitIssued),
    areaCode: provinceArea(region),
    nameLatin: latin,
    sex,
    birthDate: r.birthDate,
    placeOfIssue: region.provinceShort,
    hkEndorsement: '个人旅游 一年多次',
    hkEndorsementValidUntil: addDays(addYears(permitIssued, 1), -1),
  });

  const taiwan = situation === 'pass' || (situation === 'other' && d.chance(0.5));
  if (taiwan) {
    const issued = addDays(REF, -d.int(100, 1000));
    add('travel_permit_taiwan', situation === 'pass' || d.chance(0.25) ? 'suspended' : 'valid', {
      documentNumber: `L${d.digits(8)}`,
      issuerName: immigrationName(issued),
      issueDate: issued,
      validFrom: issued,
      validUntil: travelTerm(r.birthDate, issued),
      areaCode: provinceArea(region),
      nameLatin: latin,
      sex,
      birthDate: r.birthDate,
      placeOfIssue: region.provinceShort,
      ...(d.chance(0.5)
        ? { taiwanEndorsement: '团队旅游 一次', taiwanEndorsementValidUntil: addDays(issued, 180) }
        : {}),
    });
  }

  if (married) {
    const registered = minDate(
      addDays(addYears(r.birthDate, d.int(marriageAge, marriageAge + 12)), d.int(0, 300)),
      addDays(REF, -30),
    );
    const spouseSex = r.sex === 'M' ? 'F' : 'M';
    const spouseBirth = minDate(addDays(r.birthDate, d.int(-1500, 1500)), addYears(registered, -22));
    const spouseId = makeIdNumber(region.code, spouseBirth, d.int(0, 499) * 2 + (spouseSex === 'M' ? 1 : 0));
    const place = placeName(region);
    add('marriage_certificate', divorced ? 'revoked' : 'valid', {
      documentNumber: `J${region.code}-${registered.slice(0, 4)}-${d.digits(6)}`,
      issuerName: `${place}民政局`,
      issueDate: registered,
      validFrom: registered,
      areaCode: region.code,
      sex,
      nationality: '中国',
      birthDate: r.birthDate,
      spouseName: relativeName(d, spouseSex),
      spouseSex: sexZh(spouseSex),
      spouseNationality: '中国',
      spouseBirthDate: spouseBirth,
      spouseIdNumberMasked: `${spouseId.slice(0, 4)}${'*'.repeat(10)}${spouseId.slice(-4)}`,
      registrationDate: registered,
      registryOffice: `${place}婚姻登记处`,
    });
  }
  return out;
}

/** Status-list index of the n-th document (0-based) a key signs: a fixed permutation inside each block. */
export function statusIndexOf(n: number): number {
  const block = Math.floor(n / STATUS_BLOCK);
  return block * STATUS_BLOCK + (((n % STATUS_BLOCK) * STATUS_STRIDE) % STATUS_BLOCK);
}

/** The stable id of a document: a hash of its type, issuer and serial (the identifier without version). */
export function documentIdOf(typeCode: string, issuerCode: string, serial: string): string {
  return `ld_${createHash('sha256').update(`${typeCode}.${issuerCode}.${serial}`).digest('hex').slice(0, 24)}`;
}

/** The licence system went live on this day: older documents were signed when they were brought in. */
export const LICENCE_SYSTEM_SINCE = '2019-06-01';

/** When the issuing body signed a document: 10:00 Beijing time on its issue date, or on its day of migration. */
function signedAt(issueDate: string, sequence: number): number {
  const day = issueDate >= LICENCE_SYSTEM_SINCE ? issueDate : addDays(LICENCE_SYSTEM_SINCE, sequence % 180);
  return Date.parse(`${day}T02:00:00Z`);
}

export interface LicenceSeed {
  documents: readonly SeedDocument[];
  /** Per issuer key id: how many status-list positions the seed used. */
  slotsUsed: ReadonlyMap<string, number>;
}

function buildSeed(): LicenceSeed {
  const slots = new Map<string, number>();
  const documents: SeedDocument[] = [];
  let sequence = 0;
  for (const resident of RESIDENTS) {
    for (const p of planResident(resident)) {
      const type = documentType(p.type)!;
      const issuer = issuerFor(p.province, p.type);
      const slot = slots.get(issuer.kid) ?? 0;
      slots.set(issuer.kid, slot + 1);
      sequence += 1;
      const issueDate = p.values.issueDate as string;
      const serial = `${p.values.areaCode as string}${issueDate.slice(0, 4)}${TYPE_ABBREVIATION[p.type]!}${String(sequence).padStart(8, '0')}`;
      documents.push({
        id: documentIdOf(type.typeCode, issuer.uscc, serial),
        holderIdNumber: resident.idNumber,
        type: p.type,
        issuer,
        serial,
        version: 1,
        statusIndex: statusIndexOf(slot),
        status: p.status,
        issuedAt: signedAt(issueDate, sequence),
        values: p.values,
        portraitRef: resident.portraitRef,
      });
    }
  }
  return { documents, slotsUsed: slots };
}

let seed: LicenceSeed | undefined;

/** The seeded documents (built on first use, then shared: they are the same every time). */
export function licenceSeed(): LicenceSeed {
  return (seed ??= buildSeed());
}
