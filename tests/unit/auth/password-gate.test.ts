import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/common/errors.ts';
import { PasswordGate } from '../../../src/auth/password-gate.ts';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('PasswordGate', () => {
  it('runs at most maxConcurrent tasks, queues maxQueued in order and refuses the rest with 503', async () => {
    const gate = new PasswordGate({ maxConcurrent: 2, maxQueued: 2 });
    const started: number[] = [];
    const release = Array.from({ length: 4 }, deferred);
    const runs = release.map((d, i) => gate.run(async () => {
      started.push(i);
      await d.promise;
      return i;
    }));
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(gate.load).toEqual({ active: 2, queued: 2 });

    const refused = await gate.run(async () => 'never').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).status).toBe(503);
    expect((refused as AppError).headers['retry-after']).toBe('1');

    release[1]!.resolve();
    await runs[1];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    for (const d of release) d.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
    expect(gate.load).toEqual({ active: 0, queued: 0 });
  });

  it('frees the slot when a task fails', async () => {
    const gate = new PasswordGate({ maxConcurrent: 1, maxQueued: 0 });
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run(() => Promise.resolve('ok'))).toBe('ok');
  });
});
