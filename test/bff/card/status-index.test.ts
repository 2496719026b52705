import { createHmac } from 'node:crypto';
import { STATUS_BLOCK, statusIndexOf, type RoundFunction } from '@eid/bff/modules/card/status-index';

/** The keyed permutation that places status-list slots (status-index.ts), with HMAC-SHA256 round functions. */
const roundsOf =
  (key: string): RoundFunction =>
  (round, half) =>
    createHmac('sha256', key).update(`${round}:${half}`).digest().readUInt16BE(0);

describe('status-list index permutation', () => {
  const round = roundsOf('key-a');

  it('when every slot of a block is placed, then each index of that block is used exactly once', () => {
    for (const block of [0, 3]) {
      const seen = new Set<number>();
      for (let i = 0; i < STATUS_BLOCK; i++) {
        const index = statusIndexOf(block * STATUS_BLOCK + i, round);
        expect(Math.floor(index / STATUS_BLOCK)).toBe(block);
        seen.add(index);
      }
      expect(seen.size).toBe(STATUS_BLOCK);
    }
  });

  it('when slots are placed in issue order, then the indexes show no order', () => {
    const indexes = Array.from({ length: 2000 }, (_, i) => statusIndexOf(i, round));
    let rising = 0;
    for (let i = 1; i < indexes.length; i++) if (indexes[i]! > indexes[i - 1]!) rising += 1;
    // A random order rises about half the time; issue order would rise every time.
    expect(rising / (indexes.length - 1)).toBeGreaterThan(0.4);
    expect(rising / (indexes.length - 1)).toBeLessThan(0.6);
    // Early slots spread over the whole block instead of crowding its start.
    expect(Math.max(...indexes.slice(0, 50))).toBeGreaterThan(STATUS_BLOCK / 2);
  });

  it('when the key differs, then the placement differs', () => {
    const other = roundsOf('key-b');
    const a = Array.from({ length: 64 }, (_, i) => statusIndexOf(i, round));
    const b = Array.from({ length: 64 }, (_, i) => statusIndexOf(i, other));
    expect(a.filter((x, i) => x === b[i]).length).toBeLessThan(4);
  });

  it('when the slot is not a whole number from 0, then it is refused', () => {
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 53])
      expect(() => statusIndexOf(bad, round)).toThrow(RangeError);
  });
});
