import { newSignatureNonce } from '@eid/shared';
import { systemClock } from '@eid/bff/infra/clock';
import { signNodeRequest } from '@eid/bff/modules/federation/node-signature-profile';
import { codeOf, holderWithCard, staffToken, type Holder } from '../helpers/card-flow';
import { freshPerson } from '../helpers/identity';
import { devKeys } from '../helpers/national';
import { startFederation, type Federation, type FederationNode, stackOf } from '../helpers/federation';

/**
 * Issue 18 §4: a resident's household registration moves from Shandong (37) to Hubei (42). Hubei issues
 * the new card; Shandong, asked by Hubei with a fresh code of the old card as proof, revokes its own; the
 * trace Shandong kept stays readable from Hubei. Separate processes, separate databases.
 */
describe('moving a resident between provinces', () => {
  let federation: Federation;
  let shandong: FederationNode;
  let hubei: FederationNode;
  let beijing: FederationNode;

  beforeAll(async () => {
    federation = await startFederation({ provinces: ['37', '42', '11'] });
    shandong = federation.provinces['37']!;
    hubei = federation.provinces['42']!;
    beijing = federation.provinces['11']!;
    for (const node of [shandong, hubei, beijing])
      await federation.waitForList(node, federation.firstSequence ?? 1);
  }, 120_000);
  afterAll(async () => {
    await federation?.stop();
  });

  const freshCode = (node: FederationNode, holder: Holder) => codeOf(stackOf(node), holder, Date.now());

  async function verifyAt(node: FederationNode, code: string) {
    const token = await staffToken(stackOf(node));
    const res = await node.api('POST', '/api/v1/verify', {
      token,
      body: { code, purpose: 'hotel_check_in' },
    });
    expect(res.status).toBe(200);
    return res.body as { verdict: string; status?: string };
  }

  it('when a resident with a Shandong card enrols in Hubei and moves, then Shandong revokes its card everywhere, the Hubei card verifies, and the old trace is read from Hubei', async () => {
    const person = freshPerson();
    const old = await holderWithCard(stackOf(shandong), person);
    expect((await verifyAt(shandong, freshCode(shandong, old))).verdict).toBe('valid');
    const moved = await holderWithCard(stackOf(hubei), person);

    // Someone else enrolled in Hubei cannot end this card with a code of it: the holder digest differs.
    const stranger = await holderWithCard(stackOf(hubei));
    const stolen = await hubei.api('POST', '/api/v1/moves', {
      token: stranger.token,
      body: { formerCode: freshCode(shandong, old) },
    });
    expect([stolen.status, stolen.body.code, stolen.body.details?.reason]).toEqual([
      400,
      'MOVE_PROOF_INVALID',
      'not_holder',
    ]);
    expect((await verifyAt(shandong, freshCode(shandong, old))).verdict).toBe('valid');

    // A forged code (its last character changed) proves nothing.
    const code = freshCode(shandong, old);
    const forged = code.slice(0, -2) + (code.at(-2) === 'A' ? 'B' : 'A') + code.at(-1);
    const refused = await hubei.api('POST', '/api/v1/moves', {
      token: moved.token,
      body: { formerCode: forged },
    });
    expect([refused.status, refused.body.code]).toEqual([400, 'MOVE_PROOF_INVALID']);
    // Nor does a code of the card of the province one is in.
    const own = await hubei.api('POST', '/api/v1/moves', {
      token: moved.token,
      body: { formerCode: freshCode(hubei, moved) },
    });
    expect([own.status, own.body.details?.reason]).toEqual([400, 'same_province']);

    const res = await hubei.api('POST', '/api/v1/moves', {
      token: moved.token,
      body: { formerCode: freshCode(shandong, old) },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ province: '37', name: '山东省' });
    // Asked again (an answer lost on the way): the same move.
    const again = await hubei.api('POST', '/api/v1/moves', {
      token: moved.token,
      body: { formerCode: freshCode(shandong, old) },
    });
    expect(again.status).toBe(200);
    expect(again.body.movedAt).toBe(res.body.movedAt);

    // The old card is revoked at home and at every other province's window; the new one is valid.
    expect((await verifyAt(shandong, freshCode(shandong, old))).verdict).toBe('revoked');
    expect((await verifyAt(beijing, freshCode(shandong, old))).verdict).toBe('revoked');
    expect((await verifyAt(hubei, freshCode(shandong, old))).verdict).toBe('revoked');
    expect((await verifyAt(beijing, freshCode(hubei, moved))).verdict).toBe('valid');

    // The former home's trace, read from the new home: the earlier checks and the move itself.
    const homes = await hubei.api('GET', '/api/v1/moves', { token: moved.token });
    expect(homes.body.homes).toEqual([{ province: '37', name: '山东省', movedAt: res.body.movedAt }]);
    const former = await hubei.api('GET', '/api/v1/moves/former-usage?limit=50', { token: moved.token });
    expect(former.status).toBe(200);
    const page = former.body.homes[0].page;
    const actions = page.items.map((e: { action: string }) => e.action);
    expect(actions).toContain('move.out');
    expect(actions).toContain('card.verify');
    expect(page.items.find((e: any) => e.action === 'move.out').detail).toMatchObject({
      to: '42',
      toName: '湖北省',
    });
    // Hubei's own trace has the move in.
    const mine = await hubei.api('GET', '/api/v1/usage?limit=50', { token: moved.token });
    expect(mine.body.items.map((e: { action: string }) => e.action)).toContain('move.in');
    // The stranger has no former home.
    const none = await hubei.api('GET', '/api/v1/moves/former-usage', { token: stranger.token });
    expect(none.body.homes).toEqual([]);
  }, 120_000);

  it('when a node other than the one the resident moved to asks for the former trace, then the old home answers not found', async () => {
    const person = freshPerson();
    const old = await holderWithCard(stackOf(shandong), person);
    const moved = await holderWithCard(stackOf(hubei), person);
    const res = await hubei.api('POST', '/api/v1/moves', {
      token: moved.token,
      body: { formerCode: freshCode(shandong, old) },
    });
    expect(res.status).toBe(200);
    // The ref is the new home's to keep; Beijing signs with its own node key and guesses nothing, yet even
    // with a ref of this move it is refused. The test reads the ref from Shandong's database.
    const { MongoClient } = await import('mongodb');
    const mongo = await new MongoClient(process.env.MONGODB_URI!).connect();
    let ref: string;
    try {
      const doc = await mongo.db(shandong.dbName).collection('moves_out').findOne({ toProvince: '42' });
      ref = (doc as unknown as { ref: string }).ref;
    } finally {
      await mongo.close();
    }
    const url = `${shandong.url}/api/v1/federation/node/former-residents/${ref}/usage`;
    const ask = async (province: string) => {
      const headers = signNodeRequest({
        keys: devKeys(province, systemClock),
        method: 'GET',
        url,
        nonce: newSignatureNonce(),
        now: Date.now(),
      });
      return fetch(url, { headers });
    };
    const beijingAsks = await ask('11');
    expect(beijingAsks.status).toBe(404);
    expect((await beijingAsks.json()).code).toBe('NOT_FOUND');
    const hubeiAsks = await ask('42');
    expect(hubeiAsks.status).toBe(200);
    expect(((await hubeiAsks.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
    // Unsigned: nothing.
    const unsigned = await fetch(url);
    expect(unsigned.status).toBe(401);
  }, 120_000);
});
