import {
  CALLBACK_EVENT_TYPES,
  CARD_FIELDS,
  CARD_SCOPES,
  ERROR_CODES,
  PURPOSES,
  VERDICTS,
  type ErrorCode,
} from '@eid/shared';

/**
 * The OpenAPI 3.1 description of the relying-party API (`GET /api/v1/rp/openapi.json`): what an integrator
 * generates a client from. Enumerations come from shared/ (verdicts, purposes, scopes, event types, error
 * codes), so the description cannot drift from the code; test/bff/openapi checks that every path here is a
 * route of the BFF and every relying-party route is here, and that every example validates against its schema.
 * docs/relying-party.md is the prose guide with the signing steps and test vectors.
 */

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str = (extra: Schema = {}): Schema => ({ type: 'string', ...extra });
const int = (extra: Schema = {}): Schema => ({ type: 'integer', ...extra });
const epochMs = (description: string): Schema => int({ minimum: 0, description });
const b64url = (description: string): Schema => str({ pattern: '^[A-Za-z0-9_-]+$', description });

const CARD_VALUES: Schema = {
  type: 'object',
  description: 'Card fields, only those of the approved scopes. Absent fields were not disclosed.',
  propertyNames: { enum: [...CARD_FIELDS] },
  additionalProperties: { type: ['string', 'boolean'] },
};

const DELETION_STATUS: Schema = {
  type: 'object',
  required: ['requestedAt', 'dueBy', 'state'],
  properties: {
    requestedAt: epochMs('When the resident withdrew the consent.'),
    dueBy: epochMs('By when the acknowledgement is due.'),
    state: { enum: ['confirmed', 'pending', 'overdue'] },
    deletedAt: epochMs('When the party says it erased the data.'),
    confirmedAt: epochMs('When the signed acknowledgement arrived.'),
    confirmedByKid: str({ description: 'The party key that signed the acknowledgement.' }),
    daysOverdue: int({ minimum: 0 }),
    note: str({ maxLength: 200 }),
  },
};

const GRANT: Schema = {
  type: 'object',
  required: ['purpose', 'scopes'],
  properties: {
    purpose: { enum: PURPOSES.map((p) => p.code) },
    scopes: { type: 'array', items: str({ description: 'A card scope or `document:<type>`.' }) },
  },
};

