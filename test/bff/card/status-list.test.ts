import { base64urlEncode, decodeAnyCredential } from '@eid/shared';
import { createCardRepository } from '@eid/bff/modules/card/card.repository';
import { STATUS_LIST_BLOCK, STATUS_LIST_REFRESH_MS } from '@eid/bff/modules/card/status-list.service';
import { createServices } from '@eid/bff/app';
import { startStack, type Stack } from '../../helpers/stack';
import { codeOf, holderWithCard, offlineLists, reissued, staffToken } from '../../helpers/card-flow';

// Card: status lists and status slots. One stack (BFF, stand-ins, database) serves every test of this file.
let stack: Stack;
beforeAll(async () => void (stack = await startStack()));
afterAll(() => stack.stop());

it('when the status list is downloaded, then it carries cache headers and answers 304 until a status changes', async () => {
  const holder = await holderWithCard(stack);
  const kid = holder.card.kid;
  const first = await stack.api('GET', `/api/v1/status-lists/${kid}`);
  expect(first.status).toBe(200);
  expect(first.headers.get('cache-control')).toBe('public, max-age=60');
  const etag = first.headers.get('etag')!;
  expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
  expect(new Date(first.headers.get('last-modified')!).getTime()).toBe(first.body.issuedAt);
  expect(first.body).toEqual({
    kid,
    issuedAt: expect.any(Number),
    ttlSeconds: 300,
    statusList: expect.any(String),
  });

  const again = await stack.api('GET', `/api/v1/status-lists/${kid}`, {
    headers: { 'if-none-match': etag },
  });
  expect(again.status).toBe(304);

  await stack.api('POST', '/api/v1/card/suspend', { token: holder.token, body: {} });
  const changed = await stack.api('GET', `/api/v1/status-lists/${kid}`, {
    headers: { 'if-none-match': etag },
  });
  expect(changed.status).toBe(200);
  expect(changed.headers.get('etag')).not.toBe(etag);

  const { statusLists } = await offlineLists(stack);
  expect(statusLists.get(kid)!.size % STATUS_LIST_BLOCK).toBe(0);
});

it('when another process builds the status list later in the same refresh period, then it has the same bytes and ETag', async () => {
  const holder = await holderWithCard(stack);
  const kid = holder.card.kid;
  // Leave room inside the current refresh period (the clock only moves forward).
  const periodEnd = () =>
    (Math.floor(stack.clock.now() / STATUS_LIST_REFRESH_MS) + 1) * STATUS_LIST_REFRESH_MS;
  if (periodEnd() - stack.clock.now() < 2000) stack.clock.set(periodEnd());
  const first = await stack.api('GET', `/api/v1/status-lists/${kid}`);
  expect(first.status).toBe(200);
  stack.clock.set(Math.min(stack.clock.now() + 60_000, periodEnd() - 1));
  // Services of their own, with empty caches, as a second BFF process on the same database has.
  const other = await createServices(stack.deps).statusLists.signed(kid);
  expect(base64urlEncode(other.bytes)).toBe(first.body.statusList);
  expect(other.etag).toBe(first.headers.get('etag'));
  expect(other.issuedAt).toBe(first.body.issuedAt);
});

it('when a genuine credential names another status slot than its card has, then online checks answer status_unknown', async () => {
  const holder = await holderWithCard(stack);
  const { claims } = decodeAnyCredential(holder.credential);
  // Signed by this node's own issuer key, bound to the holder's device: only the slot is not the card's,
  // so the status list entry it points at says nothing about this card.
  const elsewhere = reissued(stack, holder, { statusIndex: claims.statusIndex ^ 1 });
  const staff = await staffToken(stack);
  const check = (credential: Uint8Array) =>
    stack.api('POST', '/api/v1/verify', {
      token: staff,
      body: {
        code: codeOf(stack, { device: holder.device, credential, secrets: holder.secrets }),
        purpose: 'hotel_check_in',
      },
    });
  expect((await check(holder.credential)).body.verdict).toBe('valid');
  const res = await check(elsewhere);
  expect(res.status).toBe(200);
  expect(res.body.verdict).toBe('status_unknown');
  expect(res.body.card).toBeUndefined();
});

it('when a status list is asked for a key this node does not hold, then 404 ISSUER_UNKNOWN', async () => {
  const res = await stack.api('GET', '/api/v1/status-lists/nobody-1');
  expect(res.status).toBe(404);
  expect(res.body.code).toBe('ISSUER_UNKNOWN');
});

it('when many status-list slots are taken at once, then every one is different', async () => {
  const repo = createCardRepository(stack.deps.db);
  const taken = await Promise.all(Array.from({ length: 40 }, () => repo.allocateSequence('parallel-kid', 0)));
  expect(new Set(taken).size).toBe(40);
  expect(Math.max(...taken)).toBe(39);
});

it('when cards are issued one after another, then their status indexes are unique and not in issue order', async () => {
  const indexes: number[] = [];
  for (let i = 0; i < 8; i++) {
    const holder = await holderWithCard(stack);
    indexes.push(decodeAnyCredential(holder.credential).claims.statusIndex);
  }
  expect(new Set(indexes).size).toBe(8);
  for (const index of indexes) expect(index).toBeLessThan(STATUS_LIST_BLOCK);
  expect([...indexes].sort((a, b) => a - b)).not.toEqual(indexes);
  // Every other card issued by this file came before, so these would be consecutive if taken in order.
  expect(Math.max(...indexes) - Math.min(...indexes)).toBeGreaterThan(8);
});

it('when a status counter was begun before indexes were permuted, then new slots start in a fresh block', async () => {
  const repo = createCardRepository(stack.deps.db);
  const counters = stack.deps.db.collection('status_counters');
  // A counter as the earlier release left it: cards at indexes 0..4 in order, and no permutedFrom.
  await counters.insertOne({ _id: 'status:legacy-kid', next: 5, changedAt: 1, version: 3 } as never);
  const taken = await Promise.all(Array.from({ length: 12 }, () => repo.allocateSequence('legacy-kid', 2)));
  expect(new Set(taken).size).toBe(12);
  expect(Math.min(...taken)).toBe(STATUS_LIST_BLOCK);
  expect(Math.max(...taken)).toBe(STATUS_LIST_BLOCK + 11);
  expect(await counters.findOne({ _id: 'status:legacy-kid' } as never)).toMatchObject({
    next: STATUS_LIST_BLOCK + 12,
    permutedFrom: STATUS_LIST_BLOCK,
    changedAt: 1,
    version: 3,
  });
  expect(await repo.counter('legacy-kid')).toMatchObject({ next: STATUS_LIST_BLOCK + 12 });
});
