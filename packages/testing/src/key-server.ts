import type { KeySourceBehaviour } from './key-source.js';

/** A local install-key CDN on 127.0.0.1. */
export interface KeyServer {
  /** Base URL to configure as the install key source. */
  readonly url: string;
  /** Paths requested so far, in order. */
  readonly requests: string[];
  /** Mutable: change keys or inject faults while running. */
  readonly behaviour: KeySourceBehaviour;
  close(): Promise<void>;
}

/**
 * Serves install keys over HTTP on 127.0.0.1 (an ephemeral port unless given): `GET /<kid>`
 * answers the PEM, or 404. Node only (node:http is loaded when called).
 */
export async function startKeyServer(behaviour: KeySourceBehaviour, options: { port?: number } = {}): Promise<KeyServer> {
  const { createServer } = await import('node:http');
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push(path);
    const answer = () => {
      if (behaviour.status !== undefined) {
        res.writeHead(behaviour.status, { 'content-type': 'text/plain' }).end('error');
      } else if (behaviour.body !== undefined) {
        res.writeHead(200, { 'content-type': 'text/plain' }).end(behaviour.body);
      } else {
        const pem = behaviour.keys[decodeURIComponent(path.slice(1))];
        if (pem === undefined) res.writeHead(404, { 'content-type': 'text/plain' }).end('no such key');
        else res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(pem);
      }
    };
    if (behaviour.delayMs) setTimeout(answer, behaviour.delayMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    behaviour,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
