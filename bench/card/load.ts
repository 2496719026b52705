/** The online part's load and accounting: autocannon runs, codes handed out once, CPU time per process. */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PURPOSE, type ReferenceName } from './common';

export const CONNECTIONS = 50;
// USER_HZ: Linux reports process times in these ticks on every mainstream architecture.
const CLOCK_TICKS_PER_S = 100;

export interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
/** One request template of an autocannon run; `setupRequest` fills in each request sent. */
export interface AutocannonRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest(req: AutocannonRequest): AutocannonRequest;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  requests: AutocannonRequest[];
}) => Promise<AutocannonResult>;
// autocannon ships no types; this is the slice of its API the benches use.

export const autocannon = createRequire(__filename)('autocannon') as Autocannon;

/** Two runs of equal length as one: mean rate, mean p50, worse p99, summed failures. */
export function combine(a: AutocannonResult, b: AutocannonResult): AutocannonResult {
  return {
    requests: {
      average: (a.requests.average + b.requests.average) / 2,
      total: a.requests.total + b.requests.total,
    },
    latency: { p50: (a.latency.p50 + b.latency.p50) / 2, p99: Math.max(a.latency.p99, b.latency.p99) },
    non2xx: a.non2xx + b.non2xx,
    errors: a.errors + b.errors,
    timeouts: a.timeouts + b.timeouts,
  };
}

/** A list of codes handed out in turn; `wrapped` once a code had to be handed out twice. */
export class Codes {
  private next = 0;
  wrapped = false;
  constructor(
    readonly list: string[],
    /** Reuse is harmless for a server without a replay cache. */
    private readonly reusable = false,
    /** Makes `n` more codes: `fill` tops the list up between runs, so none are made while one is measured. */
    private readonly make?: (n: number) => string[],
  ) {}
  /** Makes codes until at least `count` are left unused. */
  fill(count: number): void {
    const left = this.list.length - this.next;
    if (this.make && left < count) this.list.push(...this.make(count - left));
  }
  take(): string {
    if (this.next === this.list.length) {
      this.next = 0;
      if (!this.reusable) this.wrapped = true;
    }
    return this.list[this.next++]!;
  }
}

export interface Target {
  name: 'endpoint' | ReferenceName;
  url: string;
  path: string;
  token: string;
  codes: Codes;
  spent: { server: number; db: number };
  runs: AutocannonResult[];
}

/** `seconds` of POSTs of the target's codes at `connections` connections (autocannon). */
export function load({ url, path, token, codes }: Target, seconds: number, connections = CONNECTIONS) {
  return autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ code: codes.take(), purpose: PURPOSE }) }),
      },
    ],
  });
}

/** CPU time (µs) the forked server process has used so far, asked over IPC. */
export function serverCpu(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (m: unknown) => {
      if (typeof m !== 'object' || m === null || !('cpuMicros' in m)) return;
      child.off('message', onMessage);
      resolve((m as { cpuMicros: number }).cpuMicros);
    };
    child.on('message', onMessage);
    child.send('cpu');
  });
}

/** Starts the server process's profiler, or stops it and writes the profile as `<name>.cpuprofile`. */
export function profiling(child: ChildProcess, profile: string, dir: string): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (m: unknown) => {
      if (typeof m !== 'object' || m === null || !('profiled' in m)) return;
      child.off('message', onMessage);
      resolve();
    };
    child.on('message', onMessage);
    child.send({ profile, dir });
  });
}

/** CPU time (µs) a process has used so far, from /proc; 0 where that is not available. */
export function processCpu(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    // Fields 14 and 15 of /proc/<pid>/stat (after the parenthesised name) are utime and stime in ticks.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / CLOCK_TICKS_PER_S;
  } catch {
    return 0;
  }
}
