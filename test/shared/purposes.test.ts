import { CARD_FIELDS, PURPOSES, discloseFields, findPurpose } from '@eid/shared';

describe('purposes', () => {
  it('when the list is read, then codes are unique snake_case and every purpose has names, a basis and known fields', () => {
    expect(new Set(PURPOSES.map((p) => p.code)).size).toBe(PURPOSES.length);
    for (const p of PURPOSES) {
      expect(p.code).toMatch(/^[a-z]+(_[a-z]+)*$/);
      expect(p.zh.length).toBeGreaterThan(0);
      expect(p.en.length).toBeGreaterThan(0);
      expect(p.basis.length).toBeGreaterThan(0);
      expect(p.fields.length).toBeGreaterThan(0);
      for (const f of p.fields) expect(CARD_FIELDS).toContain(f);
      // A purpose that sees the full number never also needs the masked one.
      expect(p.fields.includes('idNumber') && p.fields.includes('idNumberMasked')).toBe(false);
    }
  });

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
