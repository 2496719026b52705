import { generateKeyPairSync } from 'node:crypto';
import { startMocks, type Mocks } from '@eid/mock';
import { manualClock } from '@eid/bff/infra/clock';
import { signNodeRequest } from '@eid/bff/modules/federation/node-signature-profile';
import { newSignatureNonce, type NationalTrustList } from '@eid/shared';
import { devBundleTrust, openBundle, PROVINCES, startNational, type National } from '../../helpers/national';
import { startStack, type Stack } from '../../helpers/stack';

// The national role against real province nodes (bff/src/modules/federation, in-process on port 0): their
// witness route cosigns its checkpoints, their push route accepts its emergency bundles, and their node key
// store signs their submissions.

describe('national role with real province nodes', () => {
  const start = Date.now();
  const clock = manualClock(start);
  const trust = devBundleTrust(clock);
  let mocks: Mocks;
  let nodes: Stack[];
  let national: National;

  beforeAll(async () => {
    mocks = await startMocks({ clock });
    // The national URL is never fetched here (no refresh timer runs); the witness needs only the pinned keys.
    nodes = await Promise.all(
      PROVINCES.map((p) =>
        startStack({
          mocks,
          startAt: start,
          env: { PROVINCE_CODE: p, FEDERATION_NATIONAL_URL: 'http://127.0.0.1:9' },
        }),
      ),
    );
    national = await startNational({
      provinces: nodes.map((n, i) => ({ province: PROVINCES[i], url: n.url })),
      clock,
    });
  });
  afterAll(async () => {
    await national.stop();
    await Promise.all(nodes.map((n) => n.stop().catch(() => undefined)));
    await mocks.stop();
  });

  const state = (node: Stack) => node.api('GET', '/api/v1/federation/state').then((r) => r.body);

  it('when the national publishes, then every province witness cosigns and records the tree', async () => {
    const res = await national.operator('POST', '/api/v1/national/publish');
    expect(res.body).toMatchObject({ published: true, sequence: 1, cosignatures: 3 });
    const served = (await national.api('GET', '/api/v1/national/trust-bundle')).body;
    expect(openBundle(served, trust, clock.now()).cosignatures).toHaveLength(3);
    for (const node of nodes) expect((await state(node)).witnessed).toMatchObject({ treeSize: 1 });

    clock.advance(60_000);
    for (const node of nodes) node.clock.set(clock.now());
    const next = await national.operator('POST', '/api/v1/national/publish');
    expect(next.body).toMatchObject({ published: true, sequence: 2, cosignatures: 3 });
    for (const node of nodes) expect((await state(node)).witnessed).toMatchObject({ treeSize: 2 });
  });

  it('when Shandong submits a key signed by its own node key store, then the national takes it', async () => {
    const url = `${national.url}/api/v1/national/submissions`;
    const spki = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' });
    const key = Buffer.from(spki.subarray(spki.length - 32)).toString('base64url');
    const body = new TextEncoder().encode(
      JSON.stringify({ keys: [{ kid: 'dev-37-2', use: 'issuer', publicKey: key, notBefore: 0 }] }),
    );
    const headers = signNodeRequest({
      keys: nodes[0]!.deps.keys,
      method: 'POST',
      url,
      body,
      nonce: newSignatureNonce(),
      now: clock.now(),
    });
    const res = await national.api('POST', '/api/v1/national/submissions', {
      headers,
      raw: new TextDecoder().decode(body),
    });
    expect([res.status, res.body.province, res.body.signedBy]).toEqual([202, '37', 'dev-node-37-1']);
  });

  it('when a key is compromised in an emergency, then every node holds the new list at once, and again the next time', async () => {
    clock.advance(60_000);
    for (const node of nodes) node.clock.set(clock.now());
    const first = await national.operator('POST', '/api/v1/national/keys/dev-42-1/compromise', {
      body: { reason: '密钥泄露', emergency: true },
    });
    expect(first.body.pushes.map((p: any) => p.delivered)).toEqual([true, true, true]);
    for (const node of nodes) expect((await state(node)).sequence).toBe(first.body.publication.sequence);

    clock.advance(60_000);
    for (const node of nodes) node.clock.set(clock.now());
    const second = await national.operator('POST', '/api/v1/national/keys/dev-node-11-1/compromise', {
      body: { reason: '设备丢失', emergency: true },
    });
    // The nodes now hold a tree: each push carries the proof from it, which the node checks.
    expect(second.body.pushes.map((p: any) => p.delivered)).toEqual([true, true, true]);
    for (const node of nodes) {
      const view = await state(node);
      expect(view.sequence).toBe(second.body.publication.sequence);
    }
    const held = nodes[0]!.services.federation.current()!;
    const list = JSON.parse(held.bundle.signed.list) as NationalTrustList;
    expect(list.keys.find((k) => k.kid === 'dev-42-1')!.status).toBe('compromised');
    expect(list.keys.find((k) => k.kid === 'dev-node-11-1')!.status).toBe('compromised');
  });

  it('when one province node is down, then two cosignatures still publish; with two down, nothing new is served', async () => {
    await nodes[2]!.stop();
    clock.advance(60_000);
    for (const node of nodes.slice(0, 2)) node.clock.set(clock.now());
    const res = await national.operator('POST', '/api/v1/national/publish');
    expect(res.body).toMatchObject({ published: true, cosignatures: 2 });
    expect(res.body.witnesses.find((w: any) => w.province === '11').outcome).toBe('unreachable');

    const before = (await national.api('GET', '/api/v1/national/trust-bundle')).body;
    await nodes[1]!.stop();
    const short = await national.operator('POST', '/api/v1/national/publish');
    expect([short.status, short.body.details?.cosignatures]).toEqual([503, 1]);
    expect((await national.api('GET', '/api/v1/national/trust-bundle')).body).toEqual(before);
  });
});
