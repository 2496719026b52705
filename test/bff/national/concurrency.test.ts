import { base64Encode, parseCheckpoint, parseNote, type TrustBundle } from '@eid/shared';
import { manualClock } from '@eid/bff/infra/clock';
import { call } from '../../helpers/http';
import {
  PROVINCES,
  openBundle,
  devBundleTrust,
  enrolmentOf,
  startNational,
  startWitnessProvince,
  type National,
  type WitnessProvince,
} from '../../helpers/national';
import { DEV_NATIONAL_OPERATOR_TOKEN } from '@eid/bff/national/national.types';

describe('national role: concurrent publications', () => {
  const clock = manualClock(Date.now());
  const trust = devBundleTrust(clock);
  let witnesses: WitnessProvince[];
  let national: National;

  beforeAll(async () => {
    witnesses = await Promise.all(PROVINCES.map((p) => startWitnessProvince(p, clock)));
    national = await startNational({ provinces: enrolmentOf(witnesses), clock });
  });
  afterAll(async () => {
    await national.stop();
    await Promise.all(witnesses.map((w) => w.stop()));
  });

  it('when two national processes publish at the same moment, again and again, then sequences never repeat and every tree extends the last', async () => {
    const other = await national.second();
    const publishAt = (url: string) =>
      call(url, 'POST', '/api/v1/national/publish', { token: DEV_NATIONAL_OPERATOR_TOKEN });
    const outcomes = (
      await Promise.all([
        publishAt(national.url),
        publishAt(other.url),
        publishAt(national.url),
        publishAt(other.url),
        publishAt(national.url),
        publishAt(other.url),
      ])
    ).map((r) => {
      expect(r.status).toBe(200);
      return r.body;
    });
    const sequences = outcomes.map((o) => o.sequence).sort((a, b) => a - b);
    expect(sequences).toEqual([1, 2, 3, 4, 5, 6]);
    // The leaf of sequence n sits at index n - 1: one list per index, no gap, no fork.
    for (const o of outcomes) expect(o.treeSize).toBe(o.sequence);
    expect(outcomes.every((o) => o.cosignatures === 3)).toBe(true);

    // Each witness was asked about trees 1 to 6 in order: publications never overlapped, whichever process ran them.
    for (const w of witnesses)
      expect(w.submitted.map((n) => parseCheckpoint(parseNote(n).text).size)).toEqual([1, 2, 3, 4, 5, 6]);

    // A node holding any earlier tree gets a proof that the served one extends it, from either process.
    const heads = witnesses[0]!.submitted.map((n) => parseCheckpoint(parseNote(n).text));
    for (const url of [national.url, other.url])
      for (const head of heads.slice(0, 5)) {
        const held = { sequence: head.size, treeSize: head.size, rootHash: base64Encode(head.rootHash) };
        const next = (await call(url, 'GET', `/api/v1/national/trust-bundle?from=${head.size}`))
          .body as TrustBundle;
        expect(openBundle(next, trust, clock.now(), held).state).toMatchObject({
          sequence: 6,
          treeSize: 6,
        });
      }
  });
});
