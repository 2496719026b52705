import { issueCredential, buildCode, verifyCode, createCredentialCache, trustListOf, signStatusList, emptyStatusBits, openStatusList } from '@eid/shared';
import { createNodeEd25519, nodeSha256 } from '@eid/bff/infra/ed25519';
const ed = createNodeEd25519();
const issuer = ed.keyPairFromSeed(new Uint8Array(32).fill(1));
const dev = ed.keyPairFromSeed(new Uint8Array(32).fill(2));
const now = 1_790_000_000_000;
const cred = issueCredential('dev-37-1', { province: '37', cardId: new Uint8Array(16).fill(3), issuedAt: now - 1000, expiresAt: now + 86400000, devicePublicKey: dev.publicKey, statusIndex: 5,
  holder: { name: '阿卜杜热合曼·买买提明·阿卜杜克热木', sex: 1, birthDate: '1993-01-29', idNumberMasked: '6531**********0012', portraitDigest: new Uint8Array(16) } }, (t) => ed.sign(issuer.secretKey, t));
const trustList = trustListOf([{ kid: 'dev-37-1', province: '37', publicKey: issuer.publicKey }]);
const sl = openStatusList(signStatusList({ kid: 'dev-37-1', issuedAt: now, ttlSeconds: 300, size: 16384, bits: emptyStatusBits(16384) }, (t) => ed.sign(issuer.secretKey, t)), trustList, ed);
const statusLists = new Map([['dev-37-1', sl]]);
const codes = Array.from({ length: 1000 }, () => buildCode({ credential: cred, deviceSecretKey: dev.secretKey, now, ed25519: ed }));
const opts = { trustList, statusLists, clock: { now: () => now }, ed25519: ed, sha256: nodeSha256, cache: createCredentialCache(), maxStatusAgeMs: 3600000 };
for (let i = 0; i < 60000; i++) verifyCode(codes[i % 1000], opts);
