/**
 * The 40 platforms of the metadata benchmark: romshelf's folder slug (platform catalogue), the platform name
 * LaunchBox's Metadata.xml uses for it (as RomM's LaunchBox handler maps them), the usual ROM extension, and a weight
 * close to the platform's share of the No-Intro/Redump DATs, so the generated library has a real platform mix with
 * or without the DAT list.
 */
export interface BenchPlatform { slug: string; launchbox: string; ext: string; weight: number }

/** One ROM of the generated library: its platform, file name and title (the name without tags). */
export interface LibraryRom { platform: BenchPlatform; fileName: string; title: string }

const rows: [string, string, string, number][] = [
  ['nes', 'Nintendo Entertainment System', 'nes', 7066],
  ['ps2', 'Sony Playstation 2', 'iso', 10531],
  ['psx', 'Sony Playstation', 'chd', 9500],
  ['nds', 'Nintendo DS', 'nds', 7618],
  ['psp', 'Sony PSP', 'iso', 7641],
  ['snes', 'Super Nintendo Entertainment System', 'sfc', 4257],
  ['wii', 'Nintendo Wii', 'iso', 3934],
  ['gba', 'Nintendo Game Boy Advance', 'gba', 3692],
  ['c64', 'Commodore 64', 'tap', 3488],
  ['genesis', 'Sega Genesis', 'md', 3363],
  ['amiga', 'Commodore Amiga', 'ipf', 3143],
  ['saturn', 'Sega Saturn', 'chd', 1700],
  ['gbc', 'Nintendo Game Boy Color', 'gbc', 2566],
  ['ngc', 'Nintendo GameCube', 'iso', 2268],
  ['gb', 'Nintendo Game Boy', 'gb', 2254],
  ['3ds', 'Nintendo 3DS', '3ds', 2063],
  ['dc', 'Sega Dreamcast', 'chd', 900],
  ['n64', 'Nintendo 64', 'z64', 1245],
  ['sms', 'Sega Master System', 'sms', 1163],
  ['gamegear', 'Sega Game Gear', 'gg', 889],
  ['atari2600', 'Atari 2600', 'a26', 891],
  ['msx', 'Microsoft MSX', 'rom', 901],
  ['3do', '3DO Interactive Multiplayer', 'chd', 350],
  ['lynx', 'Atari Lynx', 'lyx', 364],
  ['segacd', 'Sega CD', 'chd', 270],
  ['jaguar', 'Atari Jaguar', 'rom', 236],
  ['turbografx-cd', 'NEC TurboGrafx-CD', 'chd', 250],
  ['tg16', 'NEC TurboGrafx-16', 'pce', 495],
  ['fds', 'Nintendo Famicom Disk System', 'fds', 401],
  ['atari7800', 'Atari 7800', 'a78', 237],
  ['intellivision', 'Mattel Intellivision', 'int', 194],
  ['wonderswan-color', 'WonderSwan Color', 'wsc', 229],
  ['wonderswan', 'WonderSwan', 'ws', 219],
  ['sg1000', 'Sega SG-1000', 'sg', 209],
  ['sega32', 'Sega 32X', '32x', 207],
  ['atari5200', 'Atari 5200', 'a52', 201],
  ['msx2', 'Microsoft MSX2', 'rom', 195],
  ['colecovision', 'ColecoVision', 'col', 193],
  ['neo-geo-pocket-color', 'SNK Neo Geo Pocket Color', 'ngc', 115],
  ['pc-fx', 'NEC PC-FX', 'chd', 60],
];

export const BENCH_PLATFORMS: readonly BenchPlatform[] = rows.map(([slug, launchbox, ext, weight]) => ({ slug, launchbox, ext, weight }));

/** LaunchBox platforms outside the library: Metadata.xml lists games for many systems a user does not have. */
export const OTHER_LAUNCHBOX_PLATFORMS = ['Arcade', 'MS-DOS', 'Windows', 'Sinclair ZX Spectrum', 'Amstrad CPC', 'Sony Playstation 3', 'Microsoft Xbox', 'Nintendo Switch'];
