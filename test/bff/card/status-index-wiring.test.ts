import { randomBytes } from 'node:crypto';
import { startMocks, type Mocks } from '@eid/mock';
import { decodeAnyCredential } from '@eid/shared';
import { STATUS_BLOCK } from '@eid/bff/modules/card/status-index';
import { manualClock } from '@eid/bff/infra/clock';
import { startStack, type Stack } from '../../helpers/stack';
import { holderWithCard } from '../../helpers/card-flow';

/**
 * The status-list permutation (status-index.ts) with the key it runs under in production: the key
 * store's keyed hash, under EID_BLIND_INDEX_KEY. test/bff/status-index.test.ts proves the permutation
 * with a round function of its own; this proves the wiring, through the real stack. Two nodes with
 * different keys issue cards (each on its own database, so both hand out the same slots 0, 1, 2, ...)
 * and must place the same slots at different indexes; a third node with the first one's key must place
 * them exactly as the first does. A keyless round function places them alike on every node.
 */
describe('status-list indexes under the node key', () => {
  const KEY_A = randomBytes(32).toString('base64');
  const KEY_B = randomBytes(32).toString('base64');
  const CARDS = 4;
  let mocks: Mocks;
  const stacks: Stack[] = [];

  beforeAll(async () => {
    mocks = await startMocks({ clock: manualClock(Date.now()), faceHangMs: 2000 });
  });
  afterAll(async () => {
    for (const stack of stacks) await stack.stop();
    await mocks?.stop();
  });

  /** A node with this blind-index key on a database of its own, and the indexes of its first cards in issue order. */
  async function indexesOfNode(key: string): Promise<number[]> {
    const stack = await startStack({ mocks, env: { EID_BLIND_INDEX_KEY: key } });
    stacks.push(stack);
    const indexes: number[] = [];
    for (let i = 0; i < CARDS; i++) {
      const holder = await holderWithCard(stack);
      indexes.push(decodeAnyCredential(holder.credential).claims.statusIndex);
    }
    return indexes;
  }

  it('when two nodes with different keys issue cards, then the same slots sit at different indexes; the same key places them alike', async () => {
    const a = await indexesOfNode(KEY_A);
    const b = await indexesOfNode(KEY_B);
    const again = await indexesOfNode(KEY_A);

    for (const indexes of [a, b]) {
      expect(new Set(indexes).size).toBe(CARDS);
      for (const index of indexes) {
        expect(index).toBeGreaterThanOrEqual(0);
        expect(index).toBeLessThan(STATUS_BLOCK);
      }
      // Not issue order: the first slots of a block do not sit at its first indexes.
      expect(indexes).not.toEqual([0, 1, 2, 3]);
    }
    // Random keys: two slots land on one index by chance with probability about CARDS / 16384.
    expect(a.filter((index, slot) => index === b[slot]).length).toBeLessThanOrEqual(1);
    expect(again).toEqual(a);
  });
});
