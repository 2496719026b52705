import {
  CARD_FIELDS,
  CODE_CLAIM_FIELDS,
  ID_NUMBER_CLAIMS,
  PURPOSES,
  discloseFields,
  findPurpose,
  findPurposeById,
  type CardField,
} from '@eid/shared';

// Every id ever published, with the purpose it names. A code in a resident's hand names its purpose by
// this number, so an id may be added here but never changed or given to another purpose.
const PUBLISHED_IDS: Record<number, string> = {
  1: 'household_registration',
  2: 'military_service',
  3: 'marriage_adoption',
  4: 'exit_formalities',
  5: 'finance',
  6: 'hotel_check_in',
  7: 'medical_care',
  8: 'social_security',
  9: 'taxation',
  10: 'education',
  11: 'government_services',
  12: 'age_over_14',
  13: 'age_over_16',
  14: 'age_over_18',
  15: 'age_over_60',
  16: 'residence_province',
  17: 'pharmacy',
  18: 'holder_only',
};

describe('purposes', () => {
  it('when the list is read, then codes are unique snake_case and every purpose has names, a basis and known fields', () => {
    expect(new Set(PURPOSES.map((p) => p.code)).size).toBe(PURPOSES.length);
    for (const p of PURPOSES) {
      expect(p.code).toMatch(/^[a-z]+(_[a-z0-9]+)*$/);
      expect(p.zh.length).toBeGreaterThan(0);
      expect(p.en.length).toBeGreaterThan(0);
      expect(p.basis.length).toBeGreaterThan(0);
      // Only "holder only" sees nothing: its code proves a valid card held by this device, no more.
      expect(p.fields.length > 0 || p.code === 'holder_only').toBe(true);
      expect(new Set(p.fields).size).toBe(p.fields.length);
      for (const f of p.fields) expect(CARD_FIELDS).toContain(f);
      // A purpose that sees the full number never also needs the masked one.
      expect(p.fields.includes('idNumber') && p.fields.includes('idNumberMasked')).toBe(false);
    }
  });

  it('when the ids are read, then each purpose keeps the id it was published with and no id is reused', () => {
    expect(Object.fromEntries(PURPOSES.map((p) => [p.id, p.code]))).toEqual(PUBLISHED_IDS);
    for (const p of PURPOSES) {
      expect(Number.isInteger(p.id) && p.id >= 1 && p.id <= 23).toBe(true); // one CBOR byte on the wire
      expect(findPurposeById(p.id)).toBe(p);
    }
  });

  it.each([0, -1, 19, 1.5, '6', undefined, null])(
    'when the id %p is looked up, then there is no purpose',
    (id) => {
      expect(findPurposeById(id)).toBeUndefined();
    },
  );

  it('when the claims are read, then each purpose discloses in its code its fields a code can carry, and with the full number what the number holds, in slot order', () => {
    for (const p of PURPOSES) {
      const sees = (f: CardField) =>
        p.fields.includes(f) ||
        (p.fields.includes('idNumber') && (ID_NUMBER_CLAIMS as readonly string[]).includes(f));
      expect(p.claims).toEqual(CODE_CLAIM_FIELDS.filter(sees));
    }
    expect(ID_NUMBER_CLAIMS).toEqual(['sex', 'birthDate', 'idNumberMasked']);
    expect(findPurpose('hotel_check_in')!.claims).toEqual([
      'name',
      'sex',
      'birthDate',
      'idNumberMasked',
      'ethnicity',
    ]);
    expect(findPurpose('medical_care')!.claims).toEqual(['name', 'sex', 'birthDate', 'idNumberMasked']);
    // The full number, address and card validity are never in a code: only the BFF gives them online. A
    // purpose that sees the full number gets in its code what the number holds (birth date, sex, masked number).
    expect(findPurpose('household_registration')!.claims).toEqual([
      'name',
      'sex',
      'birthDate',
      'idNumberMasked',
      'ethnicity',
    ]);
    expect(findPurpose('taxation')!.claims).toEqual(['name', 'sex', 'birthDate', 'idNumberMasked']);
    expect(findPurpose('pharmacy')!.claims).toEqual(['name']);
  });

  it.each([
    ['age_over_14', ['ageOver14'], '第三十一条'],
    ['age_over_16', ['ageOver16'], '劳动法'],
    ['age_over_18', ['ageOver18'], '未成年人保护法'],
    ['age_over_60', ['ageOver60'], '老年人权益保障法'],
    ['residence_province', ['residenceProvince'], '本省'],
    ['pharmacy', ['name'], '药品'],
    ['holder_only', [], '个人信息保护法'],
  ])(
    'when the purpose %s is looked up, then it sees %j only, in its code too, with its basis',
    (code, fields, basis) => {
      const p = findPurpose(code)!;
      expect(p.fields).toEqual(fields);
      expect(p.claims).toEqual(fields);
      expect(p.basis).toContain(basis);
    },
  );

  it('when the four cases of the Resident Identity Card Law are looked up, then each exists', () => {
    for (const code of [
      'household_registration',
      'military_service',
      'marriage_adoption',
      'exit_formalities',
    ]) {
      expect(findPurpose(code)?.basis).toContain('第十四条');
    }
  });

  it('when hotel check-in discloses a face, then it gets name, sex, ethnicity, birth date and the masked number only', () => {
    const face = {
      name: '李文博',
      sex: 'M',
      ethnicity: '汉',
      birthDate: '1988-03-14',
      address: '泉城路188号',
      idNumber: '370102198803141010',
      idNumberMasked: '3701**********1010',
      issuingAuthority: '济南市公安局历下分局',
      validFrom: '2019-06-10',
      validUntil: '2039-06-10',
    };
    expect(discloseFields(face, findPurpose('hotel_check_in')!)).toEqual({
      name: '李文博',
      sex: 'M',
      ethnicity: '汉',
      birthDate: '1988-03-14',
      idNumberMasked: '3701**********1010',
    });
  });

  it.each([undefined, 'HOTEL_CHECK_IN', 'toString', '__proto__', { $gt: '' }])(
    'when %p is looked up, then there is no purpose',
    (code) => {
      expect(findPurpose(code)).toBeUndefined();
    },
  );
});
