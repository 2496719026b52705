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
  let nodes: { province: string; url: string }[];

  beforeAll(async () => {
    const ports = { '37': await freePort(), '42': await freePort() };
    nodes = Object.entries(ports).map(([province, port]) => ({
      province,
      url: `http://127.0.0.1:${port}`,
    }));
    const now = Date.now();
    shandongView = new NationalLog(systemClock);
    shandongView.append(listOf(1, now - 60_000, nodes));
    hubeiView = shandongView.fork();
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

  it("when the national shows Hubei another tree that only Hubei's own witness cosigned, then Hubei refuses it (quorum 2) and keeps its list while Shandong moves on", async () => {
    const shandong = federation.provinces['37']!;
    const hubei = federation.provinces['42']!;
    await Promise.all([federation.waitForList(shandong, 1), federation.waitForList(hubei, 1)]);
    const mark = hubei.process!.logs.length;
    // Same sequence and size, different lists: Hubei's is issued a second later.
    const now = Date.now();
    shandongView.append(listOf(2, now - 30_000, nodes));
    hubeiView.append(listOf(2, now - 29_000, nodes));
    toHubei.serve((from) => hubeiView.bundle({ from, cosigners: ['42'] }));
    await federation.waitForList(shandong, 2);
    await federation.until("Hubei's refusal for too few cosignatures", async () =>
      hubei.process!.logs.slice(mark).some((l) => l.includes('quorum_not_met')),
    );
    const state = await hubei.api('GET', '/api/v1/federation/state');
    expect(state.status).toBe(200);
    expect(state.body.sequence).toBe(1);
  });

  it('when the lie is cosigned by enough witnesses so that each province got its own tree of the same size, then gossip between them marks a split view on their state, and no later list is accepted', async () => {
    const shandong = federation.provinces['37']!;
    const hubei = federation.provinces['42']!;
    // The lie now carries every witness's cosignature (the development witness seeds are public): each node
    // alone accepts its view; only comparing views can catch it. Hubei may have caught it already, by
    // gossip, while it was refusing the under-cosigned tree.
    toHubei.serve(hubeiView);
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
    const sequence = (await detector!.api('GET', '/api/v1/federation/state')).body.sequence as number;
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
