/**
 * Maps a DAT to a platform slug of the catalogue by its header name: No-Intro and Redump (`Company - System`, with
 * qualifiers such as `(Headered)` or `(Digital)`), TOSEC (`Company System - Games - [FMT]`), MAME software lists
 * (their short list name) and MAME/FinalBurn arcade sets. Unknown names map to nothing; an admin sets the platform.
 */

/** slug → the system names DATs use for it (compared after `normalizeDatName`). */
const SYSTEMS: Readonly<Record<string, readonly string[]>> = {
  '3do': ['The 3DO Company - 3DO', 'Panasonic - 3DO', '3DO Interactive Multiplayer', '3do_m2'],
  '3ds': ['Nintendo - Nintendo 3DS', 'Nintendo 3DS'],
  'new-nintendo-3ds': ['Nintendo - New Nintendo 3DS'],
  '64dd': ['Nintendo - Nintendo 64DD', 'Nintendo 64DD', 'n64dd'],
  'acpc': ['Amstrad - CPC', 'Amstrad CPC', 'cpc_cass', 'cpc_flop'],
  'amstrad-gx4000': ['Amstrad - GX4000', 'gx4000'],
  'amiga': ['Commodore - Amiga', 'Commodore Amiga', 'amiga_flop', 'amigaocs_flop', 'amigaecs_flop', 'amigaaga_flop'],
  'amiga-cd32': ['Commodore - CD32', 'Commodore - Amiga CD32', 'Commodore Amiga CD32', 'cd32'],
  'commodore-cdtv': ['Commodore - CDTV', 'Commodore Amiga CDTV', 'cdtv'],
  'appleii': ['Apple - II', 'Apple II', 'apple2'],
  'apple-iigs': ['Apple - IIGS', 'Apple IIGS', 'apple2gs'],
  'arcade': ['MAME', 'FinalBurn Neo', 'FBNeo', 'FinalBurn Alpha', 'Arcade'],
  'cps1': ['Capcom - CP System', 'Capcom CPS-1'],
  'cps2': ['Capcom - CP System II', 'Capcom CPS-2'],
  'cps3': ['Capcom - CP System III', 'Capcom CPS-3'],
  'atomiswave': ['Sammy - Atomiswave', 'Sega - Atomiswave'],
  'naomi': ['Sega - Naomi', 'Sega NAOMI'],
  'naomi2': ['Sega - Naomi 2', 'Sega NAOMI 2'],
  'stv': ['Sega - ST-V', 'Sega - Titan Video'],
  'arduboy': ['Arduboy Inc - Arduboy', 'Arduboy'],
  'atari2600': ['Atari - 2600', 'Atari - Atari 2600', 'Atari 2600', 'Atari 2600 & VCS', 'a2600'],
  'atari5200': ['Atari - 5200', 'Atari - Atari 5200', 'Atari 5200', 'a5200'],
  'atari7800': ['Atari - 7800', 'Atari - Atari 7800', 'Atari 7800', 'a7800'],
  'atari8bit': ['Atari - 8-bit Family', 'Atari - 8-bit', 'Atari 8bit', 'a800', 'a800_flop', 'xegs'],
  'atari-st': ['Atari - ST', 'Atari ST', 'st_flop'],
  'jaguar': ['Atari - Jaguar', 'Atari - Atari Jaguar', 'Atari Jaguar', 'jaguar'],
  'atari-jaguar-cd': ['Atari - Jaguar CD', 'Atari - Atari Jaguar CD', 'Atari Jaguar CD', 'jaguar_cd'],
  'lynx': ['Atari - Lynx', 'Atari - Atari Lynx', 'Atari Lynx', 'lynx'],
  'bbcmicro': ['Acorn - BBC Micro', 'Acorn BBC', 'bbc_flop', 'bbc_cass'],
  'acorn-electron': ['Acorn - Electron', 'Acorn Electron', 'electron_cass'],
  'acorn-archimedes': ['Acorn - Archimedes', 'Acorn Archimedes', 'archimedes'],
  'beena': ['Sega - Beena'],
  'c64': ['Commodore - 64', 'Commodore - Commodore 64', 'Commodore C64', 'c64_cart', 'c64_flop', 'c64_cass'],
  'c128': ['Commodore - 128', 'Commodore C128'],
  'c16': ['Commodore - 16', 'Commodore C16'],
  'c-plus-4': ['Commodore - Plus-4', 'Commodore Plus-4', 'Commodore C16, C116 & Plus-4', 'plus4_cart'],
  'vic-20': ['Commodore - VIC-20', 'Commodore VIC20', 'vic1001_cart'],
  'cpet': ['Commodore - PET', 'Commodore PET'],
  'casio-loopy': ['Casio - Loopy', 'casloopy'],
  'colecovision': ['Coleco - ColecoVision', 'Coleco ColecoVision', 'coleco'],
  'dc': ['Sega - Dreamcast', 'Sega Dreamcast', 'dc'],
  'dos': ['IBM - PC compatible', 'IBM PC Compatibles', 'ibm5150'],
  'e-reader-slash-card-e-reader': ['Nintendo - e-Reader', 'Nintendo - Card e-Reader'],
  'epoch-super-cassette-vision': ['Epoch - Super Cassette Vision', 'scv'],
  'fairchild-channel-f': ['Fairchild - Channel F', 'Fairchild Channel F', 'channelf'],
  'fds': ['Nintendo - Family Computer Disk System', 'Nintendo Famicom Disk System', 'famicom_flop'],
  'fm-towns': ['Fujitsu - FM Towns', 'Fujitsu FM Towns', 'fmtowns_cd'],
  'fm-7': ['Fujitsu - FM-7', 'Fujitsu FM-7'],
  'g-and-w': ['Nintendo - Game & Watch', 'gnw'],
  'gamate': ['Bit Corporation - Gamate', 'gamate'],
  'game-dot-com': ['Tiger - Game.com', 'Tiger Game.com', 'gamecom'],
  'gamegear': ['Sega - Game Gear', 'Sega Game Gear', 'gamegear'],
  'gb': ['Nintendo - Game Boy', 'Nintendo Game Boy', 'gameboy'],
  'gba': ['Nintendo - Game Boy Advance', 'Nintendo Game Boy Advance', 'gba'],
  'gbc': ['Nintendo - Game Boy Color', 'Nintendo Game Boy Color', 'gbcolor'],
  'genesis': [
    'Sega - Mega Drive - Genesis', 'Sega - Mega Drive', 'Sega - Genesis', 'Sega Mega Drive & Genesis', 'Sega Genesis',
    'megadriv', 'genesis',
  ],
  'gp32': ['GamePark - GP32', 'GamePark GP32', 'gp32'],
  'intellivision': ['Mattel - Intellivision', 'Mattel Intellivision', 'intv'],
  'j2me': ['Mobile - J2ME', 'Java - J2ME'],
  'leapster': ['LeapFrog - Leapster Learning Game System', 'leapster'],
  'mega-duck-slash-cougar-boy': ['Welback - Mega Duck', 'Creatronic - Mega Duck', 'megaduck'],
  'microvision': ['Milton Bradley - Microvision', 'microvision'],
  'msx': ['Microsoft - MSX', 'MSX - MSX', 'MSX MSX', 'msx1_cart', 'msx1_flop', 'msx1_cass'],
  'msx2': ['Microsoft - MSX2', 'MSX - MSX2', 'MSX MSX2', 'msx2_cart', 'msx2_flop'],
  'msx2plus': ['Microsoft - MSX2+', 'MSX - MSX2+', 'MSX MSX2+'],
  'msx-turbo': ['Microsoft - MSX turboR', 'MSX - TurboR', 'MSX TurboR'],
  'n64': ['Nintendo - Nintendo 64', 'Nintendo 64', 'n64'],
  'nds': ['Nintendo - Nintendo DS', 'Nintendo DS', 'nds'],
  'nintendo-dsi': ['Nintendo - Nintendo DSi', 'Nintendo DSi'],
  'neo-geo-cd': ['SNK - Neo Geo CD', 'SNK Neo-Geo CD', 'neocd'],
  'neo-geo-pocket': ['SNK - Neo Geo Pocket', 'SNK Neo-Geo Pocket', 'ngp'],
  'neo-geo-pocket-color': ['SNK - Neo Geo Pocket Color', 'SNK Neo-Geo Pocket Color', 'ngpc'],
  'neogeoaes': ['SNK - Neo Geo', 'SNK Neo-Geo', 'neogeo'],
  'nes': ['Nintendo - Nintendo Entertainment System', 'Nintendo Famicom & Entertainment System', 'Nintendo NES', 'nes', 'famicom_cass'],
  'famicom': ['Nintendo - Family Computer', 'famicom'],
  'ngage': ['Nokia - N-Gage', 'Nokia N-Gage'],
  'ngc': ['Nintendo - GameCube', 'Nintendo GameCube'],
  'odyssey-2': ['Magnavox - Odyssey2', 'Magnavox Odyssey2', 'Philips - Videopac', 'Philips Videopac+', 'Philips - Videopac+', 'videopac', 'odyssey2'],
  'odyssey': ['Magnavox - Odyssey'],
  'oric': ['Tangerine - Oric', 'Tangerine Oric', 'oric1_cass'],
  'palm-os': ['Mobile - Palm OS', 'Palm - Palm OS'],
  'pc-8800-series': ['NEC - PC-8801', 'NEC PC-8801', 'NEC - PC-8001 & PC-8801', 'pc8801_flop'],
  'pc-9800-series': ['NEC - PC-98', 'NEC PC-9801', 'NEC - PC-9801', 'pc98'],
  'pc-fx': ['NEC - PC-FX', 'NEC - PC-FX & PC-FXGA', 'NEC PC-FX', 'pcfx'],
  'philips-cd-i': ['Philips - CD-i', 'Philips CD-i', 'cdi'],
  'pico': ['PICO-8', 'Lexaloffle - PICO-8'],
  'pokemon-mini': ['Nintendo - Pokemon Mini', 'Nintendo Pokemon Mini', 'pokemini'],
  'ps2': ['Sony - PlayStation 2', 'Sony PlayStation 2'],
  'ps3': ['Sony - PlayStation 3', 'Sony PlayStation 3'],
  'psp': ['Sony - PlayStation Portable', 'Sony PlayStation Portable'],
  'psvita': ['Sony - PlayStation Vita', 'Sony PlayStation Vita'],
  'psx': ['Sony - PlayStation', 'Sony PlayStation', 'psx'],
  'sam-coupe': ['MGT - Sam Coupe', 'MGT Sam Coupe', 'samcoupe_flop'],
  'satellaview': ['Nintendo - Satellaview', 'Nintendo Satellaview', 'snes_bspack'],
  'saturn': ['Sega - Saturn', 'Sega Saturn', 'saturn'],
  'sega-pico': ['Sega - PICO', 'Sega Pico', 'pico'],
  'sega32': ['Sega - 32X', 'Sega 32X', '32x'],
  'segacd': ['Sega - Mega-CD - Sega CD', 'Sega - Mega CD & Sega CD', 'Sega Mega-CD & Sega CD', 'Sega - Sega CD', 'megacd', 'segacd'],
  'sg1000': ['Sega - SG-1000', 'Sega SG-1000', 'sg1000'],
  'sharp-x68000': ['Sharp - X68000', 'Sharp X68000', 'x68k_flop'],
  'x1': ['Sharp - X1', 'Sharp X1', 'x1_flop', 'x1_cass'],
  'sms': ['Sega - Master System - Mark III', 'Sega - Master System', 'Sega Master System', 'sms'],
  'snes': ['Nintendo - Super Nintendo Entertainment System', 'Nintendo Super Famicom & Super Entertainment System', 'Nintendo SNES', 'snes'],
  'sufami-turbo': ['Nintendo - Sufami Turbo', 'snes_strom'],
  'super-acan': ["Funtech - Super Acan", 'supracan'],
  'supergrafx': ['NEC - PC Engine SuperGrafx', 'NEC SuperGrafx', 'sgx'],
  'supervision': ['Watara - Supervision', 'Watara Supervision', 'svision'],
  'switch': ['Nintendo - Nintendo Switch', 'Nintendo Switch'],
  'tg16': ['NEC - PC Engine - TurboGrafx 16', 'NEC - PC Engine - TurboGrafx-16', 'NEC PC-Engine & TurboGrafx-16', 'NEC PC Engine', 'pce', 'tg16'],
  'turbografx-cd': ['NEC - PC Engine CD - TurboGrafx-CD', 'NEC - PC Engine CD & TurboGrafx CD', 'NEC PC-Engine CD & TurboGrafx CD', 'pcecd'],
  'thomson-mo5': ['Thomson - MO5', 'Thomson MO5', 'mo5_cass'],
  'thomson-to': ['Thomson - TO', 'Thomson TO8', 'to8_flop'],
  'ti-994a': ['Texas Instruments - TI-99 4A', 'Texas Instruments TI-99 4A', 'ti99_cart'],
  'tic-80': ['TIC-80'],
  'trs-80': ['Tandy - TRS-80', 'Tandy Radio Shack TRS-80'],
  'trs-80-color-computer': ['Tandy - TRS-80 Color Computer', 'Tandy Radio Shack TRS-80 Color Computer', 'coco_cart'],
  'uzebox': ['Uzebox'],
  'vectrex': ['GCE - Vectrex', 'GCE Vectrex', 'vectrex'],
  'virtualboy': ['Nintendo - Virtual Boy', 'Nintendo Virtual Boy', 'vboy'],
  'vsmile': ['VTech - V.Smile', 'vsmile_cart'],
  'wii': ['Nintendo - Wii', 'Nintendo Wii'],
  'wiiu': ['Nintendo - Wii U', 'Nintendo Wii U'],
  'wonderswan': ['Bandai - WonderSwan', 'Bandai WonderSwan', 'wswan'],
  'wonderswan-color': ['Bandai - WonderSwan Color', 'Bandai WonderSwan Color', 'wscolor'],
  'xbox': ['Microsoft - Xbox', 'Microsoft Xbox'],
  'xbox360': ['Microsoft - Xbox 360', 'Microsoft Xbox 360'],
  'zx81': ['Sinclair - ZX81', 'Sinclair ZX81', 'zx81_cass'],
  'zxs': ['Sinclair - ZX Spectrum', 'Sinclair - ZX Spectrum +3', 'Sinclair ZX Spectrum', 'spectrum_cass', 'spectrum_cart'],
  'win': ['Microsoft - Windows', 'Microsoft Windows'],
  'mac': ['Apple - Macintosh', 'Apple Macintosh'],
};

