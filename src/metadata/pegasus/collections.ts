/**
 * RomM platform slugs → Pegasus collection name and shortname, from Pegasus' "common platform names" table as RomM's
 * exporter lists it (utils/pegasus_exporter.py). Other platforms use their own name and slug.
 */
const TABLE = `
atari2600|Atari 2600|atari2600;atari5200|Atari 5200|atari5200;atari7800|Atari 7800|atari7800;atari800|Atari 800|atari800
atari-jaguar-cd|Atari Jaguar CD|atarijaguarcd;jaguar|Atari Jaguar|atarijaguar;lynx|Atari Lynx|atarilynx
atari-st|Atari ST|atarist;atari-xegs|Atari XE|atarixe;gb|Game Boy|gb;gbc|Game Boy Color|gbc;gba|Game Boy Advance|gba
nds|Nintendo DS|nds;3ds|Nintendo 3DS|3ds;g-and-w|Nintendo Game-and-Watch|gameandwatch;virtualboy|Nintendo VirtualBoy|virtualboy
nes|Nintendo Entertainment System|nes;famicom|Nintendo Entertainment System|nes;fds|Famicom Disk System|fds
snes|Super Nintendo Entertainment System|snes;sfam|Super Nintendo Entertainment System|snes;n64|Nintendo 64|n64
ngc|Nintendo GameCube|gc;wii|Nintendo Wii|wii;wiiu|Nintendo WiiU|wiiu;switch|Nintendo Switch|switch
sg1000|SEGA SG-1000|sg1000;sms|Sega Master System|mastersystem;genesis|Sega Genesis|genesis;segacd|SEGA CD|segacd
sega32|SEGA 32X|sega32x;segacd32|SEGA CD 32X|sega32x;saturn|Sega Saturn|saturn;dc|Sega Dreamcast|dreamcast
gamegear|SEGA GameGear|gamegear;psx|PlayStation|psx;ps2|PlayStation 2|ps2;ps3|PlayStation 3|ps3
psp|PlayStation Portable|psp;psvita|PlayStation Vita|psvita;xbox|Xbox|xbox;xbox360|Xbox 360|xbox360
tg16|TurboGrafx 16|turbografx16;turbografx-cd|PC Engine CD|pcengine;pc-fx|PC-FX|pcfx;neogeoaes|Neo Geo|neogeo
neogeomvs|Neo Geo|neogeo;neo-geo-cd|Neo Geo CD|neogeocd;neo-geo-pocket|Neo Geo Pocket|ngp
neo-geo-pocket-color|Neo Geo Pocket Color|ngpc;amiga|Amiga|amiga;amiga-cd32|Amiga CD32|amigacd32
commodore-cdtv|Amiga CDTV|amigacdtv;c64|Commodore 64|c64;acpc|Amstrad CPC|amstradcpc;sharp-x68000|Sharp X68000|x68000
msx|MSX|msx;dos|DOS|dos;pc-booter|PC|pc;linux|Linux|linux;mac|Macintosh|macintosh;android|Android|android
win|Windows|windows;arcade|Arcade|arcade;3do|3DO|3do;appleii|Apple II|apple2;colecovision|ColecoVision|colecovision
intellivision|Intellivision|intellivision;odyssey-2|Odyssey 2|odyssey2;vectrex|Vectrex|vectrex
supergrafx|SuperGrafx|supergrafx;sam-coupe|SAM coupe|samcoupe;scummvm|Scumm VM|scummvm;tic-80|TIC80|tic80
dragon-32-slash-64|Dragon 32|dragon32;pc-8800-series|PC 88|pc88;pc-9800-series|PC 98|pc98
wonderswan|WonderSwan|wonderswan;swancrystal|WonderSwan/Color|wonderswancolor;zxs|ZX Spectrum|zxspectrum
zx81|ZX81|zx81;steam|Steam|steam`;

const COLLECTIONS: ReadonlyMap<string, readonly [string, string]> = new Map(
  TABLE.split(/[;\n]/).filter(Boolean).map((row) => {
    const [slug = '', name = '', short = ''] = row.split('|');
    return [slug, [name, short]] as const;
  }),
);

/** `[collection name, shortname]` for a platform. */
export function pegasusCollection(platform: { slug: string; name: string; custom_name: string }): readonly [string, string] {
  return COLLECTIONS.get(platform.slug) ?? [platform.custom_name || platform.name, platform.slug];
}
