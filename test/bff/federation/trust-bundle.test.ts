import { base64urlDecode, openTrustList } from '@eid/shared';
import { createServices } from '@eid/bff/app';
import { startBackgroundWork } from '@eid/bff/background';
import { codeOf, ed25519, holderWithCard, staffToken } from '../../helpers/card-flow';
import { expectError } from '../../helpers/enrollment';
import {
  compromised,
  DAY,
  listOf,
  NationalLog,
  startNationalStandIn,
  type NationalStandIn,
} from '../../helpers/national-log';
import { startStack, type Stack } from '../../helpers/stack';

// A province node accepts the national trust list only as openTrustBundle allows (root signature, expiry,
// never a lower sequence, the witness quorum, inclusion and consistency), by its refresh or the emergency push,
// and applies it at once: every province's usable issuer keys, a compromised one gone.
let national: NationalStandIn;
let stack: Stack;
let log: NationalLog;
let nodes: { province: string; url: string }[];

beforeAll(async () => {
  // The log dates its cosignatures by the node's clock (a national in step with it).
  log = new NationalLog({ now: () => stack?.clock.now() ?? Date.now() });
  national = await startNationalStandIn(log);
  stack = await startStack({
    env: { PROVINCE_CODE: '37', FEDERATION_NATIONAL_URL: national.url, FEDERATION_TIMEOUT_MS: '500' },
  });
  nodes = [
    { province: '37', url: stack.url },
    { province: '42', url: 'http://127.0.0.1:9' },
  ];
});
afterAll(async () => {
  await stack.stop();
  await national.stop();
});

const state = async () => (await stack.api('GET', '/api/v1/federation/state')).body;
const push = (body: unknown) => stack.api('POST', '/api/v1/federation/trust-push', { body });

describe('refresh', () => {
  it('when the national serves a good bundle, then the node accepts it and shows its state', async () => {
    log.append(listOf(1, stack.clock.now() - 60_000, nodes));
    const outcome = await stack.services.federation.refresh();
    expect(outcome).toEqual({ outcome: 'accepted', sequence: 1 });
    expect(await state()).toMatchObject({ province: '37', sequence: 1, treeSize: 1 });
    expect(national.hits.at(-1)).toBe('/api/v1/national/trust-bundle');
    // Asked again, from its tree size: the same list.
    expect(await stack.services.federation.refresh()).toEqual({ outcome: 'unchanged', sequence: 1 });
    expect(national.hits.at(-1)).toBe('/api/v1/national/trust-bundle?from=1');
  });

  it('when the next publication has a lower sequence, then it is refused and the node keeps its list', async () => {
    log.append(listOf(0, stack.clock.now(), nodes));
    const outcome = await stack.services.federation.refresh();
    expect(outcome).toEqual({
      outcome: 'refused',
      code: 'FEDERATION_BUNDLE_INVALID',
      reason: 'lower_sequence',
    });
    expect(await state()).toMatchObject({ sequence: 1, treeSize: 1 });
  });

  it('when a bundle carries too few witness cosignatures, then it is refused', async () => {
    log.append(listOf(3, stack.clock.now(), nodes));
    national.serve((from) => log.bundle({ from, cosigners: ['42'] }));
    try {
      const outcome = await stack.services.federation.refresh();
      expect(outcome).toEqual({
        outcome: 'refused',
        code: 'FEDERATION_BUNDLE_INVALID',
        reason: 'quorum_not_met',
      });
      expect(await state()).toMatchObject({ sequence: 1 });
    } finally {
      national.serve(log);
    }
  });

  it('when the list has expired, then it is refused', async () => {
    log.append(listOf(4, stack.clock.now() - 3 * DAY, nodes));
    const outcome = await stack.services.federation.refresh();
    expect(outcome).toEqual({ outcome: 'refused', code: 'FEDERATION_BUNDLE_INVALID', reason: 'expired' });
    expect(await state()).toMatchObject({ sequence: 1 });
  });

  it('when the national is unreachable, then the node keeps its list and says so', async () => {
    const elsewhere = createServices({
      ...stack.deps,
      config: { ...stack.config, FEDERATION_NATIONAL_URL: 'http://127.0.0.1:9' },
    });
    await elsewhere.federation.reload();
    expect(await elsewhere.federation.refresh()).toMatchObject({
      outcome: 'unreachable',
      code: 'UPSTREAM_UNAVAILABLE',
    });
    expect(elsewhere.federation.current()?.sequence).toBe(1);
  });
});

