import { describe, expect, it } from 'vitest';
import { logiqxDat, realGames } from '../../helpers/dat-fixtures.ts';
import { collect } from './collect.ts';

const NO_INTRO_NES = `<?xml version="1.0"?>
<!DOCTYPE datafile PUBLIC "-//Logiqx//DTD ROM Management Datafile//EN" "http://www.logiqx.com/Dats/datafile.dtd">
<datafile>
	<header>
		<name>Nintendo - Nintendo Entertainment System (Headered)</name>
		<description>Nintendo - Nintendo Entertainment System (Headered)</description>
		<version>20240101-012345</version>
		<author>aci68, Arctic Circle System, C. V. Reynolds, kazumi213</author>
		<homepage>No-Intro</homepage>
		<url>https://www.no-intro.org</url>
		<clrmamepro header="No-Intro_NES.xml" forcenodump="required"/>
	</header>
	<game name="Adventures of Lolo (USA)" id="0012">
		<description>Adventures of Lolo (USA)</description>
		<rom name="Adventures of Lolo (USA).nes" size="65552" crc="B0A6C6C2" md5="0123456789ABCDEF0123456789ABCDEF" sha1="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" sha256="bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" status="verified" serial="NES-EL-USA"/>
	</game>
	<game name="Adventures of Lolo (Japan)" cloneof="Adventures of Lolo (USA)" cloneofid="0012" id="0013">
		<description>Adventures of Lolo (Japan)</description>
		<rom name="Adventures of Lolo (Japan).nes" size="65552" crc="12345678" sha1="cccccccccccccccccccccccccccccccccccccccc"/>
	</game>
	<game name="[BIOS] Famicom Disk System (Japan)">
		<description>[BIOS] Famicom Disk System (Japan)</description>
		<category>BIOS</category>
		<rom name="[BIOS] Famicom Disk System (Japan).nes" size="8208" crc="5E607DCF" status="baddump"/>
		<rom name="missing.nes" size="0" status="nodump"/>
	</game>
</datafile>
`;

const REDUMP_PSX = `<?xml version="1.0"?>
<!DOCTYPE datafile PUBLIC "-//Logiqx//DTD ROM Management Datafile//EN" "http://www.logiqx.com/Dats/datafile.dtd">
<datafile>
	<header>
		<name>Sony - PlayStation</name>
		<description>Sony - PlayStation - Discs (10835) (2024-01-01 00-00-00)</description>
		<version>2024-01-01 00-00-00</version>
		<date>2024-01-01 00-00-00</date>
		<author>redump.org</author>
		<homepage>redump.org</homepage>
		<url>http://redump.org/</url>
	</header>
	<game name="Crash Bandicoot (USA)">
		<category>Games</category>
		<description>Crash Bandicoot (USA)</description>
		<serial>SCUS-94900</serial>
		<rom name="Crash Bandicoot (USA).cue" size="93" crc="9c2f2c48" md5="8e9f31a1e81b6bbc5a2e1c9e0ac5b8d4" sha1="f1b0a1c1d1e1f101112131415161718191a1b1c1"/>
		<rom name="Crash Bandicoot (USA).bin" size="510857760" crc="f3bd3a70" md5="9f63d6e4fcc8a08a5a1e8d09a67dd1d9" sha1="0e4d9f0a2b2e0cf5c1f8a9c7e6d5b4a392817160"/>
	</game>
</datafile>
`;

const SOFTWARE_LIST = `<?xml version="1.0"?>
<!DOCTYPE softwarelist SYSTEM "softwarelist.dtd">
<softwarelist name="snes" description="Nintendo SNES cartridges">
	<software name="smw" supported="yes">
		<description>Super Mario World (USA)</description>
		<year>1991</year>
		<publisher>Nintendo</publisher>
		<part name="cart" interface="snes_cart">
			<feature name="pcb" value="SHVC-1A1B-06"/>
			<dataarea name="rom" size="0x80000">
				<rom name="snsp-mw-0.u1" size="0x80000" crc="b47f5f20" sha1="6fb1cc3e5f2bf0baf7bf7ae1a1d2b6a6d4fdf5b0" offset="0x000000"/>
			</dataarea>
			<dataarea name="nvram" size="0x800">
			</dataarea>
		</part>
	</software>
	<software name="smwj" cloneof="smw" supported="yes">
		<description>Super Mario World - Super Mario Bros. 4 (Japan)</description>
		<part name="cart" interface="snes_cart">
			<dataarea name="rom" size="0x100000">
				<rom name="shvc-mw-0.u1" size="0x80000" crc="a1f24e65" sha1="1234567890abcdef1234567890abcdef12345678" offset="0x000000"/>
				<rom size="0x80000" offset="0x080000" loadflag="continue"/>
			</dataarea>
			<diskarea name="cdrom">
				<disk name="smwj-disc" sha1="fedcba9876543210fedcba9876543210fedcba98"/>
			</diskarea>
		</part>
	</software>
</softwarelist>
`;

const MAME_LISTXML = `<?xml version="1.0"?>
<mame build="0.262 (mame0262)" debug="no" mameconfig="10">
	<machine name="neogeo" sourcefile="neogeo/neogeo.cpp" isbios="yes">
		<description>Neo-Geo MV-6F</description>
		<rom name="sp-s2.sp1" bios="euro" size="131072" crc="9036d879" sha1="4f5ed7105b7128794654ce82b51723e16e389543" region="mainbios" offset="0"/>
	</machine>
	<machine name="mslug" sourcefile="neogeo/neogeo.cpp" romof="neogeo">
		<description>Metal Slug - Super Vehicle-001</description>
		<rom name="201-p1.p1" size="2097152" crc="08d8daa5" sha1="b9a5b9ab8a1b2c3d4e5f60718293a4b5c6d7e8f9" region="cslot1:maincpu" offset="100000"/>
		<rom name="sp-s2.sp1" merge="sp-s2.sp1" bios="euro" size="131072" crc="9036d879" sha1="4f5ed7105b7128794654ce82b51723e16e389543"/>
		<disk name="mslug-chd" sha1="0000000000000000000000000000000000000001" status="nodump"/>
	</machine>
</mame>
`;

