import { manualClock } from '@eid/bff/infra/clock';
import {
  FIXTURES,
  MOCK_LICENCE_CLIENT_KID,
  RESIDENTS,
  createLicenceTestClient,
  mockLicenceClientPublicKey,
  startLicence,
  type GrantInput,
  type LicenceLogEntry,
  type LicenceServer,
} from '@eid/mock';
import { licenceHolderKey, sha256, tweetnaclEd25519, utf8Encode } from '@eid/shared';

const who = FIXTURES.pass;
const other = FIXTURES.xCheckDigit;
const SECOND_SEED = sha256(utf8Encode('licence auth test: a second BFF key'));
const STRANGER_SEED = sha256(utf8Encode('licence auth test: a key nobody configured'));

describe('licence stand-in: who may read documents', () => {
  const clock = manualClock(Date.UTC(2026, 11, 2, 2, 0, 0));
  const logs: LicenceLogEntry[] = [];
  const everything: LicenceLogEntry[] = [];
  let licence: LicenceServer;
  let bff: ReturnType<typeof createLicenceTestClient>;
  let second: ReturnType<typeof createLicenceTestClient>;
  let stranger: ReturnType<typeof createLicenceTestClient>;
  const types = ['driving_licence', 'vehicle_registration'];

  beforeAll(async () => {
    licence = await startLicence({
      clock,
      log: (e) => {
        logs.push(e);
        everything.push(e);
      },
      clientKeys: [
        { keyId: MOCK_LICENCE_CLIENT_KID, publicKey: mockLicenceClientPublicKey() },
        { keyId: 'bff-licence-2', publicKey: tweetnaclEd25519.keyPairFromSeed(SECOND_SEED).publicKey },
      ],
    });
    bff = createLicenceTestClient({ baseUrl: licence.url, clock });
    second = createLicenceTestClient({
      baseUrl: licence.url,
      clock,
      keyId: 'bff-licence-2',
      seed: SECOND_SEED,
    });
    stranger = createLicenceTestClient({
      baseUrl: licence.url,
      clock,
      keyId: 'bff-rogue',
      seed: STRANGER_SEED,
    });
  });
  afterAll(() => licence.stop());

  const grant = (change: Partial<GrantInput> = {}) =>
    bff.grant({ holderIdNumber: who.idNumber, types, purpose: 'wallet', ...change });
  const expectRefused = (res: { status: number; body: unknown }, status: number, error: string) =>
    expect({ status: res.status, error: (res.body as { error?: string }).error }).toEqual({ status, error });

  it('when the request is signed by the BFF key and carries a grant for the holder, then the documents are served', async () => {
    const res = await bff.documents<{ type: string }[]>(who.idNumber, types, 'wallet', { grant: grant() });
    expect(res.status).toBe(200);
    expect(res.body.map((d) => d.type)).toEqual([
      'driving_licence',
      'vehicle_registration',
      'vehicle_registration',
    ]);
  });

  it('when a second configured BFF key signs request and grant, then it is served too', async () => {
    const g = second.grant({ holderIdNumber: who.idNumber, types });
    expect((await second.documents(who.idNumber, types, 'wallet', { grant: g })).status).toBe(200);
  });

  describe('signatures (401)', () => {
    it('when the request is not signed, then 401 signature_missing', async () => {
      expectRefused(
        await bff.documents(who.idNumber, types, 'wallet', { grant: grant(), unsigned: true }),
        401,
        'signature_missing',
      );
      expectRefused(await bff.changes(undefined, { unsigned: true }), 401, 'signature_missing');
    });

    it('when the key is not configured, then 401 signature_unknown_key', async () => {
      const g = stranger.grant({ holderIdNumber: who.idNumber, types });
      expectRefused(
        await stranger.documents(who.idNumber, types, 'wallet', { grant: g }),
        401,
        'signature_unknown_key',
      );
    });

    it('when the grant header is swapped after signing, then 401 signature_invalid', async () => {
      const tampered = await bff.documents(who.idNumber, types, 'wallet', {
        grant: grant(),
        afterSigning: (h) => {
          h['licence-grant'] = grant({ grantId: 'another-grant-id-0001' });
        },
      });
      expectRefused(tampered, 401, 'signature_invalid');
    });

    it('when the signature leaves out the target URI or the grant, then 401 signature_component_missing', async () => {
      expectRefused(
        await bff.documents(who.idNumber, types, 'wallet', {
          grant: grant(),
          components: ['@method', 'licence-grant'],
        }),
        401,
        'signature_component_missing',
      );
      expectRefused(
        await bff.documents(who.idNumber, types, 'wallet', {
          grant: grant(),
          components: ['@method', '@target-uri'],
        }),
        401,
        'signature_component_missing',
      );
    });

    it('when created is more than 5 minutes old or ahead, then 401 signature_stale', async () => {
      const now = Math.floor(clock.now() / 1000);
      expectRefused(await bff.changes(undefined, { created: now - 301 }), 401, 'signature_stale');
      expectRefused(await bff.changes(undefined, { created: now + 301 }), 401, 'signature_stale');
      expect((await bff.changes(undefined, { created: now - 299 })).status).toBe(200);
    });

    it('when a nonce is used twice within the window, then the second request is 401 signature_nonce_reused', async () => {
      const nonce = 'nonce-used-twice-0001';
      expect((await bff.changes(undefined, { nonce })).status).toBe(200);
      expectRefused(await bff.changes(undefined, { nonce }), 401, 'signature_nonce_reused');
      // The same nonce from another key is that key's own.
      expect((await second.changes(undefined, { nonce })).status).toBe(200);
    });

    it('when a signature has no nonce, then 401 signature_nonce_missing', async () => {
      const res = await bff.changes(undefined, {
        afterSigning: (h) => {
          h['signature-input'] = h['signature-input']!.replace(/;nonce="[^"]*"/, '');
        },
      });
      expectRefused(res, 401, 'signature_nonce_missing');
    });
  });

  describe('grants (403)', () => {
    it('when there is no grant, then 403 grant_missing', async () => {
      expectRefused(await bff.documents(who.idNumber, types, 'wallet'), 403, 'grant_missing');
    });

    it('when the grant names another holder, then 403 grant_holder_mismatch', async () => {
      const res = await bff.documents(other.idNumber, types, 'wallet', { grant: grant() });
      expectRefused(res, 403, 'grant_holder_mismatch');
    });

    it('when a requested type is not in the grant, then 403 grant_type_not_granted', async () => {
      const res = await bff.documents(who.idNumber, [...types, 'passport'], 'wallet', { grant: grant() });
      expectRefused(res, 403, 'grant_type_not_granted');
    });

    it('when the request is for another purpose than the grant, then 403 grant_purpose_mismatch', async () => {
      const res = await bff.documents(who.idNumber, ['vehicle_registration'], 'vehicle_transfer', {
        grant: grant(),
      });
      expectRefused(res, 403, 'grant_purpose_mismatch');
    });

    it('when the purpose may not pull a type, then 403 grant_type_not_for_purpose; an unknown purpose is grant_purpose_unknown', async () => {
      const g = grant({ purpose: 'vehicle_transfer' });
      expectRefused(
        await bff.documents(who.idNumber, types, 'vehicle_transfer', { grant: g }),
        403,
        'grant_type_not_for_purpose',
      );
      const ok = await bff.documents(who.idNumber, ['vehicle_registration'], 'vehicle_transfer', {
        grant: g,
      });
      expect(ok.status).toBe(200);
      const unknown = grant({ purpose: 'curiosity' });
      expectRefused(
        await bff.documents(who.idNumber, types, 'curiosity', { grant: unknown }),
        403,
        'grant_purpose_unknown',
      );
    });

    it('when the grant has expired, then 403 grant_expired', async () => {
      const g = grant({ issuedAt: clock.now() - 120_000, expiresAt: clock.now() - 1000 });
      expectRefused(await bff.documents(who.idNumber, types, 'wallet', { grant: g }), 403, 'grant_expired');
    });

    it('when the grant lives longer than 15 minutes, then 403 grant_lifetime_too_long', async () => {
      const g = grant({ expiresAt: clock.now() + 16 * 60_000 });
      expectRefused(
        await bff.documents(who.idNumber, types, 'wallet', { grant: g }),
        403,
        'grant_lifetime_too_long',
      );
    });

    it('when the grant is signed by another configured key than the request, then 403 grant_key_mismatch', async () => {
      const g = second.grant({ holderIdNumber: who.idNumber, types });
      expectRefused(
        await bff.documents(who.idNumber, types, 'wallet', { grant: g }),
        403,
        'grant_key_mismatch',
      );
    });

    it('when the grant names the request key but another key signed it, then 403 grant_signature_invalid', async () => {
      const g = bff.grant({ holderIdNumber: who.idNumber, types }, { seed: STRANGER_SEED });
      expectRefused(
        await bff.documents(who.idNumber, types, 'wallet', { grant: g }),
        403,
        'grant_signature_invalid',
      );
    });

    it('when the grant is not a grant, then 403 grant_malformed', async () => {
      expectRefused(
        await bff.documents(who.idNumber, types, 'wallet', { grant: 'bm90LWEtZ3JhbnQ' }),
        403,
        'grant_malformed',
      );
    });

    it('when the query lacks the holder or names an unknown type, then 400', async () => {
      expectRefused(
        await bff.get('/documents?types=passport&purpose=wallet', { grant: grant() }),
        400,
        'bad_request',
      );
      const unknown = await bff.get(
        `/documents?holder=${licenceHolderKey(who.idNumber)}&types=fishing_licence&purpose=wallet`,
        { grant: grant() },
      );
      expectRefused(unknown, 400, 'unknown_document_type');
    });
  });

  it('when refusals and answers are logged, then lines name key, grant and reason but no name, ID number or holder key', async () => {
    logs.length = 0;
    const g = grant({ grantId: 'grant-for-the-log-0001' });
    await bff.documents(other.idNumber, types, 'wallet', { grant: g });
    await bff.documents(who.idNumber, types, 'wallet', { grant: g });
    await bff.documents(who.idNumber, types, 'wallet', { unsigned: true });
    expect(logs).toEqual([
      expect.objectContaining({
        level: 'warn',
        event: 'refused',
        status: 403,
        code: 'grant_holder_mismatch',
        keyId: MOCK_LICENCE_CLIENT_KID,
        grantId: 'grant-for-the-log-0001',
        reason: 'holder_mismatch',
      }),
      expect.objectContaining({
        level: 'info',
        event: 'documents_served',
        grantId: 'grant-for-the-log-0001',
        count: 3,
      }),
      expect.objectContaining({
        level: 'warn',
        status: 401,
        code: 'signature_missing',
        reason: 'missing_signature',
      }),
    ]);
  });

  it('when everything this suite logged is searched, then no resident’s name, ID number or holder key is in it', () => {
    const text = JSON.stringify(everything);
    expect(everything.length).toBeGreaterThan(20);
    for (const r of RESIDENTS) {
      expect(text).not.toContain(r.idNumber);
      expect(text).not.toContain(r.name);
      expect(text).not.toContain(licenceHolderKey(r.idNumber));
    }
  });
});
