import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { firmwareFileName } from '../../../src/domain/firmware/firmware-service.ts';
import { KnownBios, KnownBiosTable, loadListFile, matchesEntry } from '../../../src/scanner/firmware/known-bios.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'known-bios-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const facts = { size: 4, crc: 'aabbccdd', md5: 'a'.repeat(32), sha1: 'b'.repeat(40) };

describe('known-BIOS verification rule', () => {
  it('needs the size and any one hash', () => {
    const entry = { size: 4, crc: 'aabbccdd', md5: 'c'.repeat(32), sha1: 'd'.repeat(40) };
    expect(matchesEntry(entry, facts)).toBe(true);
    expect(matchesEntry({ ...entry, crc: '00000000' }, facts)).toBe(false);
    expect(matchesEntry({ ...entry, crc: '00000000', sha1: 'b'.repeat(40) }, facts)).toBe(true);
    expect(matchesEntry({ ...entry, size: 5 }, facts)).toBe(false);
    // An entry without a hash never matches a file by an empty hash.
    expect(matchesEntry({ size: 0, crc: '', md5: '', sha1: '' }, { size: 0, crc: '', md5: '', sha1: '' })).toBe(false);
  });
});

describe('list formats', () => {
  it('RomM JSON: keyed by platform slug and exact file name', async () => {
    const file = path.join(dir, 'romm.json');
    writeFileSync(file, JSON.stringify({
      'psx:scph5501.bin': { size: '4', crc: 'AABBCCDD', md5: '0'.repeat(32), sha1: '0'.repeat(40) },
      'no-colon': { size: '4', crc: 'aabbccdd' },
      'psx:bad-size.bin': { size: 'x', crc: 'aabbccdd' },
    }));
    const table = new KnownBiosTable();
    await loadListFile(file, table);
    expect(table.size).toBe(1);
    expect(table.verify('psx', 'scph5501.bin', facts)).toBe(true);
    expect(table.verify('ps', 'scph5501.bin', facts)).toBe(false);
    expect(table.verify('psx', 'SCPH5501.BIN', facts)).toBe(false);
  });

  it('Logiqx XML DAT: every rom element, for any platform, by exact name', async () => {
    const file = path.join(dir, 'System.dat');
    writeFileSync(file, `<?xml version="1.0"?>
<!DOCTYPE datafile PUBLIC "-//Logiqx//DTD ROM Management Datafile//EN" "http://www.logiqx.com/Dats/datafile.dtd">
<datafile>
  <header><name>System</name></header>
  <game name="Sony - PlayStation"><description>Sony &amp; co</description>
    <rom name="scph5501.bin" size="4" crc="AABBCCDD"/>
    <rom name="other.bin" size="8" md5="${'e'.repeat(32)}"/>
  </game>
  <machine name="x"><rom name="m.bin" size="4" sha1="${'b'.repeat(40)}"/></machine>
</datafile>`);
    const table = new KnownBiosTable();
    expect(await loadListFile(file, table)).toBe(3);
    expect(table.verify('any-platform', 'scph5501.bin', facts)).toBe(true);
    expect(table.verify('psx', 'm.bin', facts)).toBe(true);
    expect(table.verify('psx', 'other.bin', facts)).toBe(false);
  });

  it('clrmamepro text DAT (libretro System.dat format)', async () => {
    const file = path.join(dir, 'clr.dat');
    writeFileSync(file, `clrmamepro (
\tname "System"
)

game (
\tname "Sony - PlayStation"
\trom ( name scph5501.bin size 4 crc aabbccdd md5 ${'0'.repeat(32)} sha1 ${'0'.repeat(40)} )
\trom ( name "with space.bin" size 4 crc AABBCCDD )
)
`);
    const table = new KnownBiosTable();
    expect(await loadListFile(file, table)).toBe(2);
    expect(table.verify('x', 'scph5501.bin', facts)).toBe(true);
    expect(table.verify('x', 'with space.bin', facts)).toBe(true);
  });
});

describe('KnownBios', () => {
  it('logs a missing list once, loads it when it appears, reloads on change, skips a broken file', async () => {
    const folder = path.join(dir, 'lists');
    const logs: string[] = [];
    const bios = new KnownBios(folder, { info: (m) => logs.push(`info ${m}`), warn: (m) => logs.push(`warn ${m}`) });
    await bios.refresh();
    await bios.refresh();
    expect(logs.filter((l) => l.startsWith('info No known-BIOS list'))).toHaveLength(1);
    expect(bios.verify('psx', 'a.bin', facts)).toBe(false);

    mkdirSync(folder, { recursive: true });
    const file = path.join(folder, 'list.json');
    writeFileSync(file, JSON.stringify({ 'psx:a.bin': { size: '4', crc: 'aabbccdd' } }));
    writeFileSync(path.join(folder, 'broken.json'), '{ not json');
    await bios.refresh();
    expect(bios.verify('psx', 'a.bin', facts)).toBe(true);
    expect(logs.some((l) => l.startsWith('warn') && l.includes('broken.json'))).toBe(true);

    writeFileSync(file, JSON.stringify({ 'psx:a.bin': { size: '5', crc: 'aabbccdd' } }));
    const later = new Date(Date.now() + 5000);
    utimesSync(file, later, later);
    await bios.refresh();
    expect(bios.verify('psx', 'a.bin', facts)).toBe(false);

    rmSync(folder, { recursive: true });
    await bios.refresh();
    expect(bios.entries).toBe(0);
  });

  it('no location: nothing is verified', async () => {
    const bios = new KnownBios(undefined);
    await bios.refresh();
    expect(bios.verify('psx', 'a.bin', facts)).toBe(false);
  });
});

describe('firmwareFileName', () => {
  it('keeps the base name and refuses names that are no file name', () => {
    expect(firmwareFileName('../../x.bin')).toBe('x.bin');
    expect(firmwareFileName('C:\\bios\\scph.bin')).toBe('scph.bin');
    expect(firmwareFileName('.hidden')).toBe('.hidden');
    for (const bad of ['', '.', '..', 'a/..', 'x/', 'nul\u0000.bin', 'tab\t.bin', `${'n'.repeat(451)}`]) {
      expect(() => firmwareFileName(bad), JSON.stringify(bad)).toThrow();
    }
  });
});
