import { manualClock } from '@eid/bff/infra/clock';
import {
  FIXTURES,
  MOCK_LICENCE_ADMIN_KEY,
  createLicenceTestClient,
  startLicence,
  type ChangeEntry,
  type LicenceServer,
} from '@eid/mock';
import {
  base64urlDecode,
  decodeDocumentCredential,
  decodeDocumentSecrets,
  isValidLicenceIdentifier,
  licenceHolderKey,
  parseLicenceIdentifier,
} from '@eid/shared';

interface Served {
  id: string;
  type: string;
  identifier: string;
  status: string;
  credential: string;
  secrets: string;
  etag: string;
  updatedAt: number;
}
interface Page {
  changes: ChangeEntry[];
  next: string;
  hasMore: boolean;
}

const who = FIXTURES.pass;
const WALLET = ['passport', 'driving_licence', 'travel_permit_taiwan', 'vehicle_registration'];

describe('licence stand-in: ETags, renewals and the change feed', () => {
  const clock = manualClock(Date.UTC(2026, 11, 2, 2, 0, 0));
  let licence: LicenceServer;
  let client: ReturnType<typeof createLicenceTestClient>;

  const pull = (headers: Record<string, string> = {}) =>
    client.documents<Served[]>(who.idNumber, WALLET, 'wallet', {
      grant: client.grant({ holderIdNumber: who.idNumber, types: WALLET }),
      headers,
    });
  const admin = (path: string, body: unknown, key = MOCK_LICENCE_ADMIN_KEY) =>
    fetch(`${licence.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, body: r.status === 204 ? undefined : await r.json() }));
  const current = (type: string) => licence.documentsOf(who.idNumber).find((d) => d.type === type)!;

  beforeAll(async () => {
    licence = await startLicence({ clock });
    client = createLicenceTestClient({ baseUrl: licence.url, clock });
  });
  afterAll(() => licence.stop());
  beforeEach(() => licence.reset());

  it('when the answer has not changed, then If-None-Match gets 304 with the same ETag', async () => {
    const first = await pull();
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    const again = await pull({ 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect((await pull({ 'if-none-match': `"other", W/${etag}` })).status).toBe(304);
    expect((await pull({ 'if-none-match': '"other"' })).status).toBe(200);
  });

  it('when a document is renewed, then /documents shows the new version with a new ETag and the feed says renewed', async () => {
    const before = await pull();
    const old = current('passport');
    clock.advance(60_000);
    const renewed = await admin('/admin/renew', { identifier: old.identifier });
    expect(renewed.status).toBe(200);
    expect(renewed.body).toMatchObject({
      id: old.id,
      version: 2,
      previousIdentifier: old.identifier,
      changed: true,
    });

    const after = await pull({ 'if-none-match': before.headers.get('etag')! });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
    const passport = after.body.find((d) => d.type === 'passport')!;
    expect(passport.id).toBe(old.id);
    expect(isValidLicenceIdentifier(passport.identifier)).toBe(true);
    const parts = parseLicenceIdentifier(passport.identifier);
    expect(parts.ok && parts.value.version).toBe('002');
    expect(passport.etag).not.toBe(before.body.find((d) => d.type === 'passport')!.etag);
    expect(passport.updatedAt).toBe(clock.now());
    const doc = decodeDocumentCredential(base64urlDecode(passport.credential));
    expect(doc.claims.version).toBe(2);
    expect(doc.claims.statusIndex).not.toBe(old.statusIndex);
    const values = decodeDocumentSecrets(doc.type, base64urlDecode(passport.secrets)).values;
    // Issued today (Beijing), valid ten years again, a new booklet number.
    expect(values.validFrom).toBe('2026-12-02');
    expect(values.validUntil! > '2036-11-30').toBe(true);
    expect(doc.claims.validUntil).toBe(values.validUntil);

    const feed = await client.changes<Page>();
    expect(feed.body.changes).toEqual([
      {
        cursor: feed.body.next,
        id: old.id,
        type: 'passport',
        identifier: passport.identifier,
        previousIdentifier: old.identifier,
        holder: licenceHolderKey(who.idNumber),
        change: 'renewed',
        at: clock.now(),
      },
    ]);
    // The old identifier is an earlier version now.
    expect((await admin('/admin/renew', { identifier: old.identifier })).body).toMatchObject({
      error: 'not_current_version',
    });
  });

  it('when documents are revoked, suspended and resumed, then each is one feed entry and /documents shows the status', async () => {
    const licenceDoc = current('driving_licence');
    const taiwan = current('travel_permit_taiwan');
    expect((await admin('/admin/revoke', { identifier: licenceDoc.identifier })).body).toMatchObject({
      status: 'revoked',
      changed: true,
    });
    expect((await admin('/admin/resume', { identifier: taiwan.identifier })).body).toMatchObject({
      status: 'valid',
    });
    expect((await admin('/admin/suspend', { identifier: taiwan.identifier })).body).toMatchObject({
      status: 'suspended',
    });
    // Asking for the state a document is already in changes nothing and writes no entry.
    expect((await admin('/admin/revoke', { identifier: licenceDoc.identifier })).body).toMatchObject({
      changed: false,
    });
    const served = (await pull()).body;
    expect(served.find((d) => d.type === 'driving_licence')!.status).toBe('revoked');
    expect(served.find((d) => d.type === 'travel_permit_taiwan')!.status).toBe('suspended');
    const feed = (await client.changes<Page>()).body;
    expect(feed.changes.map((c) => [c.type, c.change])).toEqual([
      ['driving_licence', 'revoked'],
      ['travel_permit_taiwan', 'resumed'],
      ['travel_permit_taiwan', 'suspended'],
    ]);
    expect(feed.hasMore).toBe(false);
  });

  it('when the feed is read page by page, then each page continues after the last cursor', async () => {
    const vehicles = licence.documentsOf(who.idNumber).filter((d) => d.type === 'vehicle_registration');
    for (const v of vehicles) licence.revoke(v.identifier);
    licence.suspend(current('driving_licence').identifier);
    const first = (await client.get<Page>('/changes?limit=2')).body;
    expect(first.changes).toHaveLength(2);
    expect(first.hasMore).toBe(true);
    const rest = (await client.changes<Page>(first.next)).body;
    expect(rest.changes.map((c) => c.change)).toEqual(['suspended']);
    expect(rest.hasMore).toBe(false);
    const empty = (await client.changes<Page>(rest.next)).body;
    expect(empty).toEqual({ changes: [], next: rest.next, hasMore: false });
  });

  it('when a cursor is not from this feed (or from before a reset), then 410 cursor_expired', async () => {
    licence.revoke(current('driving_licence').identifier);
    const { next } = (await client.changes<Page>()).body;
    licence.reset();
    expect((await client.changes(next)).body).toMatchObject({ error: 'cursor_expired' });
    expect((await client.changes('abcdef-99')).status).toBe(410);
    expect((await client.get('/changes?limit=5000')).status).toBe(400);
  });

  it('when a control is refused, then the code says why', async () => {
    const hk = current('travel_permit_hk_macao');
    expect(await admin('/admin/renew', { identifier: hk.identifier })).toMatchObject({
      status: 409,
      body: { error: 'document_revoked' },
    });
    expect(
      await admin('/admin/renew', { identifier: current('travel_permit_taiwan').identifier }),
    ).toMatchObject({
      status: 409,
      body: { error: 'document_suspended' },
    });
    expect(await admin('/admin/revoke', { identifier: '1.2.156.3005.2.nothing' })).toMatchObject({
      status: 404,
      body: { error: 'document_not_found' },
    });
    expect((await admin('/admin/revoke', { identifier: hk.identifier }, 'wrong-key')).status).toBe(401);
    expect((await admin('/admin/revoke', { identifier: hk.identifier, extra: 1 })).status).toBe(400);
  });

  it('when the stand-in is reset, then every document is as seeded again', async () => {
    const seeded = licence.documentsOf(who.idNumber);
    licence.renew(current('passport').identifier);
    licence.revoke(current('driving_licence').identifier);
    expect(await admin('/admin/reset', {})).toEqual({ status: 204, body: undefined });
    expect(licence.documentsOf(who.idNumber)).toEqual(seeded);
  });
});
