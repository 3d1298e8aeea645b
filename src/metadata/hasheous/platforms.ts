/**
 * The platforms Hasheous knows (RomM's `HASHEOUS_PLATFORM_LIST`): platform slug → Hasheous platform id. RomM looks a
 * ROM up only on a platform that has a Hasheous id, so a ROM of any other platform costs no request.
 */
const HASHEOUS_PLATFORM_IDS: Readonly<Record<string, number>> = {
  '3do': 161825, '3ds': 62, '64dd': 65, 'acorn-archimedes': 24, 'acorn-electron': 25, 'acpc': 28,
  'action-max': 232983, 'adventure-vision': 234388, 'altair-8800': 234456, 'amiga': 3, 'amiga-cd32': 161823,
  'amstrad-gx4000': 61540, 'amstrad-pcw': 29, 'apf': 61738, 'apple': 61885, 'apple-iigs': 21, 'apple-lisa': 69659,
  'apple-pippin': 22, 'appleii': 20, 'appleiii': 63154, 'arcade': 178, 'arduboy': 244294, 'astrocade': 31,
  'atari-st': 15, 'atari2600': 12, 'atari5200': 17, 'atari7800': 16, 'atari8bit': 18, 'atom': 55099, 'bbcmicro': 26,
  'beena': 82, 'bit-90': 97614, 'c-plus-4': 7, 'c128': 8, 'c16': 6, 'c64': 5, 'camputers-lynx': 97720,
  'casio-cfx-9850': 97839, 'casio-fp-1000': 98757, 'casio-loopy': 37, 'casio-pb-1000': 98771, 'casio-pv-1000': 98793,
  'casio-pv-2000': 98811, 'colecovision': 39, 'commander-x16': 54769, 'commodore-cdtv': 9, 'cpet': 10, 'dc': 54694,
  'dos': 233075, 'excalibur-64': 97612, 'fairchild-channel-f': 43, 'famicom': 68, 'fds': 54692, 'fm-towns': 238902,
  'gamate': 97616, 'gamegear': 84, 'gb': 70, 'gba': 71, 'gbc': 72, 'genesis': 86, 'intellivision': 52, 'jaguar': 13,
  'linux': 233076, 'lynx': 14, 'mac': 30, 'aquarius': 51, 'microbee': 69714, 'msx': 53, 'msx2': 54,
  'multivision': 52922, 'n64': 64, 'nds': 66, 'nec-pc-6000-series': 58, 'neo-geo-cd': 161829, 'neo-geo-pocket': 97,
  'neo-geo-pocket-color': 98, 'neogeoaes': 96, 'nes': 68, 'new-nintendo-3ds': 63, 'ngc': 73, 'nintendo-dsi': 67,
  'odyssey': 48, 'odyssey-2': 49, 'pc-8800-series': 57, 'pc-9800-series': 59, 'pc-jr': 233269,
  'philips-cd-i': 161827, 'pocket-challenge-v2': 97550, 'pocket-challenge-w': 97577, 'pocketstation': 103,
  'pokemon-mini': 244733, 'ps2': 101, 'ps3': 161830, 'ps4': 232986, 'ps5': 232987, 'psp': 161831, 'psvita': 102,
  'psx': 100, 'rca-studio-ii': 234745, 'saturn': 54695, 'sc3000': 52165, 'sega-pico': 81, 'sega32': 80,
  'segacd': 161828, 'series-x-s': 232984, 'sfam': 233081, 'sg1000': 244470, 'sharp-x68000': 90, 'sinclair-ql': 92,
  'sms': 85, 'snes': 74, 'super-vision-8000': 97267, 'switch': 233067, 'tg16': 245372, 'ti-82': 47973,
  'ti-83': 243852, 'trs-80': 105, 'trs-80-color-computer': 106, 'turbografx-cd': 247350, 'vectrex': 45, 'vic-20': 4,
  'virtualboy': 75, 'supervision': 244828, 'wii': 76, 'wiiu': 77, 'win': 233074, 'wonderswan': 34,
  'wonderswan-color': 35, 'x1': 89, 'xbox': 54696, 'xbox360': 54697, 'xboxone': 161824, 'z88': 97718, 'zx80': 232985,
  'zx81': 94, 'zxs': 93,
};

/** The Hasheous platform id of a platform slug, or null when Hasheous does not know the platform. */
export function hasheousPlatformId(slug: string): number | null {
  return Object.hasOwn(HASHEOUS_PLATFORM_IDS, slug) ? (HASHEOUS_PLATFORM_IDS[slug] ?? null) : null;
}
