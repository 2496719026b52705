import fc from 'fast-check';
import { cborHead, cborHeadLength } from '@eid/shared';

describe('cborHeadLength', () => {
  it('when given any argument a CBOR head can carry, then it is the length of that head', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7 }), fc.maxSafeNat(), (major, argument) => {
        expect(cborHeadLength(argument)).toBe(cborHead(major, argument).length);
      }),
    );
  });

  it('when the argument is at a width boundary, then the length steps exactly there', () => {
    for (const [argument, length] of [
      [23, 1],
      [24, 2],
      [0xff, 2],
      [0x100, 3],
      [0xffff, 3],
      [0x10000, 5],
      [0xffffffff, 5],
      [0x100000000, 9],
    ] as const)
      expect(cborHeadLength(argument)).toBe(length);
  });
});
