import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { fixdatChunks } from '../../../src/domain/dats/fixdat.ts';
import { csvField, reportCsvChunks } from '../../../src/dats/report-csv.ts';

describe('fixdat', () => {
  it('is a well-formed Logiqx DAT listing each missing game with its ROMs, names escaped', () => {
    const xml = [...fixdatChunks(
      { datName: 'Nintendo - Super Nintendo Entertainment System', datVersion: '20260801-000000', platformName: 'SNES', date: new Date('2026-11-28T00:00:00Z') },
      [
        { name: 'Tom & Jerry (USA)', roms: [{ name: 'Tom & Jerry (USA).sfc', size: 1048576, crc: 'a1b2c3d4', md5: null, sha1: 'f'.repeat(40) }] },
        { name: 'Game "Quoted" <1> (Japan)', cloneOf: 'Game (USA)', roms: [] },
      ],
    )].join('');
    const games: { name: string; cloneof?: string; roms: Record<string, string>[] }[] = [];
    let headerName = '';
    let inHeaderName = false;
    const p = new SaxesParser();
    p.on('opentag', (t) => {
      const a = t.attributes as Record<string, string>;
      if (t.name === 'game') games.push({ name: a.name!, ...(a.cloneof ? { cloneof: a.cloneof } : {}), roms: [] });
      if (t.name === 'rom') games.at(-1)!.roms.push(a);
      if (t.name === 'name') inHeaderName = true;
    });
    p.on('text', (txt) => { if (inHeaderName) headerName += txt; });
    p.on('closetag', (t) => { if (t.name === 'name') inHeaderName = false; });
    p.write(xml).close();
    expect(headerName).toBe('fixdat_Nintendo - Super Nintendo Entertainment System');
    expect(games).toEqual([
      { name: 'Tom & Jerry (USA)', roms: [{ name: 'Tom & Jerry (USA).sfc', size: '1048576', crc: 'a1b2c3d4', sha1: 'f'.repeat(40) }] },
      { name: 'Game "Quoted" <1> (Japan)', cloneof: 'Game (USA)', roms: [] },
    ]);
  });
});

describe('CSV report', () => {
  it('quotes fields that need it and never lets a name start a formula', () => {
    expect(csvField('Plain (USA)')).toBe('Plain (USA)');
    expect(csvField('Mario, Luigi (USA)')).toBe('"Mario, Luigi (USA)"');
    expect(csvField('Say "Hi"')).toBe('"Say ""Hi"""');
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField(null)).toBe('');
    const csv = [...reportCsvChunks([
      { game: 'A (USA)', status: 'verified', file: 'A (USA).nes', romId: 3, complete: null },
      { game: 'B (Japan)', status: 'missing', file: '', romId: null, complete: false },
    ])].join('');
    expect(csv).toBe('game,status,file,rom_id,complete\r\nA (USA),verified,A (USA).nes,3,\r\nB (Japan),missing,,,no\r\n');
  });
});
