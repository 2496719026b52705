import {
  cosignatureVerifier,
  ed25519NoteSigner,
  formatCheckpoint,
  newSignatureNonce,
  openNote,
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
  signNote,
} from '@eid/shared';
import { systemClock } from '@eid/bff/infra/clock';
import { devFederationKeys } from '@eid/bff/infra/keystore';
import { signNodeRequest } from '@eid/bff/modules/federation/node-signature-profile';
import { enroll, freshPerson } from '../helpers/identity';
import { devKeys } from '../helpers/national';
import { startFederation, type Federation, type FederationNode, stackOf } from '../helpers/federation';

/**
 * Issue 19 §6: Shandong (37) publishes signed checkpoints of its log of usage-chain heads; Hubei (42) and
 * Beijing (11) cosign each one that extends the last they cosigned for Shandong, and Hubei refuses a fork. Separate processes, separate
 * databases, the national role between them.
 */
// The development auditor every non-production node has (config.ts DEFAULT_DEV_AUDITOR).
const AUDITOR = { username: 'audit01', password: 'audit01-dev-password' };
const COSIGN = '/api/v1/federation/node/audit-checkpoints/cosign';

describe('audit checkpoints cosigned across provinces', () => {
  let federation: Federation;
  let shandong: FederationNode;
  let hubei: FederationNode;

  beforeAll(async () => {
    federation = await startFederation({
      provinces: ['37', '42', '11'],
      provinceSettings: { AUDIT_CHECKPOINT_INTERVAL_S: 0 },
    });
    shandong = federation.provinces['37']!;
    hubei = federation.provinces['42']!;
    for (const node of federation.nodes.filter((n) => n.who !== 'national'))
      await federation.waitForList(node, federation.firstSequence ?? 1, 60_000);
  }, 240_000);
  afterAll(async () => {
    await federation?.stop();
  });

  async function publish(node: FederationNode) {
    const login = await node.api('POST', '/api/v1/staff/login', { body: AUDITOR });
    expect(login.status).toBe(200);
    const res = await node.api('POST', '/api/v1/admin/audit/checkpoints', {
      token: login.body.accessToken,
      body: {},
    });
    expect(res.status).toBe(201);
    return res.body as { size: number; note: string; cosignatures: { province: string }[] };
  }

  /** A node request to Hubei's cosigner, signed with Shandong's (development) node key. */
  async function cosignAtHubei(body: unknown) {
    const url = `${hubei.url}${COSIGN}`;
    const bytes = new TextEncoder().encode(JSON.stringify(body));
    const headers = signNodeRequest({
      keys: devKeys('37', systemClock),
      method: 'POST',
      url,
      body: bytes,
      nonce: newSignatureNonce(),
      now: Date.now(),
    });
    const res = await fetch(url, { method: 'POST', headers, body: bytes });
    return { status: res.status, body: (await res.json()) as any };
  }

  /** A checkpoint of Shandong's log as an attacker holding Shandong's node key would sign it. */
  function forged(size: number, rootByte: number): string {
    const keys = devKeys('37', systemClock);
    const origin = 'eid-usage-heads/37';
    const signer = ed25519NoteSigner(
      origin,
      keys.nodeKeys()[0]!.publicKey,
      (m) => keys.signAsNode(m).signature,
    );
    const text = formatCheckpoint({
      origin,
      size,
      rootHash: new Uint8Array(32).fill(rootByte),
      extensions: [],
    });
    return signNote(text, [signer]);
  }

  const hubeiWitness = () =>
    cosignatureVerifier(parseVerifierKey(devFederationKeys('42').witnessVerifierKey));

  it('when Shandong publishes twice with new events between, then Hubei cosigns both and its cosignature verifies under its witness key', async () => {
    await enroll(stackOf(shandong), freshPerson());
    const first = await publish(shandong);
    expect(first.size).toBeGreaterThan(0);
    expect(first.cosignatures.map((c) => c.province)).toEqual(['11', '42']);
    expect(openNote(first.note, [hubeiWitness()]).verified).toHaveLength(1);

    await enroll(stackOf(shandong), freshPerson());
    const second = await publish(shandong);
    expect(second.size).toBeGreaterThan(first.size);
    expect(second.cosignatures.map((c) => c.province)).toEqual(['11', '42']);
    const cosigned = openNote(second.note, [hubeiWitness()]);
    expect(parseCheckpoint(cosigned.text).size).toBe(second.size);

    // Hubei publishes its own log too, cosigned by Shandong.
    const own = await publish(hubei);
    expect(own.cosignatures.map((c) => c.province)).toEqual(['11', '37']);
  }, 60_000);

  it('when a checkpoint inconsistent with the last one Hubei cosigned is sent, then Hubei refuses it as a fork', async () => {
    const latest = await shandong.api('GET', '/api/v1/audit/checkpoint');
    const size = latest.body.size as number;
    const plain = parseNote(latest.body.note).text;
    expect(parseCheckpoint(plain).size).toBe(size);

    // The same size with another root: two views of one log.
    const split = await cosignAtHubei({
      checkpoint: forged(size, 7),
      consistency: { fromSize: size, hashes: [] },
    });
    expect([split.status, split.body.code, split.body.details?.reason]).toEqual([
      409,
      'AUDIT_CHECKPOINT_INCONSISTENT',
      'split_view',
    ]);
    // A bigger tree whose proof does not lead from the cosigned one.
    const grown = await cosignAtHubei({
      checkpoint: forged(size + 3, 9),
      consistency: { fromSize: size, hashes: [Buffer.alloc(32, 1).toString('base64')] },
    });
    expect([grown.status, grown.body.code, grown.body.details?.reason]).toEqual([
      409,
      'AUDIT_CHECKPOINT_INCONSISTENT',
      'inconsistent',
    ]);
    // A smaller tree cannot extend the cosigned one: Hubei answers the size it holds.
    const shrunk = await cosignAtHubei({ checkpoint: forged(1, 3) });
    expect([shrunk.status, shrunk.body.code, shrunk.body.details]).toEqual([
      409,
      'AUDIT_CHECKPOINT_INCONSISTENT',
      { reason: 'old_size_mismatch', latestSize: size },
    ]);
    // Shandong cannot ask for a cosignature of Hubei's log.
    const other = await cosignAtHubei({
      checkpoint: (await hubei.api('GET', '/api/v1/audit/checkpoint')).body.note,
    });
    expect([other.status, other.body.code, other.body.details?.reason]).toEqual([
      400,
      'AUDIT_CHECKPOINT_INVALID',
      'unknown_origin',
    ]);

    // The honest checkpoint is still cosigned: the refusals changed nothing at Hubei.
    const again = await cosignAtHubei({
      checkpoint:
        latest.body.note.split('\n\n')[0] + '\n\n' + latest.body.note.split('\n\n')[1]!.split('\n')[0] + '\n',
      consistency: { fromSize: size, hashes: [] },
    });
    expect([again.status, again.body.treeSize]).toEqual([200, size]);
  }, 60_000);
});