describe('push and applying the list', () => {
  it("when a list marking this node's issuer key compromised is pushed, then codes of that key verify as an unknown issuer at once", async () => {
    const holder = await holderWithCard(stack);
    const staff = await staffToken(stack);
    const verify = async () =>
      (
        await stack.api('POST', '/api/v1/verify', {
          token: staff,
          body: { code: codeOf(stack, holder), purpose: 'hotel_check_in' },
        })
      ).body;
    expect((await verify()).verdict).toBe('valid');
    stack.clock.advance(1000);
    // Another province's key from the list is trusted here too, as is this node's own, in the signed trust list.
    const before = openTrustList(
      base64urlDecode((await stack.api('GET', '/api/v1/trust-list')).body.trustList),
      stack.deps.keys.trustRootPublicKey(),
      ed25519,
    );
    expect([...before.issuers.keys()].sort()).toEqual(['dev-37-1', 'dev-42-1']);

    const at = stack.clock.now();
    log.append(listOf(5, at, nodes, (keys) => compromised(keys, 'dev-37-1', at)));
    const res = await push(log.bundle({ from: 1 }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ sequence: 5, treeSize: log.leaves.length });

    const after = await verify();
    expect(after.verdict).toBe('unknown_issuer');
    const list = openTrustList(
      base64urlDecode((await stack.api('GET', '/api/v1/trust-list')).body.trustList),
      stack.deps.keys.trustRootPublicKey(),
      ed25519,
    );
    expect([...list.issuers.keys()]).toEqual(['dev-42-1']);
    expect(list.sequence).toBeGreaterThan(before.sequence);

    // Another process of this node, which took no push, applies the stored list when it reloads.
    const other = createServices(stack.deps);
    expect(other.trust.issuers().map((i) => i.kid)).toEqual(['dev-37-1']);
    await other.federation.reload();
    expect(other.federation.current()?.sequence).toBe(5);
    expect(other.trust.issuers().map((i) => i.kid)).toEqual(['dev-42-1']);
  });

  it('when a push is not a good bundle, then it answers FEDERATION_BUNDLE_INVALID with a reason and nothing changes', async () => {
    const good = log.bundle({ from: 1 });
    const tampered = {
      ...good,
      signed: { ...good.signed, list: good.signed.list.replace('"sequence":5', '"sequence":6') },
    };
    const res = await push(tampered);
    expectError(res, 400, 'FEDERATION_BUNDLE_INVALID');
    expect(res.body.details.reason).toBe('bad_root_signature');
    expectError(await push({ signed: good.signed }), 400, 'VALIDATION_FAILED');
    expect(await state()).toMatchObject({ sequence: 5 });
  });
});

describe('a push made for another tree size', () => {
  it("when the pushed bundle has no proof from this node's tree, then the node fetches its own at once and takes the list", async () => {
    log.append(listOf(6, stack.clock.now(), nodes));
    const asked = national.hits.length;
    // Built for a node that held nothing: no consistency proof from this node's tree.
    const res = await push(log.bundle());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ sequence: 6, treeSize: log.leaves.length });
    expect(national.hits.slice(asked)).toEqual([
      `/api/v1/national/trust-bundle?from=${log.leaves.length - 1}`,
    ]);
  });
});

describe('background work of a federated node', () => {
  it('when it starts, then the national is asked at once and its three timers run until stopped', async () => {
    const hits = national.hits.length;
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
    let stop: () => Promise<void>;
    try {
      stop = startBackgroundWork(createServices(stack.deps));
      // The seven of a standalone node (see test/bff/app/background.test.ts), and the federation's three:
      // refresh, peers' status lists, reload.
      expect(jest.getTimerCount()).toBe(10);
    } finally {
      jest.useRealTimers();
    }
    await stop();
    expect(national.hits.length).toBeGreaterThan(hits);
  });
});
