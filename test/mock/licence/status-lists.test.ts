import { manualClock } from '@eid/bff/infra/clock';
import {
  FIXTURES,
  LICENCE_STATUS_TTL_SECONDS,
  licenceSeed,
  startLicence,
  type LicenceIssuerView,
  type LicenceServer,
} from '@eid/mock';
import {
  CardStatusValue,
  CborShapeError,
  base64urlDecode,
  openStatusList,
  statusAt,
  tweetnaclEd25519,
  type StatusList,
  type TrustList,
} from '@eid/shared';

interface ListAnswer {
  kid: string;
  issuedAt: number;
  ttlSeconds: number;
  statusList: string;
}

describe('licence stand-in: status lists', () => {
  const clock = manualClock(Date.UTC(2026, 11, 2, 2, 1, 30));
  let licence: LicenceServer;
  let trust: TrustList;

  const fetchList = async (kid: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${licence.url}/status-lists/${kid}`, { headers });
    return {
      status: res.status,
      headers: res.headers,
      body: res.status === 200 ? ((await res.json()) as ListAnswer) : undefined,
    };
  };
  const open = (answer: ListAnswer): StatusList =>
    openStatusList(base64urlDecode(answer.statusList), trust, tweetnaclEd25519);

  beforeAll(async () => {
    licence = await startLicence({ clock });
    const issuers = (await (await fetch(`${licence.url}/issuers`)).json()) as LicenceIssuerView[];
    // The issuing bodies' keys as a verifier would hold them (the BFF signs them into a licence-issuer list).
    trust = {
      sequence: 1,
      issuedAt: clock.now(),
      issuers: new Map(
        issuers.map((i) => [
          i.kid,
          { kid: i.kid, province: i.kid.slice(4, 6), publicKey: base64urlDecode(i.publicKey) },
        ]),
      ),
    };
  });
  afterAll(() => licence.stop());

  it('when every issuing body’s list is fetched, then each verifies with openStatusList and holds every seeded status', async () => {
    const lists = new Map<string, StatusList>();
    for (const kid of trust.issuers.keys()) {
      const res = await fetchList(kid);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ kid, ttlSeconds: LICENCE_STATUS_TTL_SECONDS });
      // The start of the current 5-minute period: the same bytes all period long.
      expect(res.body!.issuedAt).toBe(Date.UTC(2026, 11, 2, 2, 0, 0));
      const list = open(res.body!);
      expect(list.size % 16_384).toBe(0);
      lists.set(kid, list);
    }
    for (const d of licenceSeed().documents) {
      expect(statusAt(lists.get(d.issuer.kid)!, d.statusIndex)).toBe(CardStatusValue[d.status]);
    }
  });

  it('when a document is revoked, then its issuer’s next list says so, issued at the change', async () => {
    const doc = licence.documentsOf(FIXTURES.pass.idNumber).find((d) => d.type === 'driving_licence')!;
    const before = await fetchList(doc.issuerKid);
    expect(statusAt(open(before.body!), doc.statusIndex)).toBe(CardStatusValue.valid);
    clock.advance(10_000);
    licence.revoke(doc.identifier);
    const after = await fetchList(doc.issuerKid);
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
    expect(after.body!.issuedAt).toBe(Math.floor(clock.now() / 1000) * 1000);
    expect(statusAt(open(after.body!), doc.statusIndex)).toBe(CardStatusValue.revoked);
  });

  it('when a document is renewed, then the old version’s position is revoked and the new one is valid', async () => {
    const doc = licence.documentsOf(FIXTURES.pass.idNumber).find((d) => d.type === 'passport')!;
    const result = licence.renew(doc.identifier);
    const renewed = licence.documentsOf(FIXTURES.pass.idNumber).find((d) => d.id === doc.id)!;
    expect(renewed.identifier).toBe(result.identifier);
    const list = open((await fetchList(doc.issuerKid)).body!);
    expect(statusAt(list, doc.statusIndex)).toBe(CardStatusValue.revoked);
    expect(statusAt(list, renewed.statusIndex)).toBe(CardStatusValue.valid);
  });

  it('when the list has not changed, then If-None-Match gets 304; an unknown key id gets 404', async () => {
    const first = await fetchList('dev-44-mz-1');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(first.headers.get('cache-control')).toBe('public, max-age=60');
    expect((await fetchList('dev-44-mz-1', { 'if-none-match': etag })).status).toBe(304);
    const unknown = await fetch(`${licence.url}/status-lists/dev-99-mz-1`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: 'issuer_not_found' });
  });

  it('when a list is checked against another body’s key, then openStatusList refuses it', async () => {
    const answer = (await fetchList('dev-11-jg-1')).body!;
    const swapped: TrustList = {
      ...trust,
      issuers: new Map([['dev-11-jg-1', { ...trust.issuers.get('dev-31-jg-1')!, kid: 'dev-11-jg-1' }]]),
    };
    expect(() => openStatusList(base64urlDecode(answer.statusList), swapped, tweetnaclEd25519)).toThrow(
      CborShapeError,
    );
  });
});
