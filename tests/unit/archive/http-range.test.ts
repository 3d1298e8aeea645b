import { describe, expect, it } from 'vitest';
import { notModified, parseRange, rangeStillValid } from '../../../src/archive/http-range.ts';

describe('HTTP ranges', () => {
  it('parses single ranges', () => {
    expect(parseRange(undefined, 100)).toEqual({ kind: 'full' });
    expect(parseRange('bytes=0-9', 100)).toEqual({ kind: 'partial', start: 0, end: 10 });
    expect(parseRange('bytes=90-', 100)).toEqual({ kind: 'partial', start: 90, end: 100 });
    expect(parseRange('bytes=-10', 100)).toEqual({ kind: 'partial', start: 90, end: 100 });
    expect(parseRange('bytes=-500', 100)).toEqual({ kind: 'partial', start: 0, end: 100 });
    expect(parseRange('bytes=50-1000', 100)).toEqual({ kind: 'partial', start: 50, end: 100 });
  });

  it('answers unsatisfiable ranges and ignores malformed or multiple ones', () => {
    expect(parseRange('bytes=100-', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-0', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=5-1', 100)).toEqual({ kind: 'full' });
    expect(parseRange('bytes=0-1,5-6', 100)).toEqual({ kind: 'full' });
    expect(parseRange('items=0-1', 100)).toEqual({ kind: 'full' });
  });

  it('compares validators', () => {
    const v = { etag: '"abc"', lastModified: 'Tue, 01 Oct 2024 10:00:00 GMT' };
    expect(notModified('"abc"', v)).toBe(true);
    expect(notModified('W/"abc", "x"', v)).toBe(true);
    expect(notModified('*', v)).toBe(true);
    expect(notModified('"x"', v)).toBe(false);
    expect(rangeStillValid(undefined, v)).toBe(true);
    expect(rangeStillValid('"abc"', v)).toBe(true);
    expect(rangeStillValid('W/"abc"', v)).toBe(false);
    expect(rangeStillValid('"old"', v)).toBe(false);
    expect(rangeStillValid(v.lastModified, v)).toBe(true);
    expect(rangeStillValid('Mon, 30 Sep 2024 10:00:00 GMT', v)).toBe(false);
  });
});
