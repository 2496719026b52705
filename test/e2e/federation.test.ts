import {
  base64urlDecode,
  base64urlEncode,
  buildCodeV2,
  decodeHolderSecrets,
  findPurpose,
  issuersOfList,
  openStatusList,
  openTrustBundle,
  signDeviceProof,
  trustListOf,
  verifyCode,
  type NationalTrustList,
  type StatusList,
} from '@eid/shared';
import { systemClock } from '@eid/bff/infra/clock';
import { nodeSha256 } from '@eid/bff/infra/ed25519';
import { DEV_STAFF } from '../helpers/stack';
import { enroll, freshPerson } from '../helpers/identity';
import { ed25519, newDevice, residentIdOf } from '../helpers/card-flow';
import { devBundleTrust, devNodeSigner, signedSubmission } from '../helpers/national';
import { startFederation, type Federation, type FederationNode } from '../helpers/federation';

/**
 * Issue 18 acceptance over separate OS processes: the national role and the provinces 37 (Shandong), 42
 * (Hubei) and 11 (Beijing), each its own BFF process with its own database, stand-ins and config file.
 */
describe('federation of province nodes under the national trust list', () => {
  let federation: Federation;
  let shandong: FederationNode;
  let hubei: FederationNode;
  let beijing: FederationNode;
  let sequence = 0;

  beforeAll(async () => {
    federation = await startFederation({ provinces: ['37', '42', '11'] });
    shandong = federation.provinces['37']!;
    hubei = federation.provinces['42']!;
    beijing = federation.provinces['11']!;
  }, 90_000);
  afterAll(async () => {
    await federation?.stop();
  });

  /** A resident of `node` with a card issued there. */
  async function holderAt(node: FederationNode) {
    const front = { api: node.api, mocks: node.mocks! };
    const person = freshPerson();
    const { token } = await enroll(front, person);
    const device = newDevice();
    const res = await node.api('POST', '/api/v1/card/issue', {
      token,
      body: {
        devicePublicKey: device.publicKey,
        deviceProof: signDeviceProof(device.keys, residentIdOf(token), Date.now(), ed25519),
      },
    });
    if (res.status !== 200) throw new Error(`issue answered ${res.status} ${JSON.stringify(res.body)}`);
    return {
      person,
      token,
      device,
      credential: base64urlDecode(res.body.credential),
      secrets: decodeHolderSecrets(base64urlDecode(res.body.holderSecrets)),
      kid: res.body.card.kid as string,
    };
  }
  type Holder = Awaited<ReturnType<typeof holderAt>>;

  const codeOf = (h: Holder, purpose = 'hotel_check_in') =>
    buildCodeV2({
      credential: h.credential,
      secrets: h.secrets,
      disclose: findPurpose(purpose)!.claims,
      purposeId: findPurpose(purpose)!.id,
      deviceSecretKey: h.device.keys.secretKey,
      now: Date.now(),
      ed25519,
      sha256: nodeSha256,
    });

  /** The list a node holds, read from its terminal bundle. */
  async function terminalBundleOf(node: FederationNode) {
    const res = await node.api('GET', '/api/v1/federation/terminal-bundle');
    expect(res.status).toBe(200);
    return res.body as {
      trust: any;
      statusLists: { province: string; kid: string; list: string; fetchedAt: number }[];
    };
  }
  const listIn = (bundle: { trust: any }): NationalTrustList => JSON.parse(bundle.trust.signed.list);

  /** Verifies `code` as an offline terminal of `node` does: its terminal bundle and the shared verifier only. */
  async function offlineAt(node: FederationNode, code: string) {
    const bundle = await terminalBundleOf(node);
    const now = Date.now();
    const opened = openTrustBundle(
      bundle.trust,
      devBundleTrust(systemClock),
      now,
      undefined,
      ed25519,
      nodeSha256,
    );
    const trustList = trustListOf(
      issuersOfList(opened.list, now),
      opened.list.issuedAt,
      opened.list.sequence,
    );
    const statusLists = new Map<string, StatusList>();
    for (const s of bundle.statusLists) {
      try {
        statusLists.set(s.kid, openStatusList(base64urlDecode(s.list), trustList, ed25519));
      } catch {
        // A status list under a key the list no longer vouches for is not used.
      }
    }
    return verifyCode(code, {
      trustList,
      statusLists,
      clock: { now: () => now },
      ed25519,
      maxStatusAgeMs: 3_600_000,
    });
  }

  async function staffTokenAt(node: FederationNode) {
    const res = await node.api('POST', '/api/v1/staff/login', { body: DEV_STAFF });
    expect(res.status).toBe(200);
    return res.body.accessToken as string;
  }

  let resident: Holder;

  it('when the national publishes, then all three provinces accept the list (their state shows its sequence)', async () => {
    sequence = await federation.publish();
    expect(sequence).toBe(federation.firstSequence! + 1);
    const states = await Promise.all(
      [shandong, hubei, beijing].map((n) => federation.waitForList(n, sequence)),
    );
    for (const [i, state] of states.entries()) {
      expect(state.province).toBe(['37', '42', '11'][i]);
      expect(state.sequence).toBe(sequence);
      // Each province cosigned the checkpoint it now holds.
      expect(state.witnessed?.treeSize).toBe(state.treeSize);
    }
    expect(new Set(states.map((s) => s.rootHash)).size).toBe(1);
  });

  it("when a Shandong resident shows a bright code to a Hubei offline terminal, then it verifies with Hubei's terminal bundle and the shared verifier", async () => {
    resident = await holderAt(shandong);
    expect(resident.kid).toBe('dev-37-1');
    // Hubei learns its peers' status lists when it starts with a list in hand: restart it so it fetches now.
    await federation.restart(hubei);
    await federation.until("Shandong's status list in Hubei's terminal bundle", async () =>
      (await terminalBundleOf(hubei)).statusLists.some((s) => s.kid === 'dev-37-1'),
    );
    const verdict = await offlineAt(hubei, codeOf(resident));
    expect(verdict).toMatchObject({ verdict: 'valid' });
  });

  it('when the Shandong code is shown at a Hubei window online, then Hubei shows Shandong\'s live answer and Shandong keeps the use as "湖北省 <window>" in the resident\'s trace', async () => {
    const staff = await staffTokenAt(hubei);
    const res = await hubei.api('POST', '/api/v1/verify', {
      token: staff,
      body: { code: codeOf(resident), purpose: 'hotel_check_in' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ verdict: 'valid', status: 'live', issuer: { province: '37' } });
    expect(res.body.card.name).toBe(resident.person.name);
    const usage = await shandong.api('GET', '/api/v1/usage?limit=100', { token: resident.token });
    expect(usage.status).toBe(200);
    const entry = (usage.body.items as any[]).find((e) => e.action === 'card.verify');
    expect(entry).toMatchObject({ actor: { type: 'staff' }, purpose: 'hotel_check_in', result: 'ok' });
    expect(entry.actor.displayName).toMatch(/^湖北省 /);
  });

  it('when Shandong is killed in the middle of a run, then Hubei still answers honestly: a Shandong code gets a verdict, never a 5xx', async () => {
    const staff = await staffTokenAt(hubei);
    const code = codeOf(resident);
    // Checks keep coming at the Hubei window while Shandong dies under them.
    const answers: { status: number; verdict?: string; afterKill: boolean }[] = [];
    let killed = false;
    let running = true;
    const window = (async () => {
      while (running) {
        const res = await hubei.api('POST', '/api/v1/verify', {
          token: staff,
          body: { code: codeOf(resident), purpose: 'hotel_check_in' },
        });
        answers.push({ status: res.status, verdict: res.body?.verdict, afterKill: killed });
      }
    })();
    await federation.until('checks before the kill', async () => answers.length >= 3);
    await federation.kill(shandong);
    killed = true;
    await federation.until(
      'checks after the kill',
      async () => answers.filter((a) => a.afterKill).length >= 3,
    );
    running = false;
    await window;
    for (const a of answers) {
      expect(a.status).toBe(200);
      // A code of a valid card: never a wrong revoked, whether Shandong answered or not.
      expect(['valid', 'replayed']).toContain(a.verdict);
    }
    try {
      const verify = await hubei.api('POST', '/api/v1/verify', {
        token: staff,
        body: { code, purpose: 'hotel_check_in' },
      });
      expect(verify.status).toBeLessThan(500);
      expect(verify.status).toBe(200);
      // The offline verdict, honestly marked: Shandong could not say whether the card is still valid.
      expect(verify.body).toMatchObject({ verdict: 'valid', status: 'unknown' });
      expect(['timeout', 'unreachable', 'server_error', 'circuit_open']).toContain(verify.body.statusReason);
      expect(verify.body.statusList.ageMs).toBeGreaterThanOrEqual(0);
      const [state, bundle] = await Promise.all([
        hubei.api('GET', '/api/v1/federation/state'),
        hubei.api('GET', '/api/v1/federation/terminal-bundle'),
      ]);
      expect([state.status, bundle.status]).toEqual([200, 200]);
      expect(state.body.sequence).toBe(sequence);
      // The offline path does not need Shandong at all.
      expect((await offlineAt(hubei, code)).verdict).toBe('valid');
    } finally {
      await federation.restart(shandong);
    }
    // Back with its database and config file: it holds the list it had.
    expect((await federation.waitForList(shandong, sequence)).sequence).toBe(sequence);
  });

  const newIssuer = { kid: 'sd-issuer-2026-2', publicKey: base64urlEncode(newDevice().keys.publicKey) };

  it("when Shandong submits a new issuer key signed by its current node key and the operator approves it, then the next list carries both keys; retiring the old one gives it a notAfter, and Shandong's codes still verify in the overlap", async () => {
    const url = `${federation.national!.url}/api/v1/national/submissions`;
    const body = {
      keys: [{ kid: newIssuer.kid, use: 'issuer', publicKey: newIssuer.publicKey, notBefore: Date.now() }],
    };
    const { headers, raw } = signedSubmission(url, body, devNodeSigner('37', systemClock), Date.now());
    const submitted = await federation.national!.api('POST', '/api/v1/national/submissions', {
      headers,
      raw,
    });
    expect(submitted.status).toBe(202);
    expect(submitted.body).toMatchObject({ province: '37', state: 'pending' });
    const approved = await federation.operator(
      'POST',
      `/api/v1/national/submissions/${submitted.body.id}/approve`,
      { body: {} },
    );
    expect(approved.status).toBe(200);
    sequence = await federation.publish();
    await Promise.all([shandong, hubei, beijing].map((n) => federation.waitForList(n, sequence)));
    const listed = listIn(await terminalBundleOf(hubei)).keys.filter(
      (k) => k.province === '37' && k.use === 'issuer',
    );
    expect(listed.map((k) => [k.kid, k.status]).sort()).toEqual([
      ['dev-37-1', 'active'],
      [newIssuer.kid, 'active'],
    ]);

    const notAfter = Date.now() + 3_600_000;
    const retired = await federation.operator('POST', '/api/v1/national/keys/dev-37-1/retire', {
      body: { notAfter },
    });
    expect(retired.status).toBe(200);
    sequence = await federation.publish();
    await Promise.all([shandong, hubei, beijing].map((n) => federation.waitForList(n, sequence)));
    const old = listIn(await terminalBundleOf(beijing)).keys.find((k) => k.kid === 'dev-37-1')!;
    expect(old).toMatchObject({ status: 'retired', notAfter });
    expect(old.history.map((h) => h.status)).toEqual(['active', 'retired']);
    expect((await offlineAt(hubei, codeOf(resident))).verdict).toBe('valid');
  });

  it('when a key is marked compromised, then it stops verifying elsewhere: at the next refresh, and at once by an emergency push, its history kept', async () => {
    // Normal refresh: the new key, with no push; the provinces pick it up on their own.
    const quiet = await federation.operator('POST', `/api/v1/national/keys/${newIssuer.kid}/compromise`, {
      body: { reason: 'key ceremony laptop lost' },
    });
    expect(quiet.status).toBe(200);
    sequence += 1;
    await Promise.all([hubei, beijing].map((n) => federation.waitForList(n, sequence)));
    const marked = listIn(await terminalBundleOf(hubei)).keys.find((k) => k.kid === newIssuer.kid)!;
    expect(marked.status).toBe('compromised');
    expect(marked.history.at(-1)).toMatchObject({
      status: 'compromised',
      reason: 'key ceremony laptop lost',
    });

    // Emergency: pushed to every node, which hold the new list when the operator's call returns.
    const code = codeOf(resident);
    expect((await offlineAt(hubei, code)).verdict).toBe('valid');
    const urgent = await federation.operator('POST', '/api/v1/national/keys/dev-37-1/compromise', {
      body: { reason: 'issuer key leaked', emergency: true },
    });
    expect(urgent.status).toBe(200);
    sequence += 1;
    expect(urgent.body.pushes.map((p: any) => [p.province, p.delivered]).sort()).toEqual([
      ['11', true],
      ['37', true],
      ['42', true],
    ]);
    for (const n of [hubei, beijing]) {
      const state = await n.api('GET', '/api/v1/federation/state');
      expect(state.body.sequence).toBe(sequence);
      expect((await offlineAt(n, code)).verdict).toBe('unknown_issuer');
    }
    const staff = await staffTokenAt(hubei);
    const online = await hubei.api('POST', '/api/v1/verify', {
      token: staff,
      body: { code, purpose: 'hotel_check_in' },
    });
    expect(online.status).toBeLessThan(500);
    expect(online.body.verdict).toBe('unknown_issuer');
  });
});
