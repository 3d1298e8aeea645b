import { describe, expect, it } from 'vitest';
import { ApiError } from './api/client';
import type { ScanTaskStatus } from './api/types';
import { isScanRunning, phaseText, scanFraction, scanPhase, scanStats, sourceCounts, waitForTask } from './scan-progress';

function status(s: string, stats: Record<string, unknown> = {}, phase?: unknown, taskId = 't1'): ScanTaskStatus {
  return {
    task_name: 'Scan library', task_id: taskId, status: s, task_type: 'scan', created_at: null, enqueued_at: null,
    started_at: null, ended_at: null, meta: { scan_stats: stats, ...(phase === undefined ? {} : { phase }) } as ScanTaskStatus['meta'],
  };
}

describe('scan status read defensively', () => {
  it('keeps numeric counters only', () => {
    expect(scanStats(status('started', { scanned_roms: 3, metadata_total: '7', x: null, y: Number.NaN }))).toEqual({ scanned_roms: 3 });
    expect(scanStats(null)).toEqual({});
    expect(scanStats({ ...status('started'), meta: {} } as unknown as ScanTaskStatus)).toEqual({});
  });

  it('reads the phase, null when missing or unknown', () => {
    expect(scanPhase(status('started', {}, 'metadata'))).toBe('metadata');
    expect(scanPhase(status('started', {}, 'files'))).toBe('files');
    expect(scanPhase(status('started', {}))).toBeNull();
    expect(scanPhase(status('started', {}, 'bogus'))).toBeNull();
  });

  it('measures the metadata phase by its own counters', () => {
    const s = status('started', { scanned_roms: 100, total_roms: 100, metadata_done: 10, metadata_total: 40 }, 'metadata');
    expect(scanFraction(s)).toBe(0.25);
    expect(phaseText(s)).toBe('Fetching metadata: 10 / 40 ROMs');
  });

  it('falls back to ROMs, then platforms, on an older server', () => {
    expect(scanFraction(status('started', { scanned_roms: 30, total_roms: 120 }))).toBe(0.25);
    expect(scanFraction(status('started', { scanned_platforms: 1, total_platforms: 4 }))).toBe(0.25);
    expect(scanFraction(status('started', {}))).toBe(0);
    expect(scanFraction(status('finished', {}))).toBe(1);
    expect(phaseText(status('started', { scanned_roms: 1200, total_roms: 3000 }))).toBe('Reading files: 1,200 / 3,000 ROMs');
    expect(phaseText(status('started', {}, 'metadata'))).toBe('Fetching metadata');
  });

  it('names ended scans', () => {
    expect(isScanRunning(status('started'))).toBe(true);
    expect(isScanRunning(status('finished'))).toBe(false);
    expect(phaseText(status('failed'))).toBe('Failed');
    expect(phaseText(status('canceled'))).toBe('Canceled');
  });
});

describe('waiting for a task', () => {
  const noSleep = () => Promise.resolve();

  it('polls until the task ends and reports each status', async () => {
    const answers = [status('started', {}, 'files'), status('started', {}, 'metadata'), status('finished')];
    const seen: string[] = [];
    const last = await waitForTask(status('started'), async (id) => {
      expect(id).toBe('t1');
      return answers.shift() as ScanTaskStatus;
    }, { sleep: noSleep, onStatus: (s) => seen.push(`${s.status}:${scanPhase(s) ?? '-'}`) });
    expect(last.status).toBe('finished');
    expect(seen).toEqual(['started:-', 'started:files', 'started:metadata', 'finished:-']);
  });

  it('returns at once when the scan already ended', async () => {
    let polls = 0;
    const last = await waitForTask(status('finished'), async () => {
      polls++;
      return status('started');
    }, { sleep: noSleep });
    expect(last.status).toBe('finished');
    expect(polls).toBe(0);
  });

  it('treats a 404 or another task id as the end of this task', async () => {
    const gone = await waitForTask(status('started'), async () => {
      throw new ApiError(404, 'Task with ID t1 not found');
    }, { sleep: noSleep });
    expect(gone.status).toBe('ended');
    const replaced = await waitForTask(status('started'), async () => status('started', {}, null, 't2'), { sleep: noSleep });
    expect(replaced.status).toBe('ended');
  });

  it('passes other errors on and stops when aborted', async () => {
    await expect(waitForTask(status('started'), async () => {
      throw new ApiError(500, 'boom');
    }, { sleep: noSleep })).rejects.toThrow('boom');
    const controller = new AbortController();
    controller.abort();
    await expect(waitForTask(status('started'), async () => status('finished'), { signal: controller.signal, intervalMs: 10 })).rejects.toThrow('aborted');
  });
});

describe('sourceCounts', () => {
  it('reads the per-provider counts defensively', () => {
    const status = {
      task_name: 'Scan library', task_id: 't', status: 'started', task_type: 'scan', created_at: null, enqueued_at: null,
      started_at: null, ended_at: null,
      meta: { scan_stats: {}, metadata_sources: { igdb: { matched: 3, unmatched: 1, errors: 0 }, ss: { matched: 'x' }, bad: null } },
    } as unknown as ScanTaskStatus;
    expect(sourceCounts(status)).toEqual([
      { source: 'igdb', matched: 3, unmatched: 1, errors: 0 },
      { source: 'ss', matched: 0, unmatched: 0, errors: 0 },
    ]);
    expect(sourceCounts(null)).toEqual([]);
    expect(sourceCounts({ ...status, meta: { scan_stats: {} } })).toEqual([]);
  });
});
