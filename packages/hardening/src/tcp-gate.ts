import { type Socket, connect, createServer } from 'node:net';

/** What the gate does with each new connection. */
export type GateMode = 'pass' | 'reset' | 'hang';

/** A TCP gate in front of a server, to inject connection-level faults. */
export interface TcpGate {
  /** `http://127.0.0.1:<port>`: configure this instead of the server's own URL. */
  readonly url: string;
  /**
   * `pass` pipes to the target; `reset` answers every connection with a TCP RST; `hang` accepts
   * and never answers. Setting it resets the connections already open.
   */
  mode: GateMode;
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

/**
 * Starts a raw `node:net` gate on 127.0.0.1 in front of `targetPort`, so a key source can be made
 * to reset or hang connections while the app under test keeps its configuration.
 */
export async function startTcpGate(targetPort: number): Promise<TcpGate> {
  const open = new Set<Socket>();
  let connections = 0;
  const gate = {
    mode: 'pass' as GateMode,
  };
  const server = createServer((client) => {
    connections++;
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => undefined);
    if (gate.mode === 'reset') {
      client.resetAndDestroy();
      return;
    }
    if (gate.mode === 'hang') return;
    const upstream = connect(targetPort, '127.0.0.1');
    open.add(upstream);
    upstream.on('close', () => open.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    get mode() {
      return gate.mode;
    },
    set mode(mode: GateMode) {
      gate.mode = mode;
      // Kept-alive connections from before would bypass the new mode: cut them all.
      for (const socket of open) socket.resetAndDestroy();
    },
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
