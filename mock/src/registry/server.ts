import { z } from 'zod';
import { MOCK_REGISTRY_API_KEY } from '../lib/credentials';
import { MockHttpError, parseWith, requireApiKey, startMockServer, type MockServer } from '../lib/server';
import { portraitPng } from './portrait';
import { findByPortraitRef, findResident, type Resident, type ResidentStatus } from './seed';

export interface RegistryOptions {
  port?: number;
  host?: string;
  apiKey?: string;
}

/** The registry stand-in, with test controls that change a resident's status in this instance only. */
export interface RegistryServer extends MockServer {
  setStatus(idNumber: string, status: ResidentStatus): void;
  /** Forgets every status change since start. */
  reset(): void;
}

const idNumber = z.string().min(1).max(32);
const verifyBody = z.object({ name: z.string().min(1).max(64), idNumber }).strict();
const statusBody = z.object({ idNumber }).strict();
const statusChange = z.object({ status: z.enum(['valid', 'cancelled', 'deceased']) }).strict();

function cardOf(r: Resident) {
  return {
    name: r.name,
    sex: r.sex,
    ethnicity: r.ethnicity,
    birthDate: r.birthDate,
    address: r.address,
    idNumber: r.idNumber,
    issuingAuthority: r.issuingAuthority,
    validFrom: r.validFrom,
    validUntil: r.validUntil,
  };
}

/**
 * The population-registry stand-in (real-name authority): name + ID number checks, card faces,
 * portraits and revocation status for the seeded residents. Server-to-server: every route but
 * `/healthz` needs the `X-Api-Key` header.
 */
export async function startRegistry(options: RegistryOptions = {}): Promise<RegistryServer> {
  const overrides = new Map<string, ResidentStatus>();
  const statusOf = (r: Resident) => overrides.get(r.idNumber) ?? r.status;

  const server = await startMockServer({
    name: 'registry',
    port: options.port,
    host: options.host,
    build(router) {
      const auth = requireApiKey(options.apiKey ?? MOCK_REGISTRY_API_KEY);

      router.post('/v1/verify', auth, function verify(ctx) {
        const body = parseWith(verifyBody, ctx.request.body);
        const resident = findResident(body.idNumber);
        if (!resident) {
          ctx.body = { result: 'not_found' };
          return;
        }
        // An exact comparison, as the authority makes: normalising user input is the caller's job.
        if (body.name.normalize('NFC') !== resident.name) {
          ctx.body = { result: 'mismatch' };
          return;
        }
        const status = statusOf(resident);
        ctx.body =
          status === 'valid'
            ? {
                result: 'match',
                card: cardOf(resident),
                portraitRef: resident.portraitRef,
                ...(resident.flags && { flags: resident.flags }),
              }
            : { result: status };
      });

      const answerStatus = (ctx: { body: unknown }, id: string) => {
        const resident = findResident(id);
        ctx.body = { status: resident ? statusOf(resident) : 'not_found' };
      };
      router.get('/v1/status', auth, function statusByQuery(ctx) {
        answerStatus(ctx, parseWith(statusBody, { idNumber: ctx.query.idNumber }).idNumber);
      });
      router.post('/v1/status', auth, function statusByBody(ctx) {
        answerStatus(ctx, parseWith(statusBody, ctx.request.body).idNumber);
      });

      router.get('/v1/portraits/:ref', auth, function portrait(ctx) {
        const resident = findByPortraitRef(ctx.params.ref ?? '');
        if (!resident) throw new MockHttpError(404, 'portrait_not_found', 'no portrait with this ref');
        ctx.set('Cache-Control', 'no-store');
        ctx.type = 'image/png';
        ctx.body = Buffer.from(portraitPng(resident.portraitRef));
      });

      router.post('/mock/residents/:idNumber/status', auth, function changeStatus(ctx) {
        const resident = findResident(ctx.params.idNumber ?? '');
        if (!resident)
          throw new MockHttpError(404, 'resident_not_found', 'no seeded resident with this number');
        const { status } = parseWith(statusChange, ctx.request.body);
        overrides.set(resident.idNumber, status);
        ctx.body = { status };
      });
      router.post('/mock/reset', auth, function reset(ctx) {
        overrides.clear();
        ctx.status = 204;
      });
    },
  });

  return {
    ...server,
    setStatus(id, status) {
      const resident = findResident(id);
      if (!resident) throw new Error('registry mock: no seeded resident with this number');
      overrides.set(resident.idNumber, status);
    },
    reset() {
      overrides.clear();
    },
  };
}
