import { expectError } from '../../helpers/enrollment';
import { listOf, NationalLog, startNationalStandIn, type NationalStandIn } from '../../helpers/national-log';
import { staffToken } from '../../helpers/party';
import { startStack, type Stack } from '../../helpers/stack';

// A national operator who shows Shandong one list and Hubei another is caught when the nodes gossip their
// checkpoints: the same tree size with two roots, or a tree the national cannot prove the other extends.
let national: NationalStandIn;
let shandong: Stack;
let hubei: Stack;
let honest: NationalLog;
let nodes: { province: string; url: string }[];

beforeAll(async () => {
  const clock = { now: () => shandong?.clock.now() ?? Date.now() };
  honest = new NationalLog(clock);
  national = await startNationalStandIn(honest);
  const env = (province: string) => ({ PROVINCE_CODE: province, FEDERATION_NATIONAL_URL: national.url });
  shandong = await startStack({ env: env('37') });
  hubei = await startStack({ env: env('42'), mocks: shandong.mocks });
  nodes = [
    { province: '37', url: shandong.url },
    { province: '42', url: hubei.url },
  ];
});
afterAll(async () => {
  await hubei.stop();
  await shandong.stop();
  await national.stop();
});

const stateOf = async (node: Stack) => (await node.api('GET', '/api/v1/federation/state')).body;
const push = (node: Stack, body: unknown) => node.api('POST', '/api/v1/federation/trust-push', { body });
/** The operator clears the record through the BFF (an administrator, with a reason); the evidence stays. */
async function clearSplitView(node: Stack) {
  const res = await node.api('POST', '/api/v1/federation/split-view/clear', {
    token: await staffToken(node, 'administrator'),
    body: { reason: '已核实并通报国家级运维 (reported to the national operator)' },
  });
  expect(res.status).toBe(200);
  expect((await stateOf(node)).splitView).toBeUndefined();
  const kept = await node.deps.db
    .collection('fed_state')
    .findOne({ _id: { $regex: '^split-view-cleared:' }, ours: res.body.cleared.ours } as never);
  expect(kept).toMatchObject({
    clearReason: expect.stringContaining('reported'),
    theirs: res.body.cleared.theirs,
  });
}

/** The witness endpoint of `node` cosigns `log`'s checkpoint; the line is added to what the national serves. */
async function cosignAt(node: Stack, log: NationalLog, fromSize: number): Promise<string> {
  const res = await node.api('POST', '/api/v1/federation/witness', {
    body: { checkpoint: log.logSigned(), consistency: { fromSize, hashes: log.consistency(fromSize) } },
  });
  expect(res.status).toBe(200);
  return res.body.cosignature;
}