/** Lowercase, parenthesised and bracketed qualifiers dropped, `&`/`and` alike, spaces collapsed. */
export function normalizeDatName(name: string): string {
  return name
    .toLowerCase()
    .replace(/\([^)]*\)|\[[^\]]*\]/g, ' ')
    .replace(/\s+and\s+/g, ' & ')
    .replace(/\s+/g, ' ')
    .replace(/\s*-\s*$/, '')
    .trim();
}

const BY_NAME = new Map<string, string>();
for (const [slug, names] of Object.entries(SYSTEMS)) {
  for (const name of names) BY_NAME.set(normalizeDatName(name), slug);
}

/** TOSEC names a section after the system (`Commodore Amiga - Games - [ADF]`, `... - Applications`). */
const ARCADE = /^(mame|hbmame|finalburn|fbneo|fb neo|fba)\b/;

/**
 * The catalogue slug a DAT with this header name is for, or null. The longest ` - `-separated prefix that names a
 * system wins, so `Sega - Mega Drive - Genesis` beats `Sega - Mega Drive` and TOSEC's sections fall away.
 */
export function platformSlugForDat(headerName: string): string | null {
  const norm = normalizeDatName(headerName);
  if (!norm) return null;
  const parts = norm.split(' - ');
  for (let n = parts.length; n > 0; n--) {
    const slug = BY_NAME.get(parts.slice(0, n).join(' - '));
    if (slug) return slug;
  }
  return ARCADE.test(norm) ? 'arcade' : null;
}

/** Every slug the table can produce (a test checks each is in the platform catalogue). */
export function mappedSlugs(): string[] {
  return Object.keys(SYSTEMS);
}
