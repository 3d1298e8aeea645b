import { describe, expect, it } from 'vitest';
import { clrmameproDat, realGames } from '../../helpers/dat-fixtures.ts';
import { collect } from './collect.ts';

const NO_INTRO_TEXT = `clrmamepro (
	name "Nintendo - Nintendo Entertainment System (Headered)"
	description "Nintendo - Nintendo Entertainment System (Headered)"
	version 20240101-012345
	author "aci68, Arctic Circle System"
	homepage "No-Intro"
	url "https://www.no-intro.org"
	header "No-Intro_NES.xml"
	forcenodump required
)

game (
	name "Adventures of Lolo (USA)"
	description "Adventures of Lolo (USA)"
	serial "NES-EL-USA"
	rom ( name "Adventures of Lolo (USA).nes" size 65552 crc B0A6C6C2 md5 0123456789ABCDEF0123456789ABCDEF sha1 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA )
)

game (
	name "Adventures of Lolo (Japan)"
	description "Adventures of Lolo (Japan)"
	cloneof "Adventures of Lolo (USA)"
	rom ( name "Adventures of Lolo (Japan).nes" size 65552 crc 12345678 sha1 cccccccccccccccccccccccccccccccccccccccc flags baddump )
)
`;

const MAME_TEXT = `clrmamepro (
	name "MAME"
	description "MAME 0.78"
)

resource (
	name neogeo
	description "Neo-Geo"
	rom ( name sp-s2.sp1 size 131072 crc 9036d879 sha1 4f5ed7105b7128794654ce82b51723e16e389543 )
)

machine (
	name mslug
	description "Metal Slug - Super Vehicle-001"
	year 1996
	manufacturer "Nazca"
	romof neogeo
	rom ( name 201-p1.p1 size 2097152 crc 08d8daa5 )
	rom ( name sp-s2.sp1 merge sp-s2.sp1 size 131072 crc 9036d879 )
	rom ( name 201-c1.c1 size 4194304 crc 00000000 nodump )
	disk ( name mslug sha1 0000000000000000000000000000000000000001 )
	sample x
	release ( name "Metal Slug" region EUR )
)

emulator (
	name "mame"
)
`;

describe('clrmamepro parser', () => {
  it('reads a No-Intro standard DAT: header skipper, quoted names with spaces, clones and flags', async () => {
    const { format, header, games } = await collect(NO_INTRO_TEXT);
    expect(format).toBe('clrmamepro');
    expect(header).toEqual({
      name: 'Nintendo - Nintendo Entertainment System (Headered)',
      description: 'Nintendo - Nintendo Entertainment System (Headered)',
      version: '20240101-012345',
      author: 'aci68, Arctic Circle System',
      homepage: 'No-Intro',
      skipper: 'No-Intro_NES.xml',
    });
    expect(games).toHaveLength(2);
    expect(games[0]?.roms[0]).toEqual({
      name: 'Adventures of Lolo (USA).nes', size: 65552, crc: 'b0a6c6c2', md5: '0123456789abcdef0123456789abcdef',
      sha1: 'a'.repeat(40), sha256: null, status: 'good', serial: 'NES-EL-USA', disk: false,
    });
    expect(games[1]).toMatchObject({ name: 'Adventures of Lolo (Japan)', cloneOf: 'Adventures of Lolo (USA)' });
    expect(games[1]?.roms[0]?.status).toBe('baddump');
  });

  it('reads resource and machine blocks, unquoted names, bare nodump flags and disks; skips other blocks', async () => {
    const { header, games } = await collect(MAME_TEXT);
    expect(header?.name).toBe('MAME');
    expect(games.map((g) => [g.name, g.romOf])).toEqual([['neogeo', null], ['mslug', 'neogeo']]);
    expect(games[1]?.roms.map((r) => [r.name, r.status, r.disk])).toEqual([
      ['201-p1.p1', 'good', false], ['sp-s2.sp1', 'good', false], ['201-c1.c1', 'nodump', false], ['mslug', 'good', true],
    ]);
  });

  it('keeps escaped quotes and line breaks inside quoted strings; chunking does not matter', async () => {
    const text = 'clrmamepro ( name "A \\"quoted\\" DAT" )\ngame ( name "Two\nLines" rom ( name "x y.bin" size 1 crc 00000001 ) )\n';
    const whole = await collect(text);
    expect(whole.header?.name).toBe('A "quoted" DAT');
    expect(whole.games[0]?.name).toBe('Two\nLines');
    expect(whole.games[0]?.roms[0]?.name).toBe('x y.bin');
    for (const size of [1, 3, 10]) expect(await collect(text, size)).toEqual(whole);
  });

  it('round-trips real Redump names and hashes, several files per game', async () => {
    const source = await realGames('Sony - PlayStation', 20);
    const { games } = await collect(clrmameproDat({ name: 'Sony - PlayStation' }, source), 1000);
    expect(games.flatMap((g) => g.roms.map((r) => [g.name, r.name, r.size, r.crc, r.md5, r.sha1]))).toEqual(
      source.flatMap((g) => g.roms.map((r) => [g.name, r.name, r.size, r.crc, r.md5, r.sha1])),
    );
  });
});