const schemas: Record<string, Schema> = {
  Error: {
    type: 'object',
    required: ['code', 'message', 'requestId'],
    properties: {
      code: { enum: Object.keys(ERROR_CODES) },
      message: str({ description: 'English, for logs; switch on `code`, never on the message.' }),
      requestId: str(),
      details: { type: 'object' },
    },
  },
  PartyVerifyRequest: {
    type: 'object',
    additionalProperties: false,
    required: ['code', 'purpose'],
    properties: {
      code: str({ minLength: 1, maxLength: 4096, description: 'The scanned bright code (`EID1:`/`EID2:`).' }),
      purpose: { enum: PURPOSES.map((p) => p.code) },
    },
  },
  PartyVerifyAnswer: {
    type: 'object',
    required: ['verdict', 'checkedAt'],
    properties: {
      verdict: { enum: [...VERDICTS] },
      checkedAt: epochMs('When the BFF checked it.'),
      subject: str({
        pattern: '^[A-Za-z0-9_-]{43}$',
        description:
          'The resident’s pairwise identifier at your party: stable for you, unlinkable across parties.',
      }),
      card: CARD_VALUES,
      consentId: str(),
    },
  },
  CreateConsentRequest: {
    type: 'object',
    additionalProperties: false,
    required: ['purpose', 'scopes', 'reason'],
    properties: {
      purpose: { enum: PURPOSES.map((p) => p.code) },
      scopes: {
        type: 'array',
        minItems: 1,
        maxItems: 16,
        items: str({
          description: `One of ${CARD_SCOPES.map((s) => s.code).join(', ')} or document:<type>.`,
        }),
      },
      reason: str({ minLength: 1, maxLength: 200 }),
      retentionDays: int({ minimum: 1, maximum: 3650 }),
      expiresInS: int({ minimum: 60, maximum: 3600, default: 600 }),
      reference: str({ pattern: '^[A-Za-z0-9._-]{1,64}$' }),
    },
  },
  PartyConsentView: {
    type: 'object',
    required: ['id', 'state', 'purpose', 'scopes', 'reason', 'retentionDays', 'createdAt', 'expiresAt'],
    properties: {
      id: str(),
      state: { enum: ['pending', 'approved', 'declined', 'expired', 'withdrawn'] },
      purpose: str(),
      scopes: { type: 'array', items: str() },
      reason: str(),
      retentionDays: int({ minimum: 1 }),
      reference: str(),
      createdAt: epochMs('Created.'),
      expiresAt: epochMs('The resident must answer before this.'),
      requestCode: str({ pattern: '^EIDC1:[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{22}$' }),
      requestUrl: str({ format: 'uri' }),
      answeredAt: epochMs('Approved or declined.'),
      withdrawnAt: epochMs('Withdrawn by the resident.'),
      subject: str({ pattern: '^[A-Za-z0-9_-]{43}$' }),
      claims: CARD_VALUES,
      documents: {
        type: 'array',
        items: {
          type: 'object',
          required: ['type', 'documentNumber', 'status', 'validUntil', 'values'],
          properties: {
            type: str(),
            documentNumber: str(),
            status: str(),
            validUntil: { type: ['string', 'null'] },
            values: { type: 'object' },
          },
        },
      },
      deletion: DELETION_STATUS,
    },
  },
  DeletionAckRequest: {
    type: 'object',
    additionalProperties: false,
    required: ['deletedAt'],
    properties: {
      deletedAt: epochMs('When you erased the data.'),
      note: str({ maxLength: 200 }),
    },
  },
  SignedPartyRegistration: {
    type: 'object',
    required: ['payload', 'kid', 'signature'],
    properties: {
      payload: {
        type: 'object',
        required: [
          'v',
          'partyId',
          'name',
          'uscc',
          'category',
          'grants',
          'retentionDays',
          'kids',
          'version',
          'signedAt',
        ],
        properties: {
          v: { const: 1 },
          partyId: str(),
          name: str(),
          uscc: str({ pattern: '^[0-9A-HJ-NPQRTUWXY]{18}$' }),
          category: str(),
          grants: { type: 'array', items: GRANT },
          retentionDays: int(),
          kids: { type: 'array', items: str() },
          version: int({ minimum: 1 }),
          signedAt: epochMs('When the BFF signed this version.'),
        },
      },
      kid: str({ description: 'The party-registry key (GET /api/v1/party-registry-keys).' }),
      signature: b64url('Ed25519 over docs/formats/party-registration.md’s message.'),
    },
  },
  PartyRegistryKeys: {
    type: 'object',
    required: ['payload', 'signature'],
    properties: {
      payload: {
        type: 'object',
        required: ['v', 'keys', 'issuedAt'],
        properties: {
          v: { const: 1 },
          keys: {
            type: 'array',
            items: {
              type: 'object',
              required: ['kid', 'publicKey'],
              properties: { kid: str(), publicKey: b64url('Raw 32-byte Ed25519 key.') },
            },
          },
          issuedAt: epochMs('Signed.'),
        },
      },
      signature: b64url('Ed25519 by the trust root.'),
    },
  },
  CallbackKeysAnswer: {
    type: 'object',
    required: ['keys'],
    properties: {
      keys: {
        type: 'array',
        items: {
          type: 'object',
          required: ['kid', 'publicKey'],
          properties: {
            kid: str(),
            publicKey: str({
              pattern: '^whpk_[A-Za-z0-9+/]+={0,2}$',
              description: 'Standard Webhooks v1a key.',
            }),
            notAfter: epochMs('The key stops signing after this.'),
          },
        },
      },
    },
  },
  CallbackEvent: {
    type: 'object',
    required: ['type', 'timestamp', 'data'],
    properties: {
      type: { enum: [...CALLBACK_EVENT_TYPES] },
      timestamp: str({ format: 'date-time' }),
      data: {
        type: 'object',
        description:
          'Ids and states only, never personal data: read the claims with a signed GET of the consent.',
        properties: {
          consentId: str(),
          reference: str(),
          state: { enum: ['pending', 'approved', 'declined', 'expired', 'withdrawn'] },
          subject: str(),
          verdict: { enum: [...VERDICTS] },
          purpose: str(),
          dueBy: epochMs('deletion.requested: by when to acknowledge.'),
        },
      },
    },
  },
};

