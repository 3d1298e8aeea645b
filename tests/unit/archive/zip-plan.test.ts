import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { dosDateTime, EOCD_SIZE, ZIP64_EOCD_SIZE, ZIP64_LOCATOR_SIZE } from '../../../src/archive/zip-format.ts';
import { planZip, ZipPlanError, type ZipEntryInput } from '../../../src/archive/zip-plan.ts';
import { readZipRange } from '../../../src/archive/zip-ranges.ts';

const MTIME = Date.UTC(2024, 4, 17, 10, 20, 30);

export function bytesEntry(name: string, data: Buffer | string): ZipEntryInput {
  const buf = Buffer.from(data);
  return { name, size: buf.length, crc32: crc32(buf) >>> 0, mtimeMs: MTIME, source: { kind: 'bytes', data: buf } };
}

export async function collect(gen: AsyncGenerator<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of gen) parts.push(chunk);
  return Buffer.concat(parts);
}

describe('zip planner', () => {
  it('computes every offset and the total length before producing a byte', async () => {
    const entries = [bytesEntry('a.bin', 'hello'), bytesEntry('dir/Zelda (Europe) (Ünïcode).gb', Buffer.alloc(1000, 7)), bytesEntry('empty', '')];
    const plan = planZip(entries);
    expect(plan.entries[0]?.headerOffset).toBe(0);
    expect(plan.entries[0]?.dataOffset).toBe(30 + 5);
    expect(plan.entries[1]?.headerOffset).toBe(30 + 5 + 5);
    const nameLen = Buffer.byteLength('dir/Zelda (Europe) (Ünïcode).gb');
    expect(plan.entries[2]?.headerOffset).toBe(40 + 30 + nameLen + 1000);
    const dataEnd = 40 + 30 + nameLen + 1000 + 30 + 5;
    expect(plan.directory.offset).toBe(dataEnd);
    expect(plan.directory.size).toBe(46 * 3 + 5 + nameLen + 5);
    expect(plan.totalLength).toBe(dataEnd + plan.directory.size + EOCD_SIZE);
    expect(plan.zip64).toBe(false);
    const whole = await collect(readZipRange(plan, 0, plan.totalLength));
    expect(whole.length).toBe(plan.totalLength);
    expect(whole.readUInt32LE(0)).toBe(0x04034b50);
    expect(whole.readUInt16LE(6) & 0x0800).toBe(0x0800); // UTF-8 names
    expect(whole.readUInt32LE(whole.length - 22)).toBe(0x06054b50);
  });

  it('serves any byte range as the matching slice of the whole archive', async () => {
    const entries = Array.from({ length: 40 }, (_, i) => bytesEntry(`f${i}.bin`, Buffer.alloc((i * 977) % 5000, i)));
    const plan = planZip(entries);
    const whole = await collect(readZipRange(plan, 0, plan.totalLength));
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 200; i++) {
      const start = rand(plan.totalLength);
      const end = start + 1 + rand(plan.totalLength - start);
      const part = await collect(readZipRange(plan, start, end));
      expect(part.equals(whole.subarray(start, end))).toBe(true);
    }
  });

  it('switches to ZIP64 for entries and archives of 4 GiB or more', () => {
    const big: ZipEntryInput = { name: 'big.iso', size: 5 * 1024 ** 3, crc32: 0, mtimeMs: MTIME, source: { kind: 'file', path: '/nonexistent', mtimeMs: MTIME } };
    const plan = planZip([bytesEntry('a', 'x'), big, bytesEntry('b', 'y')]);
    expect(plan.zip64).toBe(true);
    // ZIP64 extra in the big entry's local header: 20 bytes.
    expect(plan.entries[1]?.dataOffset).toBe((plan.entries[1]?.headerOffset ?? 0) + 30 + 7 + 20);
    // 'b' sits past 4 GiB: its central header carries a ZIP64 offset (4 + 8 bytes).
    expect(plan.totalLength).toBe(plan.directory.offset + plan.directory.size + ZIP64_EOCD_SIZE + ZIP64_LOCATOR_SIZE + EOCD_SIZE);
    expect(plan.directory.size).toBe(46 + 1 + (46 + 7 + 20) + (46 + 1 + 12));
    expect(planZip([bytesEntry('a', 'x')]).zip64).toBe(false);
  });

  it('uses ZIP64 end records above 65,534 entries', () => {
    const entries = Array.from({ length: 65_535 }, (_, i) => bytesEntry(`e${i}`, ''));
    expect(planZip(entries).zip64).toBe(true);
    expect(planZip(entries.slice(0, 65_534)).zip64).toBe(false);
  });

  it('refuses names readers would reject', () => {
    for (const name of ['../x', '/abs', 'a//b', 'a\\b', '', 'a/./b']) {
      expect(() => planZip([bytesEntry(name, 'x')])).toThrow(ZipPlanError);
    }
    expect(() => planZip([bytesEntry('same', 'x'), bytesEntry('same', 'y')])).toThrow(ZipPlanError);
  });

  it('keeps the validator when only CRCs differ (HEAD is planned without them)', () => {
    const a = planZip([bytesEntry('a', 'xy')]);
    const b = planZip([{ ...bytesEntry('a', 'xy'), crc32: 0 }]);
    expect(a.etag).toBe(b.etag);
    expect(planZip([bytesEntry('a', 'xz')]).etag).toBe(a.etag); // same name, size and mtime
    expect(planZip([bytesEntry('a', 'xyz')]).etag).not.toBe(a.etag);
  });

  it('encodes MS-DOS times in UTC and clamps dates before 1980', () => {
    expect(dosDateTime(Date.UTC(1970, 0, 1))).toEqual({ date: 33, time: 0 });
    const { date, time } = dosDateTime(MTIME);
    expect(date >> 9).toBe(2024 - 1980);
    expect((date >> 5) & 15).toBe(5);
    expect(date & 31).toBe(17);
    expect(time >> 11).toBe(10);
    expect((time & 31) * 2).toBe(30);
  });
});