describe('gossip between two nodes', () => {
  /** What a lying national shows each province. */
  let forShandong: NationalLog;
  let forHubei: NationalLog;

  it('when both hold the same tree, one of them behind, then the national proves it and gossip finds nothing', async () => {
    honest.append(listOf(1, Date.now() - 60_000, nodes));
    for (const node of [shandong, hubei]) {
      await cosignAt(node, honest, 0);
      expect((await push(node, honest.bundle())).status).toBe(200);
    }
    honest.append(listOf(2, Date.now() - 30_000, nodes));
    await cosignAt(shandong, honest, 1);
    expect((await push(shandong, honest.bundle({ from: 1 }))).status).toBe(200);
    const asked = national.hits.length;
    await shandong.services.federation.gossip();
    await hubei.services.federation.gossip();
    // Sizes 2 and 1: each node had the national prove both checkpoints are on its current tree.
    expect(national.hits.length - asked).toBe(4);
    expect((await stateOf(shandong)).splitView).toBeUndefined();
    expect((await stateOf(hubei)).splitView).toBeUndefined();
    await cosignAt(hubei, honest, 1);
    expect((await push(hubei, honest.bundle({ from: 1 }))).status).toBe(200);
  });

  it('when the national shows each node another list of the same tree size, then gossip records a split view and the node refuses further lists', async () => {
    forShandong = honest.fork();
    forHubei = honest.fork();
    forShandong.append(listOf(3, Date.now(), nodes));
    forHubei.append(listOf(3, Date.now(), nodes, (keys) => keys.filter((k) => k.kid !== 'dev-37-1')));
    // Each node witnesses only the tree it is shown; Beijing's witness (in the test) cosigns both.
    await cosignAt(shandong, forShandong, 2);
    await cosignAt(hubei, forHubei, 2);
    expect((await push(shandong, forShandong.bundle({ from: 2, cosigners: ['37', '11'] }))).status).toBe(200);
    expect((await push(hubei, forHubei.bundle({ from: 2, cosigners: ['42', '11'] }))).status).toBe(200);
    const [a, b] = [await stateOf(shandong), await stateOf(hubei)];
    expect([a.treeSize, b.treeSize]).toEqual([3, 3]);
    expect(a.rootHash).not.toBe(b.rootHash);

    await shandong.services.federation.gossip();
    const state = await stateOf(shandong);
    expect(state.splitView).toMatchObject({
      source: { kind: 'peer', province: '42' },
      reason: 'same_size_other_root',
    });
    expect(state.splitView.ours).toBe((await shandong.api('GET', '/api/v1/federation/checkpoint')).body);
    expect(state.splitView.theirs).toBe((await hubei.api('GET', '/api/v1/federation/checkpoint')).body);
    const line = shandong.logs
      .map((l) => JSON.parse(l))
      .find((l) => l.msg === 'federation split view detected');
    expect(line).toMatchObject({
      level: 'error',
      ours: state.splitView.ours,
      theirs: state.splitView.theirs,
    });

    forShandong.append(listOf(4, Date.now(), nodes));
    const refused = await push(shandong, forShandong.bundle({ from: 3, cosigners: ['37', '11'] }));
    expectError(refused, 409, 'FEDERATION_SPLIT_VIEW');
    expect(refused.body.details).toEqual({
      reason: 'split_view_recorded',
      ours: state.splitView.ours,
      theirs: state.splitView.theirs,
    });
    expect((await stateOf(shandong)).sequence).toBe(3);
    // Only an administrator clears it, with a reason; an officer or auditor is refused, the record stays.
    for (const role of ['officer', 'auditor', 'supervisor'] as const) {
      const refused = await shandong.api('POST', '/api/v1/federation/split-view/clear', {
        token: await staffToken(shandong, role),
        body: { reason: 'looks fine to me' },
      });
      expectError(refused, 403, 'FORBIDDEN');
    }
    const noReason = await shandong.api('POST', '/api/v1/federation/split-view/clear', {
      token: await staffToken(shandong, 'administrator'),
      body: {},
    });
    expectError(noReason, 400, 'VALIDATION_FAILED');
    expect((await stateOf(shandong)).splitView).toBeDefined();
    await clearSplitView(shandong);
    // Nothing left to clear.
    const again = await shandong.api('POST', '/api/v1/federation/split-view/clear', {
      token: await staffToken(shandong, 'administrator'),
      body: { reason: 'a second time' },
    });
    expectError(again, 404, 'NOT_FOUND');
  });

  it('when the trees differ in size, then the national cannot prove the other extends ours and gossip records a split view', async () => {
    // Shandong's tree grows to 4 (the list refused above, accepted now that the record is cleared); Hubei
    // stays on the other tree at 3. The national, serving Shandong's tree, has no proof from Hubei's.
    await cosignAt(shandong, forShandong, 3);
    expect((await push(shandong, forShandong.bundle({ from: 3, cosigners: ['37', '11'] }))).status).toBe(200);
    national.serve((from) => forShandong.bundle({ from, cosigners: ['37', '11'] }));
    const asked = national.hits.length;
    await shandong.services.federation.gossip();
    const state = await stateOf(shandong);
    expect(state.splitView).toMatchObject({
      source: { kind: 'peer', province: '42' },
      reason: 'not_an_extension',
    });
    expect(state.splitView.theirs).toBe((await hubei.api('GET', '/api/v1/federation/checkpoint')).body);
    expect(national.hits.slice(asked)).toEqual([
      '/api/v1/national/trust-bundle?from=4',
      '/api/v1/national/trust-bundle?from=3',
    ]);
  });

  it('when a bundle shows another root for the tree size this node holds, then it is refused and recorded as a split view', async () => {
    // Whatever the gossip above left recorded at Shandong is cleared first, so this bundle is judged alone.
    if ((await stateOf(shandong)).splitView) await clearSplitView(shandong);
    const third = honest.fork();
    third.append(listOf(3, Date.now(), nodes));
    third.append(listOf(4, Date.now(), nodes));
    const res = await push(shandong, third.bundle({ from: 2, cosigners: ['42', '11'] }));
    expectError(res, 409, 'FEDERATION_SPLIT_VIEW');
    expect(res.body.details.reason).toBe('split_view');
    const state = await stateOf(shandong);
    expect(state.splitView).toMatchObject({ source: { kind: 'bundle' }, reason: 'same_size_other_root' });
    expect(state.splitView.theirs).toBe(third.bundle({ from: 2, cosigners: ['42', '11'] }).checkpoint);
    expect(state.treeSize).toBe(4);
  });
});
