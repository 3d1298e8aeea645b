import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { HttpLimits } from '../config/http.ts';

/**
 * Fastify and Node server options for the limits. Node checks header and request deadlines on an interval (30 s by
 * default), which would let a slow client outlive its deadline by that much.
 */
export function serverOptions(limits: HttpLimits) {
  const headersTimeout = limits.headersTimeoutSeconds * 1000;
  const requestTimeout = limits.requestTimeoutSeconds * 1000;
  return {
    connectionTimeout: limits.idleTimeoutSeconds * 1000,
    keepAliveTimeout: limits.keepAliveTimeoutSeconds * 1000,
    requestTimeout,
    http: { headersTimeout, requestTimeout, connectionsCheckingInterval: Math.min(1000, Math.max(100, headersTimeout / 4)) },
  };
}

/**
 * Caps connections and decides what a connection's silence means. Silent before its first request, between requests
 * or while its request body stalls: the client holds a slot for nothing, so the connection is closed. Silent while
 * the server owes the response (a patch being applied, a large download the client paused): it is kept, so long
 * work and big transfers are never cut.
 */
export function guardConnections(server: Server, limits: HttpLimits): void {
  server.maxConnections = limits.maxConnections;
  const owed = new WeakMap<Socket, { req: IncomingMessage; res: ServerResponse }>();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    owed.set(socket, { req, res });
    res.once('close', () => {
      if (owed.get(socket)?.res === res) owed.delete(socket);
    });
  });
  // With a listener here, Node leaves timed-out sockets to it instead of destroying them.
  server.on('timeout', (socket: Socket) => {
    const current = owed.get(socket);
    if (current?.req.complete) return;
    socket.destroy();
  });
}
