import { parseArgs } from 'node:util';
import { startMocks } from './index';

/*
 * Runs the three stand-ins for development: `tsx mock/src/cli.ts [--superapp-port 7101]
 * [--registry-port 7102] [--face-port 7103] [--host 127.0.0.1]`. Prints one JSON line with the URLs
 * on stdout once all three listen; stops on SIGINT/SIGTERM.
 */

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    'superapp-port': { type: 'string', default: '7101' },
    'registry-port': { type: 'string', default: '7102' },
    'face-port': { type: 'string', default: '7103' },
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
    },
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
