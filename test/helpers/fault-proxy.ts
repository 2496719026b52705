import net, { type AddressInfo, type Socket } from 'node:net';

/**
 * What the proxy does with a connection: `pass` forwards it, `hang` accepts it and never answers (a stuck
 * or very slow system), `reset` accepts and drops it at once (a system that is down or partitioned away).
 */
export type ProxyMode = 'pass' | 'hang' | 'reset';

/** A TCP proxy on 127.0.0.1 in front of one server, whose behaviour a test switches at any time. */
export interface FaultProxy {
  /** `http://127.0.0.1:PORT` of the proxy. */
  url: string;
  port: number;
  mode(): ProxyMode;
  /**
   * Switches the mode and cuts every connection open at the time: a system that goes down drops them, and
   * one that comes back is a new process that never knew the hanging ones.
   */
  setMode(mode: ProxyMode): void;
  /** Connections accepted so far, by the mode they met. */
  connections: Record<ProxyMode, number>;
  stop(): Promise<void>;
}

/**
 * Starts a proxy to `target` (`http://127.0.0.1:PORT` or `mongodb://127.0.0.1:PORT`), on `port` if given
 * (a fixed port survives a restart of whatever is behind it), else a free one.
 */
export async function startFaultProxy(target: string, port = 0): Promise<FaultProxy> {
  const upstream = new URL(target);
  let mode: ProxyMode = 'pass';
  const connections: Record<ProxyMode, number> = { pass: 0, hang: 0, reset: 0 };
  const open = new Set<Socket>();
  const track = (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    // A cut connection errors on the other side; the proxy itself has nothing to report.
    socket.on('error', () => socket.destroy());
  };
  const server = net.createServer((client) => {
    connections[mode]++;
    track(client);
    if (mode === 'reset') return void client.resetAndDestroy();
    if (mode === 'hang') return void client.resume();
    const backend = net.connect(Number(upstream.port), upstream.hostname);
    track(backend);
    client.pipe(backend);
    backend.pipe(client);
    client.once('close', () => backend.destroy());
    backend.once('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `${upstream.protocol}//127.0.0.1:${bound}`,
    port: bound,
    mode: () => mode,
    setMode(next) {
      if (next === mode) return;
      mode = next;
      for (const socket of open) socket.destroy();
    },
    connections,
    async stop() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
