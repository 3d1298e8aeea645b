import type { App } from '../../src/api/deps.ts';

/** Latency percentiles of repeated in-process requests (Fastify inject: routing, validation, SQL, serialization). */

export interface Latency { p50_ms: number; p95_ms: number; min_ms: number; max_ms: number; runs: number; bytes: number; items?: number; total?: number | null }

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? 0;
}

const round = (x: number) => Math.round(x * 10) / 10;

export async function measure(app: App, url: string, headers: Record<string, string>, runs: number, warmup = 3, beforeEach?: () => void): Promise<Latency> {
  let bytes = 0;
  let body: unknown;
  for (let i = 0; i < warmup; i++) await app.inject({ method: 'GET', url, headers });
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    beforeEach?.();
    const start = performance.now();
    const res = await app.inject({ method: 'GET', url, headers });
    times.push(performance.now() - start);
    if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
    bytes = res.rawPayload.length;
    if (i === 0) body = res.json();
  }
  times.sort((a, b) => a - b);
  const page = body as { items?: unknown[]; total?: number | null };
  return {
    p50_ms: round(percentile(times, 50)),
    p95_ms: round(percentile(times, 95)),
    min_ms: round(times[0] ?? 0),
    max_ms: round(times[times.length - 1] ?? 0),
    runs,
    bytes,
    ...(Array.isArray(page?.items) ? { items: page.items.length, total: page.total ?? null } : {}),
  };
}
