import fc from 'fast-check';
import { CHINA_OFFSET_MS, beijingDate, beijingDateEnd, beijingDayOf, nextBeijingMidnight } from '@eid/shared';

describe('Beijing time', () => {
  it('when it is 16:00 UTC, then it is already the next day in Beijing', () => {
    expect(CHINA_OFFSET_MS).toBe(8 * 3_600_000);
    expect(beijingDate(Date.UTC(2026, 0, 1, 15, 59, 59, 999))).toBe('2026-01-01');
    expect(beijingDate(Date.UTC(2026, 0, 1, 16))).toBe('2026-01-02');
    expect(beijingDate(Date.UTC(2026, 11, 31, 16))).toBe('2027-01-01');
  });

  it('when an instant is given, then its Beijing day runs from the Beijing midnight before it to the one after', () => {
    const day = beijingDayOf(Date.UTC(2026, 10, 23, 8));
    expect(day).toEqual({
      date: '2026-11-23',
      start: Date.UTC(2026, 10, 22, 16),
      end: Date.UTC(2026, 10, 23, 16),
    });
    expect(beijingDayOf(day.start)).toEqual(day);
    expect(beijingDayOf(day.end - 1)).toEqual(day);
    expect(beijingDayOf(day.end).date).toBe('2026-11-24');
    expect(nextBeijingMidnight(Date.UTC(2026, 10, 23, 8))).toBe(Date.UTC(2026, 10, 23, 16));
  });

  it('for any instant, the day contains it, lasts 24 hours, and its date is the Beijing date', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(2200, 0, 1) }), (ms) => {
        const { date, start, end } = beijingDayOf(ms);
        expect(start <= ms && ms < end).toBe(true);
        expect(end - start).toBe(86_400_000);
        expect(date).toBe(beijingDate(ms));
        expect(beijingDateEnd(date)).toBe(end);
        expect(new Date(start + CHINA_OFFSET_MS).getUTCHours()).toBe(0);
      }),
    );
  });

  it('when a date is given, then it ends at the next Beijing midnight; a non-date has no end', () => {
    expect(beijingDateEnd('2030-05-01')).toBe(Date.UTC(2030, 4, 1, 16));
    expect(beijingDateEnd('2030-12-31')).toBe(Date.UTC(2030, 11, 31, 16));
    expect(beijingDateEnd('长期')).toBeUndefined();
    expect(beijingDateEnd('2030.05.01')).toBeUndefined();
  });
});
