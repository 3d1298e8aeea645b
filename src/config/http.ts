import { ConfigError, int, type Env } from './env-values.ts';

/** Limits that keep slow, idle or too many connections from holding the server. */
export interface HttpLimits {
  /** Time for a client to send a request's headers. */
  headersTimeoutSeconds: number;
  /** Time for a client to send a whole request, body included (0: no limit); responses are not limited. */
  requestTimeoutSeconds: number;
  /** How long an idle keep-alive connection stays open after a response. */
  keepAliveTimeoutSeconds: number;
  /** Silence after which a connection is closed unless the server still owes it a response. */
  idleTimeoutSeconds: number;
  /** Open connections at once; more are closed as they arrive. */
  maxConnections: number;
}

export function loadHttpLimits(env: Env): HttpLimits {
  const limits: HttpLimits = {
    headersTimeoutSeconds: int(env, 'HTTP_HEADERS_TIMEOUT_SECONDS', 20, 1, 300),
    // Generous: a multi-GB patch upload over a slow link must arrive whole.
    requestTimeoutSeconds: int(env, 'HTTP_REQUEST_TIMEOUT_SECONDS', 3600, 0, 7 * 24 * 3600),
    keepAliveTimeoutSeconds: int(env, 'HTTP_KEEP_ALIVE_TIMEOUT_SECONDS', 5, 1, 3600),
    idleTimeoutSeconds: int(env, 'HTTP_IDLE_TIMEOUT_SECONDS', 30, 1, 3600),
    maxConnections: int(env, 'HTTP_MAX_CONNECTIONS', 500, 1, 1_000_000),
  };
  if (limits.requestTimeoutSeconds > 0 && limits.headersTimeoutSeconds > limits.requestTimeoutSeconds) {
    throw new ConfigError('HTTP_HEADERS_TIMEOUT_SECONDS must not exceed HTTP_REQUEST_TIMEOUT_SECONDS');
  }
  return limits;
}
