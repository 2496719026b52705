/**
 * The forked server processes' side of the card and relying-party benches (card/serve.ts, rp/verify.ts,
 * rp/callbacks.ts): the control messages (`cpu`, a CPU profile per measured run under BENCH_CPU_PROF,
 * `stop`), plus questions with an id (`ask` in the bench process) that a suite answers with work done in
 * the server process, such as the database commands it counted (BENCH_COMMANDS=1).
 */
import type { ChildProcess } from 'node:child_process';
import type { mongo } from 'mongoose';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

/** A question to the server process: `{ ask: id, ...what }`, answered `{ answer: id, ...result }`. */
interface Question {
  ask: number;
  [key: string]: unknown;
}

/**
 * Answers the bench process's messages until `stop`: CPU time (card/load.ts serverCpu), profiler
 * start/stop (card/load.ts profiling), and questions through `answer`.
 */
export function controlled(
  answer: (question: Record<string, unknown>) => Promise<unknown>,
  stop: () => Promise<void>,
): void {
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
    if (typeof message === 'object' && message !== null && 'ask' in message) {
      const { ask, ...question } = message as Question;
      answer(question).then(
        (result) => process.send!({ answer: ask, result }),
        (err: unknown) => process.send!({ answer: ask, error: String((err as Error)?.stack ?? err) }),
      );
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
    if (message === 'stop') void stop().finally(() => process.exit(0));
  });
}

let asked = 0;

/** Bench-process side: asks the server process `question` and waits for its answer (or its error). */
export function ask<T>(child: ChildProcess, question: Record<string, unknown>): Promise<T> {
  const id = ++asked;
  return new Promise<T>((resolve, reject) => {
    const onMessage = (m: unknown) => {
      if (typeof m !== 'object' || m === null || (m as { answer?: number }).answer !== id) return;
      child.off('message', onMessage);
      const { result, error } = m as { result?: T; error?: string };
      if (error !== undefined) reject(new Error(`bench server: ${error}`));
      else resolve(result as T);
    };
    child.on('message', onMessage);
    child.send({ ask: id, ...question });
  });
}

/** `http://127.0.0.1:PORT` of a listening server. */
export function originOf(server: { address(): unknown }): string {
  const address = server.address() as { port?: number } | null;
  return `http://127.0.0.1:${address?.port ?? 0}`;
}

/**
 * BENCH_COMMANDS=1: `MONGODB_URI` with the driver's command monitoring on, so that `countCommands` sees
 * every command; call before the stack connects.
 */
export function monitorCommandsIfAsked(): void {
  const uri = process.env.MONGODB_URI;
  if (process.env.BENCH_COMMANDS && uri)
    process.env.MONGODB_URI = `${uri}${uri.includes('?') ? '&' : '?'}monitorCommands=true`;
}

/**
 * Database commands by name and collection since the last question `{ commands: 'read' }`, as an answer
 * for `controlled`: the bench process asks before and after a measured run.
 */
export function countCommands(
  client: mongo.MongoClient,
): (question: Record<string, unknown>) => Promise<unknown> {
  const commands = new Map<string, number>();
  client.on('commandStarted', (e: { commandName: string; command: Record<string, unknown> }) => {
    const key = `${e.commandName} ${String(e.command[e.commandName])}`;
    commands.set(key, (commands.get(key) ?? 0) + 1);
  });
  return (question) => {
    if (question.commands !== 'read') return Promise.resolve(undefined);
    const counted = Object.fromEntries(commands);
    commands.clear();
    return Promise.resolve(counted);
  };
}

/** One line: each command's count per request, most first, and all of them. */
export function commandsPerRequest(name: string, commands: Map<string, number>, requests: number): string {
  const rows = [...commands].sort((x, y) => y[1] - x[1]);
  return (
    `   database commands per request, ${name}: ` +
    rows.map(([k, n]) => `${k} ${(n / requests).toFixed(2)}`).join(', ') +
    `; all ${(rows.reduce((sum, [, n]) => sum + n, 0) / requests).toFixed(2)}\n`
  );
}
