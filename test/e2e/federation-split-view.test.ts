import { systemClock } from '@eid/bff/infra/clock';
import { freePort, startFederation, type Federation } from '../helpers/federation';
import { listOf, NationalLog, startNationalStandIn, type NationalStandIn } from '../helpers/national-log';

/**
 * Issue 18 acceptance, split view: a lying national operator, built in the test from the development
 * national's root and log keys, shows Shandong (37) one tree and Hubei (42) another of the same size. Two real
 * province processes, each with its own database and config file, catch it by gossip between them (their
 * federation state shows the split view) and then refuse new lists; a fork carrying too few witness
 * cosignatures is refused by the quorum before anyone has to gossip.
 */
describe('federation: a national that shows two provinces different lists', () => {
  let federation: Federation;
  let toShandong: NationalStandIn;
  let toHubei: NationalStandIn;
  let shandongView: NationalLog;
  let hubeiView: NationalLog;

  beforeAll(async () => {
    const ports = { '37': await freePort(), '42': await freePort() };
    const nodes = Object.entries(ports).map(([province, port]) => ({
      province,
      url: `http://127.0.0.1:${port}`,
    }));
    const now = Date.now();
    shandongView = new NationalLog(systemClock);
    shandongView.append(listOf(1, now - 60_000, nodes));
    hubeiView = shandongView.fork();
    // Same sequence and size, different lists: Hubei's names a key Shandong's never saw.
    shandongView.append(listOf(2, now - 30_000, nodes));
    hubeiView.append(listOf(2, now - 29_000, nodes));
    toShandong = await startNationalStandIn(shandongView);
    toHubei = await startNationalStandIn(hubeiView);
    federation = await startFederation({
      provinces: ['37', '42'],
      ports,
      nationalUrlOf: (p) => (p === '37' ? toShandong.url : toHubei.url),
    });
  }, 60_000);

  afterAll(async () => {
    await federation?.stop();
    await toShandong?.stop();
    await toHubei?.stop();
  });

  it('when each province got its own tree of the same size, then gossip between them marks a split view on their state, and no later list is accepted', async () => {
    const shandong = federation.provinces['37']!;
    const hubei = federation.provinces['42']!;
    // Each first accepted the view it was shown: the lie passes every check a single node can make.
    const [s37, s42] = await Promise.all([
      federation.waitForList(shandong, 2),
      federation.waitForList(hubei, 2),
    ]);
    expect(s37.treeSize).toBe(2);
    expect(s42.treeSize).toBe(2);
    expect(s37.rootHash).not.toBe(s42.rootHash);

    let seen: any;
    await federation.until('a split view on a province state', async () => {
      const states = await Promise.all(
        [shandong, hubei].map((n) => n.api('GET', '/api/v1/federation/state')),
      );
      seen = states.map((s) => s.body.splitView).find(Boolean);
      return seen !== undefined;
    });
    expect(typeof seen.reason).toBe('string');
    expect(seen.ours).not.toEqual(seen.theirs);
    const detector = [shandong, hubei].find((n) =>
      n.process!.logs.some((l) => l.includes('federation split view detected')),
    );
    expect(detector).toBeDefined();

    // From then on the detecting node takes nothing new from the national, even a well-formed extension.
    const log = detector === shandong ? shandongView : hubeiView;
    const sequence = (detector === shandong ? s37 : s42).sequence as number;
    log.append(
      listOf(3, Date.now(), [
        { province: '37', url: shandong.url },
        { province: '42', url: hubei.url },
      ]),
    );
    const mark = detector!.process!.logs.length;
    await federation.until('a refresh after list 3 refused', async () =>
      detector!
        .process!.logs.slice(mark)
        .some((l) => l.includes('split_view_recorded') && l.includes('kept the held list')),
    );
    const after = await detector!.api('GET', '/api/v1/federation/state');
    expect(after.status).toBe(200);
    expect(after.body.sequence).toBe(sequence);
  });
});
