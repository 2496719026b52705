/**
 * Where a card sits in its issuer's status list.
 *
 * Indexes handed out in issuance order would tell anyone who sees a credential (every staff terminal, every
 * offline verifier) roughly when it was issued and how many cards were issued before it. So the counter's
 * sequence numbers are not used as indexes directly: each block of `STATUS_BLOCK` sequence numbers is
 * mapped onto the same block of indexes by a keyed permutation, a balanced Feistel network of four rounds on
 * two 7-bit halves. With a pseudorandom round function four rounds give a pseudorandom permutation
 * (Luby and Rackoff), so without the key the order of indexes inside a block says nothing about the order
 * of issue, while a permutation keeps them unique with no coordination beyond the counter's `$inc`. The
 * list still grows one whole block at a time, so its size says only how many blocks were begun.
 */

/** Bits of an index inside its block; a block is also the unit in which status lists grow. */
export const STATUS_BLOCK_BITS = 14;
export const STATUS_BLOCK = 1 << STATUS_BLOCK_BITS;

const HALF_BITS = STATUS_BLOCK_BITS / 2;
const HALF_MASK = (1 << HALF_BITS) - 1;
const ROUNDS = 4;

/** A keyed pseudorandom function of the round number and one half; only its low 7 bits are used. */
export type RoundFunction = (round: number, half: number) => number;

/** The status-list index of the `sequence`-th slot of a list, under the list's round function. */
export function statusIndexOf(sequence: number, round: RoundFunction): number {
  if (!Number.isSafeInteger(sequence) || sequence < 0)
    throw new RangeError('sequence must be a whole number');
  const block = sequence - (sequence % STATUS_BLOCK);
  let left = (sequence % STATUS_BLOCK) >>> HALF_BITS;
  let right = sequence & HALF_MASK;
  for (let r = 0; r < ROUNDS; r++) {
    const next = (left ^ round(r, right)) & HALF_MASK;
    left = right;
    right = next;
  }
  return block + ((left << HALF_BITS) | right);
}
