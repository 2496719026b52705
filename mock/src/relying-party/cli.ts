import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { registerHotel } from './register';
import { startHotel, type HotelParty } from './server';

/*
 * Runs the example hotel against a BFF: `tsx mock/src/relying-party/cli.ts --bff http://127.0.0.1:3000
 * [--admin-token <supervisor token>] [--party-file .data/hotel-party.json] [--port 7110] [--host 127.0.0.1]
 * [--public-url http://127.0.0.1:7110]`. With a party file that exists it starts with that registration;
 * otherwise it registers (needs --admin-token) and writes the file (private key and secret: keep it private).
 * The BFF must allow the callback host (CALLBACK_ALLOW_HOSTS) when it is plain http. Prints one JSON line.
 */

const { values } = parseArgs({
  options: {
    bff: { type: 'string' },
    'admin-token': { type: 'string' },
    'party-file': { type: 'string', default: '.data/hotel-party.json' },
    port: { type: 'string', default: '7110' },
    host: { type: 'string', default: '127.0.0.1' },
    'public-url': { type: 'string' },
  },
});

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function main(): Promise<void> {
  const bffUrl = values.bff ?? fail('--bff <BFF origin> is required');
  const port = Number(values.port);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) fail('--port must be a port number 1-65535');
  const publicUrl = (values['public-url'] ?? `http://${values.host}:${port}`).replace(/\/+$/, '');
  const file = values['party-file']!;

  let party: HotelParty;
  if (existsSync(file)) {
    party = JSON.parse(readFileSync(file, 'utf8')) as HotelParty;
  } else {
    const adminToken = values['admin-token'] ?? fail(`no ${file}: --admin-token is needed to register`);
    const reg = await registerHotel({ bffUrl, adminToken, callbackUrl: `${publicUrl}/callbacks` });
    party = { id: reg.id, kid: reg.kid, privateKey: reg.privateKey, webhookSecret: reg.webhookSecret };
    writeFileSync(file, JSON.stringify(party, null, 2), { mode: 0o600 });
  }

  const hotel = await startHotel({ bffUrl, party, port, host: values.host, publicUrl });
  console.error('Example relying party with a development key: not for production.');
  console.log(
    JSON.stringify({
      event: 'listening',
      hotel: hotel.url,
      callbackUrl: hotel.callbackUrl,
      redirectUri: hotel.redirectUri,
      party: party.id,
    }),
  );

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      hotel.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
