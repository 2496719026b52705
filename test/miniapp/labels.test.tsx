import { PURPOSES } from '@eid/shared';
import { purposeLabel } from '../../miniapp/src/lib/labels';
import { MESSAGES, type MessageKey } from '../../miniapp/src/i18n/messages';

/**
 * Purpose labels on the usage pages. The pages fetch the published list, but a record must read
 * right before that fetch answers (CI once caught the list painting "other purpose" for a hotel
 * check-in because the fetch was slower than the records) and if it never answers.
 */
const zh = (key: MessageKey) => MESSAGES[key].zh;
const en = (key: MessageKey) => MESSAGES[key].en;

describe('purposeLabel', () => {
  it('names every published purpose from the bundled list while the fetched list has not arrived', () => {
    for (const p of PURPOSES) {
      expect(purposeLabel(p.code, undefined, 'zh', zh)).toBe(p.zh);
      expect(purposeLabel(p.code, undefined, 'en', en)).toBe(p.en);
    }
    expect(purposeLabel('hotel_check_in', undefined, 'zh', zh)).toBe('旅馆住宿登记');
  });

  it('prefers the fetched list, which may name purposes published after this build', () => {
    const later = [
      {
        id: 99,
        code: 'library_card',
        zh: '办理借书证',
        en: 'Library card',
        basis: '',
        fields: ['name'],
        claims: ['name'],
      },
    ];
    expect(purposeLabel('library_card', later, 'zh', zh)).toBe('办理借书证');
    expect(purposeLabel('hotel_check_in', later, 'en', en)).toBe('Hotel check-in');
  });

  it("names the resident's own steps in words and anything else as another purpose, never the code", () => {
    expect(purposeLabel('enrollment', undefined, 'zh', zh)).toBe(MESSAGES['purpose.enrollment'].zh);
    expect(purposeLabel('no_such_purpose', [], 'zh', zh)).toBe('其他事由');
    expect(purposeLabel('no_such_purpose', undefined, 'en', en)).toBe('Other purpose');
  });
});
