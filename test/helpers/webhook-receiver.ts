import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { CallbackEvent, CallbackEventType } from '@eid/shared';
import type { Stack } from './stack';

/**
 * A party's callback endpoint for tests: a real HTTP server on 127.0.0.1, port 0, that records every
 * request and answers what it is told, one step per request (then `200` when the steps run out).
 */

/** What the receiver does with one request. */
export type ReceiverStep =
  | number
  | { status: number; headers?: Record<string, string>; body?: string }
  /** Reads the request, counts it as handled (a de-duplicating receiver did the work) and never answers. */
  | 'hang';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The raw body, UTF-8. */
  body: string;
  /** `webhook-id`, `webhook-timestamp`, `webhook-signature` ('' when absent). */
  id: string;
  timestamp: string;
  signature: string;
  /** What the receiver answered: a status, or 'hang'. */
  answered: number | 'hang';
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  /** `origin + '/hook'`: the callback URL to register. */
  url: string;
  port: number;
  /** Every request in arrival order (also those it answered with an error or left hanging). */
  requests: ReceivedRequest[];
  /** TCP connections accepted so far (a refused send must leave this at 0). */
  connections(): number;
  /** Queues the answers of the next requests. */
  answer(...steps: ReceiverStep[]): void;
  /**
   * With `dedupe`, the webhook ids the receiver acted on, once each, in order: a request whose id it has
   * already handled is answered 200 and not handled again (what Standard Webhooks asks of receivers).
   * Without it, every 2xx-answered or hung request's id, repeats included.
   */
  handled: string[];
  /** Resolves once `n` requests have arrived (rejects after `timeoutMs` of real time). */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  /** Cuts every hung request's connection. */
  release(): void;
  close(): Promise<void>;
}

/**
 * Starts a receiver. `dedupe`: de-duplicate by `webhook-id` (see `handled`); `latencyMs`: real time it takes
 * before each answer (so concurrent senders overlap).
 */
export async function startWebhookReceiver(
  options: { dedupe?: boolean; latencyMs?: number } = {},
): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const handled: string[] = [];
  const seen = new Set<string>();
  const steps: ReceiverStep[] = [];
  const hung = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  const waiters: { n: number; resolve: () => void }[] = [];
  let connections = 0;

  const handle = (id: string) => {
    if (options.dedupe) {
      if (seen.has(id)) return;
      seen.add(id);
    }
    handled.push(id);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const header = (name: string) => {
        const v = req.headers[name];
        return Array.isArray(v) ? v.join(', ') : (v ?? '');
      };
      const id = header('webhook-id');
      // A duplicate at a de-duplicating receiver is acknowledged without consuming a step: it was done.
      const duplicate = options.dedupe === true && id !== '' && seen.has(id);
      const step: ReceiverStep = duplicate ? 200 : (steps.shift() ?? 200);
      const record: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
        body: Buffer.concat(chunks).toString('utf8'),
        id,
        timestamp: header('webhook-timestamp'),
        signature: header('webhook-signature'),
        answered: step === 'hang' ? 'hang' : typeof step === 'number' ? step : step.status,
      };
      requests.push(record);
      for (const w of waiters.splice(0)) {
        if (requests.length >= w.n) w.resolve();
        else waiters.push(w);
      }
      if (step === 'hang') {
        handle(id);
        hung.add(res);
        return;
      }
      const answer = typeof step === 'number' ? { status: step } : step;
      if (answer.status >= 200 && answer.status < 300) handle(id);
      const respond = () => {
        res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
        res.end(answer.body ?? '');
      };
      if (options.latencyMs) setTimeout(respond, options.latencyMs);
      else respond();
    });
  });
  server.on('connection', (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    url: `${origin}/hook`,
    port,
    requests,
    handled,
    connections: () => connections,
    answer: (...next) => void steps.push(...next),
    waitFor(n, timeoutMs = 10_000) {
      if (requests.length >= n) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`receiver: ${requests.length} of ${n} requests after ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    release() {
      for (const res of hung) res.socket?.destroy();
      hung.clear();
    },
    async close() {
      for (const res of hung) res.socket?.destroy();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The callback steps the suites share: events queued, the outbox run, the admin views. */

/** Queues one event for the party through the callbacks module (what consent and rp-verify call). */
export const enqueueEvent = (
  stack: Stack,
  partyId: string,
  event: { type: CallbackEventType; data: CallbackEvent['data'] } = {
    type: 'consent.declined',
    data: { consentId: `c-${randomBytes(6).toString('hex')}`, state: 'declined' },
  },
  key?: string,
) => stack.services.callbacks.enqueue(partyId, event, key ? { key } : {});

/** Runs the outbox worker of `stack` once (what its timer does), returning how many events it delivered. */
export const runOutbox = (stack: Pick<Stack, 'services'>) => stack.services.outbox.runDue();

/** `GET /api/v1/admin/callbacks/dead` as a supervisor. */
export const deadLetters = (stack: Stack, token: string) =>
  stack.api('GET', '/api/v1/admin/callbacks/dead', { token });

/** `GET /api/v1/admin/callbacks/:id/attempts` as a supervisor: the attempts' statuses and errors. */
export async function attemptsOf(stack: Stack, token: string, webhookId: string) {
  const res = await stack.api('GET', `/api/v1/admin/callbacks/${webhookId}/attempts`, { token });
  if (res.status !== 200) throw new Error(`attempts answered ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.attempts as { attempt: number; at: number; status?: number; error?: string }[];
}
