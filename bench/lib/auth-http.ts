import http from 'node:http';

export interface Answer {
  status: number;
  ms: number;
}

/**
 * One HTTP request on a fresh connection from `localAddress` (any 127.x.y.z on Linux), so a benchmark can play many
 * clients on one machine. Never rejects: a timeout or socket error answers status 0.
 */
export function hit(port: number, method: string, path: string, headers: Record<string, string>, localAddress = '127.0.0.1', timeoutMs = 60_000): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, localAddress, agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
    req.end();
  });
}

export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, index)]! * 10) / 10;
}

/** Sequential heartbeats until `deadline`: the latency a client polling the server sees. */
export async function sampleHeartbeat(port: number, deadline: number, maxSamples: number): Promise<number[]> {
  const samples: number[] = [];
  while (performance.now() < deadline && samples.length < maxSamples) {
    const answer = await hit(port, 'GET', '/api/heartbeat', {});
    if (answer.status === 200) samples.push(answer.ms);
    await new Promise((r) => setTimeout(r, 20));
  }
  return samples;
}

export const basic = (username: string, password: string): string =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

export function countStatuses(answers: Answer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of answers) counts[a.status] = (counts[a.status] ?? 0) + 1;
  return counts;
}
