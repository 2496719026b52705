/**
 * The online part's server process (forked by online.ts with SERVE_FLAG): the BFF with stand-ins and
 * a frozen clock, residents with cards, and the bare reference servers, in one process so that the load
 * generator does not share an event loop with what it measures.
 */
import type { Server } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { base64urlEncode, createCredentialCache, encodeHolderSecrets, trustListOf } from '@eid/shared';
import { createNodeEd25519, nodeSha256 } from '../../bff/src/infra/ed25519';
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
  const stack = await startStack({ env: { LOG_LEVEL: 'warn' } });
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
  const urlOf = (server: Server) => {
    const address = server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  };
  const info: ServerInfo = {
    bffUrl: stack.url,
    references: {
      sameCrypto: urlOf(servers.sameCrypto),
      signatureOnly: urlOf(servers.signatureOnly),
      floor: urlOf(servers.floor),
      services: urlOf(servers.services),
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
  // BENCH_CPU_PROF=<dir>: one CPU profile of this process per measured run, named after the run.
  const profiler = new Session();
  profiler.connect();
  const post = (method: string) =>
    new Promise<unknown>((resolve, reject) =>
      profiler.post(method, (err, result) => (err ? reject(err) : resolve(result))),
    );
  process.on('message', (message) => {
    if (message === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send!({ cpuMicros: user + system });
      return;
    }
    if (typeof message === 'object' && message !== null && 'profile' in message) {
      const { profile, dir } = message as { profile: string; dir: string };
      const done = () => process.send!({ profiled: profile });
      if (profile === 'start')
        void post('Profiler.enable')
          .then(() => post('Profiler.start'))
          .then(done);
      else
        void post('Profiler.stop').then((result) => {
          mkdirSync(dir, { recursive: true });
          writeFileSync(
            join(dir, `${profile}.cpuprofile`),
            JSON.stringify((result as { profile: unknown }).profile),
          );
          done();
        });
      return;
    }
    for (const server of Object.values(servers)) {
      server.close();
      server.closeAllConnections();
    }
    stack.stop().finally(() => process.exit(0));
  });
}

if (process.argv.includes(SERVE_FLAG)) {
  serve().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
