import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const SCRIPT = path.join(ROOT, 'scripts/provision.sh');
const BASH = '/bin/bash';
const ALL = ['chromium', 'fonts-wqy-microhei', 'poppler-utils'];
const NOBODY = 65534;

/**
 * A fake Debian in a temporary directory: the script runs with PATH set to that directory only, so the
 * machine's own chromium and pdftotext are invisible. `dpkg-query` answers from a state directory;
 * `apt-get` records each call (arguments and DEBIAN_FRONTEND) and "installs" by creating the programs
 * and the dpkg state the next check looks for. These stand in for the operating system, not our code.
 */
interface FakeDebian {
  bin: string;
  log: string;
  run(options?: { asNobody?: boolean; env?: Record<string, string> }): {
    status: number | null;
    stderr: string;
  };
  aptCalls(): string[];
  cleanup(): void;
}

function fakeDebian({
  installed,
  withAptGet = true,
  withSudo = false,
}: {
  installed: string[];
  withAptGet?: boolean;
  withSudo?: boolean;
}): FakeDebian {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'eid-provision-'));
  const bin = path.join(dir, 'bin');
  const state = path.join(dir, 'dpkg');
  const log = path.join(dir, 'apt.log');
  mkdirSync(bin);
  mkdirSync(state);
  writeFileSync(log, '');
  const write = (name: string, body: string) => {
    writeFileSync(path.join(bin, name), `#!${BASH}\n${body}\n`);
    chmodSync(path.join(bin, name), 0o755);
  };
  const programs: Record<string, string[]> = {
    chromium: ['chromium'],
    'poppler-utils': ['pdftotext', 'pdftoppm'],
    'fonts-wqy-microhei': [],
  };
  const markInstalled = (pkg: string) => {
    writeFileSync(path.join(state, pkg), '');
    for (const program of programs[pkg] ?? []) write(program, 'exit 0');
  };
  installed.forEach(markInstalled);
  write(
    'dpkg-query',
    // dpkg-query -W -f=<format> <package>: prints the status word of an installed package.
    `pkg="\${@: -1}"; if [ -e "${state}/$pkg" ]; then printf installed; else echo "no packages found matching $pkg" >&2; exit 1; fi`,
  );
  if (withAptGet) {
    write(
      'apt-get',
      [
        `echo "DEBIAN_FRONTEND=\${DEBIAN_FRONTEND:-} $*" >> "${log}"`,
        'if [ "$1" = install ]; then',
        '  shift; for pkg in "$@"; do case "$pkg" in -*) ;; *)',
        `    : > "${state}/$pkg"`,
        `    case "$pkg" in chromium) progs=chromium ;; poppler-utils) progs="pdftotext pdftoppm" ;; *) progs= ;; esac`,
        `    for p in $progs; do printf '#!${BASH}\\nexit 0\\n' > "${bin}/$p"; /bin/chmod 755 "${bin}/$p"; done`,
        '  ;; esac; done',
        'fi',
      ].join('\n'),
    );
  }
  if (withSudo) {
    // Passwordless sudo: runs the command as asked (env included), recording that it was used.
    write(
      'sudo',
      `echo "sudo $*" >> "${log}"; [ "$1" = -n ] && shift; if [ "$1" = env ]; then shift; export "$1"; shift; fi; exec "$@"`,
    );
    write('true', 'exit 0');
  }
  // Someone else (nobody, below) must be able to run the stubs and write the log.
  for (const file of [dir, bin, state]) chmodSync(file, 0o777);
  chmodSync(log, 0o666);

  return {
    bin,
    log,
    run({ asNobody = false, env = {} } = {}) {
      const fullEnv = { PATH: bin, HOME: dir, ...env };
      // When jest runs as root, drop to an ordinary user for real rather than faking the uid check.
      const dropToNobody = asNobody && process.getuid?.() === 0;
      const command = dropToNobody ? '/usr/bin/setpriv' : BASH;
      const args = dropToNobody
        ? [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', BASH, SCRIPT]
        : [SCRIPT];
      const result = spawnSync(command, args, { env: fullEnv, encoding: 'utf8', timeout: 20000 });
      return { status: result.status, stderr: result.stderr };
    },
    aptCalls: () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter((line) => line !== ''),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

const amRoot = process.getuid?.() === 0;

describe('scripts/provision.sh (the first step of npm test)', () => {
  let debian: FakeDebian | undefined;
  afterEach(() => debian?.cleanup());

  beforeAll(() => {
    if (amRoot && !existsSync('/usr/bin/setpriv'))
      throw new Error('these tests drop root with setpriv (util-linux), which is missing');
  });

  it('when everything is installed, then it calls neither apt-get nor sudo and succeeds', () => {
    debian = fakeDebian({ installed: ALL, withSudo: true });
    const { status } = debian.run();
    expect(status).toBe(0);
    expect(debian.aptCalls()).toEqual([]);
  });

  it('when nothing is installed and the user may install, then it installs exactly the three packages, non-interactively', () => {
    // As root when jest is root; otherwise through the passwordless-sudo stub.
    debian = fakeDebian({ installed: [], withSudo: !amRoot });
    const { status, stderr } = debian.run();
    expect({ status, stderr }).toEqual({ status: 0, stderr: expect.stringContaining('installing') });
    const apt = debian.aptCalls().filter((line) => !line.startsWith('sudo '));
    expect(apt).toEqual([
      'DEBIAN_FRONTEND=noninteractive update',
      `DEBIAN_FRONTEND=noninteractive install -y --no-install-recommends ${ALL.join(' ')}`,
    ]);
  });

  it('when only the font is missing, then apt-get is asked for the font alone', () => {
    debian = fakeDebian({ installed: ['chromium', 'poppler-utils'], withSudo: !amRoot });
    expect(debian.run().status).toBe(0);
    expect(debian.aptCalls().filter((line) => !line.startsWith('sudo '))).toEqual([
      'DEBIAN_FRONTEND=noninteractive update',
      'DEBIAN_FRONTEND=noninteractive install -y --no-install-recommends fonts-wqy-microhei',
    ]);
  });

  it('when chromium and poppler are missing and the user has passwordless sudo, then it installs those two through sudo', () => {
    debian = fakeDebian({ installed: ['fonts-wqy-microhei'], withSudo: true });
    expect(debian.run({ asNobody: true }).status).toBe(0);
    expect(debian.aptCalls()).toEqual([
      'sudo -n true',
      'sudo -n env DEBIAN_FRONTEND=noninteractive apt-get update',
      'DEBIAN_FRONTEND=noninteractive update',
      'sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium poppler-utils',
      'DEBIAN_FRONTEND=noninteractive install -y --no-install-recommends chromium poppler-utils',
    ]);
  });

  it('when packages are missing and the user is not root and has no sudo, then it stops at once printing the exact command', () => {
    debian = fakeDebian({ installed: ['poppler-utils'] });
    const { status, stderr } = debian.run({ asNobody: true });
    expect(status).toBe(1);
    expect(stderr).toContain(
      '  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-wqy-microhei\n',
    );
    expect(debian.aptCalls()).toEqual([]);
  });

  it('when the machine has no apt-get, then it stops naming what is missing', () => {
    debian = fakeDebian({ installed: ['chromium', 'fonts-wqy-microhei'], withAptGet: false });
    const { status, stderr } = debian.run();
    expect(status).toBe(1);
    expect(stderr).toMatch(/missing Debian packages: poppler-utils/);
    expect(stderr).toMatch(/no apt-get/);
  });

  it('when EID_SKIP_PROVISION=1, then it checks nothing, installs nothing and says so loudly', () => {
    debian = fakeDebian({ installed: [] });
    const { status, stderr } = debian.run({ env: { EID_SKIP_PROVISION: '1' } });
    expect(status).toBe(0);
    expect(stderr).toMatch(/!!! EID_SKIP_PROVISION=1: NOT checking/);
    expect(debian.aptCalls()).toEqual([]);
  });

  it('when CHROMIUM_PATH names a browser, then chromium is not asked for', () => {
    debian = fakeDebian({ installed: ['fonts-wqy-microhei', 'poppler-utils'] });
    const browser = path.join(debian.bin, 'my-browser');
    writeFileSync(browser, '#!/bin/sh\n');
    chmodSync(browser, 0o755);
    expect(debian.run({ env: { CHROMIUM_PATH: browser } }).status).toBe(0);
    expect(debian.aptCalls()).toEqual([]);
  });

  it('when the README command runs, then npm test provisions first and .ci/run calls exactly that command', () => {
    const scripts = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts as Record<
      string,
      string
    >;
    expect(scripts.test).toMatch(/^bash scripts\/provision\.sh && /);
    const ci = readFileSync(path.join(ROOT, '.ci/run'), 'utf8');
    expect(ci.trim().split('\n').at(-1)).toBe('npm install && npm test');
    expect(ci).not.toMatch(/apt-get/);
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('```sh\nnpm install && npm test\n```');
  });
});
