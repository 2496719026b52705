import { parseArgs } from 'node:util';
import { licenceClientKeysFromEnv, startMocks } from './index';

/*
 * Runs the four stand-ins for development: `tsx mock/src/cli.ts [--superapp-port 7101]
 * [--registry-port 7102] [--face-port 7103] [--licence-port 7104] [--host 127.0.0.1]`. Prints one JSON
 * line with the URLs on stdout once all listen; stops on SIGINT/SIGTERM. The licence stand-in trusts the
 * BFF keys of MOCK_LICENCE_CLIENT_KEYS or LICENCE_CLIENT_KEY, else the BFF's development key.
 */

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    'superapp-port': { type: 'string', default: '7101' },
    'registry-port': { type: 'string', default: '7102' },
    'face-port': { type: 'string', default: '7103' },
    'licence-port': { type: 'string', default: '7104' },
  },
});

function port(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`--${name} must be a port number 0-65535`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  const mocks = await startMocks({
    host: values.host,
    ports: {
      superapp: port('superapp-port', values['superapp-port']),
      registry: port('registry-port', values['registry-port']),
      face: port('face-port', values['face-port']),
      licence: port('licence-port', values['licence-port']),
    },
    licenceClientKeys: licenceClientKeysFromEnv(process.env),
  });

  console.error(
    'Stand-in external systems with development credentials and synthetic residents: not for production.',
  );
  console.log(
    JSON.stringify({
      event: 'listening',
      superapp: mocks.superapp.url,
      registry: mocks.registry.url,
      face: mocks.face.url,
      licence: mocks.licence.url,
    }),
  );

  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      mocks.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

main().catch((err: Error) => {
  console.error(`mock systems failed to start: ${err.message}`);
  process.exit(1);
});