const NOW = 1_796_000_000_000;
const SUBJECT = 'q3Xq0fVQ7m0bq7oUQ3PZ2HcXvK4mKQm8r3T7b6xYp1E';
const CONSENT_ID = 'Zq3Xq0fVQ7m0bq7oUQ3PZw';

const examples = {
  verifyRequest: { code: 'EID2:6BFOXN*TS0BI$ZD.P9U...', purpose: 'hotel_check_in' },
  verifyAnswer: { verdict: 'valid', checkedAt: NOW, subject: SUBJECT },
  createConsent: {
    purpose: 'hotel_check_in',
    scopes: ['name_masked_id'],
    reason: '办理入住登记 Check-in registration',
    retentionDays: 30,
    reference: 'booking-A1024',
  },
  consentPending: {
    id: CONSENT_ID,
    state: 'pending',
    purpose: 'hotel_check_in',
    scopes: ['name_masked_id'],
    reason: '办理入住登记 Check-in registration',
    retentionDays: 30,
    reference: 'booking-A1024',
    createdAt: NOW,
    expiresAt: NOW + 600_000,
    requestCode: `EIDC1:${CONSENT_ID}.S3cr3tS3cr3tS3cr3tS3cA`,
    requestUrl: `http://127.0.0.1:10086/#/consent/pages/open/index?code=EIDC1%3A${CONSENT_ID}.S3cr3tS3cr3tS3cr3tS3cA`,
  },
  consentApproved: {
    id: CONSENT_ID,
    state: 'approved',
    purpose: 'hotel_check_in',
    scopes: ['name_masked_id'],
    reason: '办理入住登记 Check-in registration',
    retentionDays: 30,
    createdAt: NOW,
    expiresAt: NOW + 600_000,
    answeredAt: NOW + 42_000,
    subject: SUBJECT,
    claims: { name: '张三', idNumberMasked: '3701**********1234' },
  },
  deletionAck: { deletedAt: NOW + 86_400_000, note: '已删除入住登记 booking-A1024' },
  consentDeleted: {
    id: CONSENT_ID,
    state: 'withdrawn',
    purpose: 'hotel_check_in',
    scopes: ['name_masked_id'],
    reason: '办理入住登记 Check-in registration',
    retentionDays: 30,
    createdAt: NOW,
    expiresAt: NOW + 600_000,
    answeredAt: NOW + 42_000,
    withdrawnAt: NOW + 3_600_000,
    deletion: {
      requestedAt: NOW + 3_600_000,
      dueBy: NOW + 3_600_000 + 15 * 86_400_000,
      state: 'confirmed',
      deletedAt: NOW + 86_400_000,
      confirmedAt: NOW + 86_401_000,
      confirmedByKid: 'hotel-2026-1',
    },
  },
  registration: {
    payload: {
      v: 1,
      partyId: 'rp_Hn3kQ0xw9PzL2mVb',
      name: '泉城快捷酒店 (Quancheng Express Hotel)',
      uscc: '91370102MA3C0X1T1N',
      category: 'hotel',
      grants: [{ purpose: 'hotel_check_in', scopes: ['result', 'name_masked_id'] }],
      retentionDays: 30,
      kids: ['hotel-2026-1'],
      version: 1,
      signedAt: NOW,
    },
    kid: 'dev-party-registry',
    signature: 'b'.repeat(86),
  },
  registryKeys: {
    payload: { v: 1, keys: [{ kid: 'dev-party-registry', publicKey: 'a'.repeat(43) }], issuedAt: NOW },
    signature: 'c'.repeat(86),
  },
  callbackKeys: { keys: [{ kid: 'dev-callback-1', publicKey: 'whpk_' + 'A'.repeat(43) + '=' }] },
  callbackEvent: {
    type: 'consent.approved',
    timestamp: '2026-12-02T10:00:00.000Z',
    data: { consentId: CONSENT_ID, reference: 'booking-A1024', state: 'approved', subject: SUBJECT },
  },
  error: {
    code: 'PARTY_SCOPE_NOT_REGISTERED',
    message: 'The party is not registered for these scopes under this purpose',
    requestId: 'req-1',
    details: { scopes: ['card_face'] },
  },
};

