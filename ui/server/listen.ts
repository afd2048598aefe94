// Putting the app on a socket with @hono/node-server, and the user's mistakes about where as one-line errors.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import { UserError } from '../../engine/types.js';

export interface Listening {
  url: string;
  port: number;
  close(): Promise<void>;
}

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export function hostProblem(host: string): string | null {
  return net.isIP(host) || HOSTNAME.test(host) ? null : `--host ${host} is not an IP address or a host name: use e.g. 127.0.0.1 or 0.0.0.0`;
}

export async function listen(app: Hono<any>, host: string, port: number): Promise<Listening> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const problem = hostProblem(host);
  if (problem) throw new UserError(problem);
  const server = createAdaptorServer({ fetch: app.fetch }) as import('node:http').Server;
  // Longer than clients' and proxies' idle timeouts, so a kept-alive connection is never closed under a request
  // being sent on it (Node's 5 s default races with clients that reuse connections after ~4 s).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(listenError(err, host, port)));
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  const shown = net.isIPv6(host) ? `[${host}]` : host;
  return {
    url: `http://${shown}:${actual}`,
    port: actual,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

function listenError(err: NodeJS.ErrnoException, host: string, port: number): Error {
  switch (err.code) {
    case 'EADDRINUSE':
      return new UserError(`port ${port} on ${host} is already in use: stop what listens there or pass another --port (0 picks a free one)`);
    case 'EACCES':
      return new UserError(`not allowed to listen on port ${port}: ports below 1024 need privileges; pass e.g. --port 8080`);
    case 'EADDRNOTAVAIL':
      return new UserError(`--host ${host} is not an address of this machine: use 127.0.0.1, 0.0.0.0 or one of its addresses`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new UserError(`--host ${host} does not resolve to an address: use an IP address such as 127.0.0.1`);
    default:
      return err;
  }
}
