import {
  decodeTerminalBundle,
  encodeTerminalBundle,
  estimateTerminalBundleSize,
  terminalBundleSize,
  utf8Encode,
  type TerminalBundle,
} from '@eid/shared';
import { honestLog } from '../../../scripts/vectors/national-trust-list';
import { NTL_VECTORS, reasonOf } from './vectors';

const terminal = NTL_VECTORS.terminal.bundle as TerminalBundle;

describe('terminal bundle', () => {
  it('when a bundle is encoded and decoded, then it reads back equal, from bytes, text or parsed JSON', () => {
    const bytes = encodeTerminalBundle(terminal);
    expect(decodeTerminalBundle(bytes)).toEqual(terminal);
    expect(decodeTerminalBundle(new TextDecoder().decode(bytes))).toEqual(terminal);
    expect(decodeTerminalBundle(JSON.parse(new TextDecoder().decode(bytes)))).toEqual(terminal);
    expect(terminalBundleSize(terminal)).toBe(bytes.length);
  });

  const first = terminal.statusLists[0]!;
  it.each<[string, unknown, string]>([
    ['not JSON', utf8Encode('{'), 'malformed_terminal_bundle'],
    ['an unknown member', { ...terminal, extra: 1 }, 'malformed_terminal_bundle'],
    [
      'a status list of province 99',
      { ...terminal, statusLists: [{ ...first, province: '99' }] },
      'malformed_terminal_bundle',
    ],
    [
      'a status list in padded base64',
      { ...terminal, statusLists: [{ ...first, list: `${first.list}=` }] },
      'malformed_terminal_bundle',
    ],
    [
      'a negative fetchedAt',
      { ...terminal, statusLists: [{ ...first, fetchedAt: -1 }] },
      'malformed_terminal_bundle',
    ],
    [
      'a status list with an unknown member',
      { ...terminal, statusLists: [{ ...first, size: 16 }] },
      'malformed_terminal_bundle',
    ],
    [
      'a trust bundle without its checkpoint',
      { ...terminal, trust: { ...terminal.trust, checkpoint: undefined } },
      'malformed_bundle',
    ],
  ])('when the bundle is %s, then %s', (_n, value, reason) => {
    expect(reasonOf(() => decodeTerminalBundle(value))).toBe(reason);
  });

  describe('estimateTerminalBundleSize', () => {
    const trust = honestLog().bundle();
    const input = { provinces: ['37', '42', '11'], cardsPerProvince: 200_000, trust };

    it('when estimated for 200 000 cards in 3 provinces, then it counts the trust bundle and 3 status lists, below the incompressible bound', () => {
      const e = estimateTerminalBundleSize(input);
      expect(e.statusListBytes).toHaveLength(3);
      expect(e.trustBytes).toBe(utf8Encode(JSON.stringify(trust)).length);
      const lists = e.statusListBytes.reduce((a, b) => a + b, 0);
      // base64url of the lists, plus the trust bundle and the JSON around them.
      expect(e.bytes).toBeGreaterThan(e.trustBytes + Math.ceil((lists * 4) / 3));
      expect(e.bytes).toBeLessThan(e.trustBytes + Math.ceil((lists * 4) / 3) + 1000);
      expect(e.worstCaseBytes).toBeGreaterThan(3 * Math.ceil((200_000 / 4) * (4 / 3)));
      expect(e.bytes).toBeLessThan(e.worstCaseBytes / 2);
    });

    it('when estimated twice with one seed, then the same bytes; with more revoked cards, then more bytes', () => {
      expect(estimateTerminalBundleSize(input)).toEqual(estimateTerminalBundleSize(input));
      const none = estimateTerminalBundleSize({ ...input, revokedFraction: 0, suspendedFraction: 0 });
      const many = estimateTerminalBundleSize({ ...input, revokedFraction: 0.05 });
      expect(none.bytes).toBeLessThan(estimateTerminalBundleSize(input).bytes);
      expect(many.bytes).toBeGreaterThan(estimateTerminalBundleSize(input).bytes);
    });

    it('when the inputs are not counts or shares, then it refuses them', () => {
      expect(() => estimateTerminalBundleSize({ ...input, cardsPerProvince: -1 })).toThrow(RangeError);
      expect(() =>
        estimateTerminalBundleSize({ ...input, revokedFraction: 0.8, suspendedFraction: 0.3 }),
      ).toThrow(RangeError);
    });
  });
});