/** The error answers a signed route can give, named by code (each documented in docs/api.md). */
const SIGNED_ERRORS: ErrorCode[] = [
  'SIGNATURE_MISSING',
  'SIGNATURE_MALFORMED',
  'SIGNATURE_UNKNOWN_KEY',
  'SIGNATURE_RETIRED_KEY',
  'SIGNATURE_INVALID',
  'SIGNATURE_STALE',
  'SIGNATURE_COMPONENT_MISSING',
  'SIGNATURE_NONCE_MISSING',
  'SIGNATURE_NONCE_REUSED',
  'CONTENT_DIGEST_MISMATCH',
  'PARTY_SUSPENDED',
  'PARTY_RATE_LIMITED',
  'PARTY_QUOTA_EXCEEDED',
];

function errorResponses(extra: ErrorCode[] = [], signed = true): Record<string, Schema> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of [...(signed ? SIGNED_ERRORS : []), 'VALIDATION_FAILED' as ErrorCode, ...extra]) {
    const status = ERROR_CODES[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const out: Record<string, Schema> = {};
  for (const [status, codes] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    out[String(status)] = {
      description: codes.map((c) => `\`${c}\``).join(', '),
      content: {
        'application/json': { schema: ref('Error'), ...(status === 403 && { example: examples.error }) },
      },
    };
  }
  return out;
}

const json = (schema: string, example: unknown) => ({
  content: { 'application/json': { schema: ref(schema), example } },
});

const signedOp = (op: Schema): Schema => ({ security: [{ httpMessageSignature: [] }], ...op });
const consentId = {
  name: 'id',
  in: 'path',
  required: true,
  schema: str({ pattern: '^[A-Za-z0-9_-]{22}$' }),
};

export const RELYING_PARTY_OPENAPI = {
  openapi: '3.1.0',
  jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
  info: {
    title: 'e-ID relying-party API',
    version: '1.0.0',
    description:
      'Server-to-server API for registered relying parties (banks, hotels, hospitals, government windows). Every ' +
      'request except the public key documents is signed with HTTP Message Signatures (RFC 9421, ed25519, covering ' +
      '@method, @target-uri and content-digest, with created and nonce); see docs/relying-party.md for the steps ' +
      'and test vectors. Answers are result only by default; personal data needs the resident’s consent.',
  },
  servers: [{ url: '/', description: 'The BFF of your province node.' }],
  components: {
    securitySchemes: {
      httpMessageSignature: {
        type: 'apiKey',
        in: 'header',
        name: 'Signature',
        description:
          'RFC 9421 `Signature` with its `Signature-Input` and an RFC 9530 `Content-Digest` of the raw body (also ' +
          'for an empty body). keyid names one of your registered keys.',
      },
    },
    schemas,
  },
  paths: {
    '/api/v1/rp/verify': {
      post: signedOp({
        operationId: 'verifyCode',
        summary: 'Verify a bright code a resident showed you',
        requestBody: { required: true, ...json('PartyVerifyRequest', examples.verifyRequest) },
        responses: {
          '200': {
            description: 'The verdict (and fields only as consented).',
            ...json('PartyVerifyAnswer', examples.verifyAnswer),
          },
          ...errorResponses(['CODE_MALFORMED', 'PURPOSE_UNKNOWN', 'PARTY_PURPOSE_NOT_REGISTERED']),
        },
      }),
    },
    '/api/v1/rp/consents': {
      post: signedOp({
        operationId: 'createConsent',
        summary: 'Ask a resident for consent to receive fields',
        requestBody: { required: true, ...json('CreateConsentRequest', examples.createConsent) },
        responses: {
          '201': {
            description: 'Pending; show requestCode as a QR code or send requestUrl.',
            ...json('PartyConsentView', examples.consentPending),
          },
          ...errorResponses([
            'PURPOSE_UNKNOWN',
            'PARTY_PURPOSE_NOT_REGISTERED',
            'PARTY_SCOPE_NOT_REGISTERED',
          ]),
        },
      }),
    },
    '/api/v1/rp/consents/{id}': {
      get: signedOp({
        operationId: 'getConsent',
        summary: 'Poll a consent request; read the approved claims',
        parameters: [consentId],
        responses: {
          '200': {
            description: 'The consent; claims while approved.',
            ...json('PartyConsentView', examples.consentApproved),
          },
          ...errorResponses(['NOT_FOUND']),
        },
      }),
    },
    '/api/v1/rp/consents/{id}/deletion-ack': {
      post: signedOp({
        operationId: 'acknowledgeDeletion',
        summary: 'Confirm, signed by your key, that you erased the data of a withdrawn consent',
        parameters: [consentId],
        requestBody: { required: true, ...json('DeletionAckRequest', examples.deletionAck) },
        responses: {
          '200': {
            description: 'Kept as proof; the resident sees it.',
            ...json('PartyConsentView', examples.consentDeleted),
          },
          ...errorResponses(['NOT_FOUND', 'CONSENT_WRONG_STATE']),
        },
      }),
    },
    '/api/v1/rp/registration': {
      get: signedOp({
        operationId: 'getRegistration',
        summary: 'Your registration as the BFF signed it (what residents are shown)',
        responses: {
          '200': {
            description: 'The signed registration.',
            ...json('SignedPartyRegistration', examples.registration),
          },
          ...errorResponses(),
        },
      }),
    },
    '/api/v1/rp/callback-keys': {
      get: {
        operationId: 'getCallbackKeys',
        summary: 'The keys callbacks are signed with (`v1a`); public',
        responses: {
          '200': { description: 'Newest first.', ...json('CallbackKeysAnswer', examples.callbackKeys) },
        },
      },
    },
    '/api/v1/party-registry-keys': {
      get: {
        operationId: 'getPartyRegistryKeys',
        summary: 'The keys registrations are signed with, signed by the trust root; public',
        responses: {
          '200': { description: 'Signed key list.', ...json('PartyRegistryKeys', examples.registryKeys) },
        },
      },
    },
    '/api/v1/rp/openapi.json': {
      get: {
        operationId: 'getOpenApi',
        summary: 'This description',
        responses: {
          '200': {
            description: 'OpenAPI 3.1.',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
        },
      },
    },
  },
  webhooks: Object.fromEntries(
    CALLBACK_EVENT_TYPES.map((type) => [
      type,
      {
        post: {
          summary: `Callback ${type} (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature with v1 and v1a)`,
          requestBody: {
            required: true,
            ...json('CallbackEvent', { ...examples.callbackEvent, type }),
          },
          responses: { '200': { description: 'Any 2xx acknowledges; 410 disables your endpoint.' } },
        },
      },
    ]),
  ),
} as const;