describe('Logiqx parser', () => {
  it('reads a No-Intro headered DAT: header with skipper, clones, statuses, serial and sha256', async () => {
    const { format, header, games } = await collect(NO_INTRO_NES);
    expect(format).toBe('logiqx');
    expect(header).toEqual({
      name: 'Nintendo - Nintendo Entertainment System (Headered)',
      description: 'Nintendo - Nintendo Entertainment System (Headered)',
      version: '20240101-012345',
      author: 'aci68, Arctic Circle System, C. V. Reynolds, kazumi213',
      homepage: 'No-Intro',
      skipper: 'No-Intro_NES.xml',
    });
    expect(games.map((g) => [g.name, g.cloneOf])).toEqual([
      ['Adventures of Lolo (USA)', null],
      ['Adventures of Lolo (Japan)', 'Adventures of Lolo (USA)'],
      ['[BIOS] Famicom Disk System (Japan)', null],
    ]);
    expect(games[0]?.roms[0]).toEqual({
      name: 'Adventures of Lolo (USA).nes', size: 65552, crc: 'b0a6c6c2', md5: '0123456789abcdef0123456789abcdef',
      sha1: 'a'.repeat(40), sha256: 'b'.repeat(64), status: 'verified', serial: 'NES-EL-USA', disk: false,
    });
    expect(games[1]?.roms[0]?.md5).toBeNull();
    expect(games[2]?.category).toBe('BIOS');
    expect(games[2]?.roms.map((r) => [r.status, r.crc])).toEqual([['baddump', '5e607dcf'], ['nodump', null]]);
  });

  it('reads a Redump disc DAT: several tracks per game, the game serial on each ROM', async () => {
    const { header, games } = await collect(REDUMP_PSX);
    expect(header?.name).toBe('Sony - PlayStation');
    expect(header?.author).toBe('redump.org');
    expect(header?.skipper).toBeNull();
    expect(games).toHaveLength(1);
    expect(games[0]?.category).toBe('Games');
    expect(games[0]?.roms.map((r) => [r.name, r.size, r.serial])).toEqual([
      ['Crash Bandicoot (USA).cue', 93, 'SCUS-94900'],
      ['Crash Bandicoot (USA).bin', 510857760, 'SCUS-94900'],
    ]);
  });

  it('reads a MAME software list: hex sizes, dataareas, nameless continuation ROMs skipped, disks', async () => {
    const { header, games } = await collect(SOFTWARE_LIST);
    expect(header).toMatchObject({ name: 'snes', description: 'Nintendo SNES cartridges' });
    expect(games.map((g) => [g.name, g.description, g.cloneOf])).toEqual([
      ['smw', 'Super Mario World (USA)', null],
      ['smwj', 'Super Mario World - Super Mario Bros. 4 (Japan)', 'smw'],
    ]);
    expect(games[0]?.roms).toHaveLength(1);
    expect(games[0]?.roms[0]).toMatchObject({ name: 'snsp-mw-0.u1', size: 0x80000, crc: 'b47f5f20' });
    expect(games[1]?.roms.map((r) => [r.name, r.disk, r.size])).toEqual([['shvc-mw-0.u1', false, 0x80000], ['smwj-disc', true, null]]);
  });

  it('reads MAME -listxml machines with romof and disks', async () => {
    const { header, games } = await collect(MAME_LISTXML);
    expect(header).toMatchObject({ name: 'MAME', version: '0.262 (mame0262)' });
    expect(games[1]).toMatchObject({ name: 'mslug', romOf: 'neogeo', cloneOf: null });
    expect(games[1]?.roms.at(-1)).toMatchObject({ name: 'mslug-chd', disk: true, status: 'nodump', sha1: '0'.repeat(39) + '1' });
  });

  it('gives the same result however the text is cut into chunks', async () => {
    const whole = await collect(NO_INTRO_NES);
    for (const size of [1, 7, 100]) expect(await collect(NO_INTRO_NES, size)).toEqual(whole);
  });

  it('reads entities, CDATA and comments in names, and a BOM', async () => {
    const xml = '\uFEFF<?xml version="1.0"?><datafile><header><name>Custom &amp; Translations</name></header><!-- note -->'
      + '<game name="Mario &amp; Luigi (T-En)"><description><![CDATA[Mario & Luigi]]></description>'
      + '<rom name="a&#x27;b.gba" size="10" crc="0000000A"/></game></datafile>';
    const { header, games } = await collect(xml);
    expect(header?.name).toBe('Custom & Translations');
    expect(games[0]).toMatchObject({ name: 'Mario & Luigi (T-En)', description: 'Mario & Luigi' });
    expect(games[0]?.roms[0]?.name).toBe("a'b.gba");
  });

  it('round-trips real No-Intro names and hashes', async () => {
    const source = await realGames('Nintendo - Game Boy', 50);
    const { games } = await collect(logiqxDat({ name: 'Nintendo - Game Boy' }, source), 4096);
    expect(games.map((g) => g.name)).toEqual(source.map((g) => g.name));
    expect(games.flatMap((g) => g.roms.map((r) => [r.name, r.size, r.crc, r.md5, r.sha1]))).toEqual(
      source.flatMap((g) => g.roms.map((r) => [r.name, r.size, r.crc, r.md5, r.sha1])),
    );
  });
});
