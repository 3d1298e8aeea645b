import { describe, expect, it, vi } from 'vitest';
import { CronError, parseCron, scheduleCron } from '../../../src/common/cron.ts';

/** Local wall-clock times, as cron reads them. */
const local = (y: number, mo: number, d: number, h = 0, mi = 0) => new Date(y, mo - 1, d, h, mi).getTime();

describe('cron expressions', () => {
  it('steps, ranges, lists and names', () => {
    const every30 = parseCron('*/30 * * * *');
    expect(every30.next(local(2026, 1, 1, 10, 0))).toBe(local(2026, 1, 1, 10, 30));
    expect(every30.next(local(2026, 1, 1, 10, 29))).toBe(local(2026, 1, 1, 10, 30));
    expect(every30.next(local(2026, 1, 1, 23, 45))).toBe(local(2026, 1, 2, 0, 0));
    expect(parseCron('0 5 * * *').next(local(2026, 1, 1, 5, 0))).toBe(local(2026, 1, 2, 5, 0));
    expect(parseCron('15,45 9-10 * * *').next(local(2026, 1, 1, 10, 50))).toBe(local(2026, 1, 2, 9, 15));
    expect(parseCron('0 0 1 jan *').next(local(2026, 3, 1))).toBe(local(2027, 1, 1));
    // 2026-01-01 is a Thursday; the next Monday is the 5th. 7 is Sunday too.
    expect(parseCron('0 12 * * mon').next(local(2026, 1, 1))).toBe(local(2026, 1, 5, 12, 0));
    expect(parseCron('0 0 * * 7').next(local(2026, 1, 1))).toBe(local(2026, 1, 4));
    // Both day fields restricted: either matches (the 10th, or a Monday).
    expect(parseCron('0 0 10 * 1').next(local(2026, 1, 1))).toBe(local(2026, 1, 5));
    expect(parseCron('0 0 30 2 *').next(local(2026, 1, 1))).toBeNull();
  });

  it('rejects malformed expressions', () => {
    for (const bad of ['', '* * * *', '60 * * * *', '* 24 * * *', '*/0 * * * *', '5-1 * * * *', 'a * * * *', '* * * * * *']) {
      expect(() => parseCron(bad), bad).toThrow(CronError);
    }
  });
});

describe('scheduleCron', () => {
  it('runs at each matching minute, skips a time while the last run is still going, and stops', async () => {
    vi.useFakeTimers();
    try {
      vi.setSystemTime(new Date(2026, 0, 1, 10, 0, 30));
      let runs = 0;
      let release: (() => void) | null = null;
      const stop = scheduleCron(parseCron('*/10 * * * *'), () => {
        runs++;
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      }, () => undefined);
      await vi.advanceTimersByTimeAsync(9 * 60_000);
      expect(runs).toBe(0);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(runs).toBe(1);
      // Still running at 10:20: that time is skipped.
      await vi.advanceTimersByTimeAsync(10 * 60_000);
      expect(runs).toBe(1);
      (release as (() => void) | null)?.();
      await vi.advanceTimersByTimeAsync(10 * 60_000);
      expect(runs).toBe(2);
      stop.stop();
      await vi.advanceTimersByTimeAsync(60 * 60_000);
      expect(runs).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
