/**
 * The online part's server process (forked by online.ts with SERVE_FLAG): the BFF with stand-ins and
 * a frozen clock, residents with cards, and the bare reference servers, in one process so that the load
 * generator does not share an event loop with what it measures.
 */
import type { Server } from 'node:http';
import { base64urlEncode, createCredentialCache, encodeHolderSecrets, trustListOf } from '@eid/shared';
import { createNodeEd25519, nodeSha256 } from '../../bff/src/infra/ed25519';
import { controlled, countCommands, monitorCommandsIfAsked, originOf } from '../rp/child';
import { type ReferenceName } from './common';
import { bareCrypto, floorServer, sameCryptoServer, servicesServer, signatureOnlyServer } from './references';

export const SERVE_FLAG = '--card-bench-serve';
const HOLDERS = 32;

export interface ServerInfo {
  bffUrl: string;
  /** The references of references.ts by name. */
  references: Record<ReferenceName, string>;
  staffToken: string;
  /** The bare servers' own bearer token. */
  bareToken: string;
  /** base64url of each resident's v2 credential, device secret key and holder secrets (encodeHolderSecrets). */
  holders: { credential: string; deviceSecretKey: string; secrets: string }[];
  now: number;
}

/** Child-process side: the BFF with stand-ins and a frozen clock, a resident with a card, and the bare server. */
async function serve(): Promise<void> {
  const { startStack } = await import('../../test/helpers/stack');
  const { holderWithCard, staffToken } = await import('../../test/helpers/card-flow');
  const { trustedIssuersOf } = await import('../../bff/src/modules/trust/trust.service');
  monitorCommandsIfAsked();
  const stack = await startStack({ env: { LOG_LEVEL: 'warn' } });
  const commands = countCommands(stack.deps.db.getClient());
  // Many residents, as at real windows: one resident's usage trace is a hash chain appended in order.
  const holders = [];
  for (let i = 0; i < HOLDERS; i += 8) {
    holders.push(
      ...(await Promise.all(Array.from({ length: Math.min(8, HOLDERS - i) }, () => holderWithCard(stack)))),
    );
  }
  const token = await staffToken(stack);

  const inspect = {
    trustList: trustListOf(trustedIssuersOf(stack.deps.keys)),
    clock: stack.clock,
    ed25519: createNodeEd25519(),
    sha256: nodeSha256,
    cache: createCredentialCache(),
  };
  const crypto = bareCrypto(stack.deps, inspect);
  const servers: Record<ReferenceName, Server> = {
    sameCrypto: await sameCryptoServer(crypto),
    signatureOnly: await signatureOnlyServer(inspect),
    floor: await floorServer(stack.deps, crypto),
    services: await servicesServer(stack.deps),
  };
  const info: ServerInfo = {
    bffUrl: stack.url,
    references: {
      sameCrypto: originOf(servers.sameCrypto),
      signatureOnly: originOf(servers.signatureOnly),
      floor: originOf(servers.floor),
      services: originOf(servers.services),
    },
    bareToken: crypto.token,
    staffToken: token,
    holders: holders.map((h) => ({
      credential: base64urlEncode(h.credential),
      deviceSecretKey: base64urlEncode(h.device.keys.secretKey),
      secrets: base64urlEncode(encodeHolderSecrets(h.secrets)),
    })),
    now: stack.clock.now(),
  };
  process.send!(info);
  // `cpu`, a CPU profile per measured run (BENCH_CPU_PROF), database commands (BENCH_COMMANDS), `stop`.
  controlled(commands, async () => {
    for (const server of Object.values(servers)) {
      server.close();
      server.closeAllConnections();
    }
    await stack.stop();
  });
}

if (process.argv.includes(SERVE_FLAG)) {
  serve().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
