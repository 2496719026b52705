import { newSignatureNonce } from '@eid/shared';
import { systemClock } from '@eid/bff/infra/clock';
import { signNodeRequest } from '@eid/bff/modules/federation/node-signature-profile';
import { VEHICLE_TRANSFER, callResident, devStaffToken, traceOf } from '../helpers/document-call';
import { devKeys } from '../helpers/national';
import { startFederation, type Federation, type FederationNode, stackOf } from '../helpers/federation';

/**
 * Issue 18 §4: the document call when the window is in Hubei (42) and the resident and their licence system
 * are in Shandong (37). The request is Hubei's; the consent, the receipt and the trace stay in Shandong;
 * Hubei's window reads the documents from Shandong. Separate processes, separate databases.
 */
describe('document call across provinces', () => {
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

  /** A signed node call, as the node of `province` would make it. */
  async function nodeAsks(province: string, node: FederationNode, path: string) {
    const url = `${node.url}${path}`;
    const headers = signNodeRequest({
      keys: devKeys(province, systemClock),
      method: 'GET',
      url,
      nonce: newSignatureNonce(),
      now: Date.now(),
    });
    return fetch(url, { headers });
  }

  it('when a Hubei window asks a Shandong resident, then the resident answers at home, Shandong signs the receipt and keeps the trace, and the window reads the documents from Shandong', async () => {
    const window = await devStaffToken(stackOf(hubei));
    const resident = await callResident(stackOf(shandong));

    const created = await hubei.api('POST', '/api/v1/document-calls', {
      token: window,
      body: VEHICLE_TRANSFER,
    });
    expect(created.status).toBe(201);
    const { id, requestCode } = created.body as { id: string; requestCode: string };

    // Before anyone opened it, the window's own record answers.
    expect((await hubei.api('GET', `/api/v1/document-calls/${id}`, { token: window })).body).toMatchObject({
      state: 'pending',
      addressed: false,
    });

    const opened = await shandong.api('POST', '/api/v1/document-calls/open', {
      token: resident.token,
      body: { requestCode },
    });
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({ id, verified: true, state: 'pending' });
    // Opened again (the page reloaded): the same call.
    const reopened = await shandong.api('POST', '/api/v1/document-calls/open', {
      token: resident.token,
      body: { requestCode },
    });
    expect(reopened.status).toBe(200);
    // In the resident's list at home.
    const pending = await shandong.api('GET', '/api/v1/document-calls/pending', { token: resident.token });
    expect(pending.body.items.map((c: { id: string }) => c.id)).toContain(id);

    // The window now sees it as answered in Shandong.
    const seen = await hubei.api('GET', `/api/v1/document-calls/${id}`, { token: window });
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ state: 'pending', addressed: true, homeProvince: '37' });

    // Nobody else takes it: a Beijing resident (Beijing asks Hubei, which says it is taken), a Hubei one.
    const beijingResident = await callResident(stackOf(beijing));
    const taken = await beijing.api('POST', '/api/v1/document-calls/open', {
      token: beijingResident.token,
      body: { requestCode },
    });
    expect([taken.status, taken.body.code]).toEqual([409, 'DOCUMENT_CALL_WRONG_STATE']);
    const hubeiResident = await callResident(stackOf(hubei));
    const local = await hubei.api('POST', '/api/v1/document-calls/open', {
      token: hubeiResident.token,
      body: { requestCode },
    });
    expect([local.status, local.body.code]).toEqual([404, 'NOT_FOUND']);

    // The window cannot read before the approval.
    const early = await hubei.api('GET', `/api/v1/document-calls/${id}/documents`, { token: window });
    expect([early.status, early.body.code]).toEqual([409, 'DOCUMENT_CALL_WRONG_STATE']);

    const approved = await shandong.api('POST', `/api/v1/document-calls/${id}/approve`, {
      token: resident.token,
      body: { requestDigest: opened.body.requestDigest },
    });
    expect(approved.status).toBe(200);
    expect(approved.body.call.state).toBe('delivered');
    // Shandong signed the receipt, with its own issuer key.
    expect(approved.body.receipt.kid).toMatch(/37/);

    // The window's view, receipt (the same signed bytes), documents and annotated copy, all from Shandong.
    const after = await hubei.api('GET', `/api/v1/document-calls/${id}`, { token: window });
    expect(after.body).toMatchObject({ state: 'delivered', homeProvince: '37' });
    const receipt = await hubei.api('GET', `/api/v1/document-calls/${id}/receipt`, { token: window });
    expect(receipt.status).toBe(200);
    expect(receipt.body.receipt).toBe(approved.body.receipt.receipt);
    expect(receipt.body.view.window.id).toBe(created.body.window.id);
    const docs = await hubei.api('GET', `/api/v1/document-calls/${id}/documents`, { token: window });
    expect(docs.status).toBe(200);
    const vehicle = docs.body.documents.find((d: { type: string }) => d.type === 'vehicle_registration');
    expect(vehicle).toBeDefined();
    expect(Object.keys(vehicle.fields).length).toBeGreaterThan(0);
    const pdf = await fetch(
      `${hubei.url}/api/v1/document-calls/${id}/documents/${vehicle.id}/annotated.pdf`,
      { headers: { authorization: `Bearer ${window}` } },
    );
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(new TextDecoder().decode(new Uint8Array(await pdf.arrayBuffer()).slice(0, 5))).toBe('%PDF-');

    // The trace is at home: the request received, the approval, the window's read and export, each naming
    // Hubei's window with its province.
    const trace = await traceOf(stackOf(shandong), resident);
    const ofCall = trace.filter((e) => e.detail?.documentCall === id);
    const actions = ofCall.map((e) => e.action);
    for (const a of [
      'document_call.received',
      'document_call.approved',
      'document_call.read',
      'document_call.export',
    ])
      expect(actions).toContain(a);
    const read = ofCall.find((e) => e.action === 'document_call.read')!;
    expect(read.actor.displayName.startsWith('湖北省 ')).toBe(true);
    expect(read.actor.id.startsWith('42:')).toBe(true);
    // Hubei holds no trace of the Shandong resident: its window's reads are in Shandong only.
    const hubeiTrace = await traceOf(stackOf(hubei), hubeiResident);
    expect(hubeiTrace.some((e) => e.detail?.documentCall === id)).toBe(false);

    // Another province's node cannot read the call at Shandong, signed or not; Hubei's can.
    const path = `/api/v1/federation/node/document-calls/${id}/documents`;
    const byBeijing = await nodeAsks('11', shandong, path);
    expect([byBeijing.status, ((await byBeijing.json()) as { code: string }).code]).toEqual([
      404,
      'NOT_FOUND',
    ]);
    expect((await fetch(`${shandong.url}${path}`)).status).toBe(401);
    const byHubei = await nodeAsks('42', shandong, path);
    expect(byHubei.status).toBe(200);

    // The resident withdraws at home: the window's access ends at once, with the same code as at home.
    const withdrawn = await shandong.api('POST', `/api/v1/document-calls/${id}/withdraw`, {
      token: resident.token,
      body: {},
    });
    expect(withdrawn.status).toBe(200);
    const gone = await hubei.api('GET', `/api/v1/document-calls/${id}/documents`, { token: window });
    expect([gone.status, gone.body.code, gone.body.details?.reason]).toEqual([
      410,
      'DOCUMENT_ACCESS_EXPIRED',
      'withdrawn',
    ]);
    // The receipt stays.
    expect((await hubei.api('GET', `/api/v1/document-calls/${id}/receipt`, { token: window })).status).toBe(
      200,
    );
  }, 180_000);

  it('when the resident’s home province is down, then the window is told which province cannot answer, and nothing is lost', async () => {
    const window = await devStaffToken(stackOf(hubei));
    const resident = await callResident(stackOf(shandong));
    const created = await hubei.api('POST', '/api/v1/document-calls', {
      token: window,
      body: VEHICLE_TRANSFER,
    });
    const opened = await shandong.api('POST', '/api/v1/document-calls/open', {
      token: resident.token,
      body: { requestCode: created.body.requestCode },
    });
    expect(opened.status).toBe(200);

    await federation.kill(shandong);
    try {
      const res = await hubei.api('GET', `/api/v1/document-calls/${created.body.id}`, { token: window });
      expect([res.status, res.body.code, res.body.details?.province]).toEqual([
        503,
        'UPSTREAM_UNAVAILABLE',
        '37',
      ]);
    } finally {
      await federation.restart(shandong);
    }
    // Back up: the call is as it was, still pending and approvable.
    await federation.until(
      'Hubei reaches Shandong again',
      async () => {
        const res = await hubei.api('GET', `/api/v1/document-calls/${created.body.id}`, { token: window });
        return res.status === 200;
        // Hubei's circuit to Shandong opened while it was down; it half-opens after 30 s.
      },
      60_000,
    );
    const approved = await shandong.api('POST', `/api/v1/document-calls/${created.body.id}/approve`, {
      token: resident.token,
      body: { requestDigest: opened.body.requestDigest },
    });
    expect(approved.status).toBe(200);
  }, 180_000);
});
