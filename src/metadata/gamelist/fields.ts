/**
 * The vocabulary of gamelist.xml as the EmulationStation family writes it (ES, RetroPie, Batocera, ES-DE, RomM's
 * export) and how it maps onto RomM's `GamelistMetadata` keys. One table, read by the reader, the provider and the
 * export, so the three agree on every tag.
 */

/** Text elements kept from an entry. */
export const GAMELIST_TEXT_FIELDS = [
  'name', 'desc', 'rating', 'releasedate', 'developer', 'publisher', 'genre', 'players', 'sortname', 'family', 'lang',
  'region', 'md5',
] as const;
export type GamelistTextField = (typeof GAMELIST_TEXT_FIELDS)[number];

/** Media kinds, named so that `<kind>_url` is RomM's blob key (`box2d_url`, `title_screen_url`…). */
export const GAMELIST_MEDIA_KINDS = [
  'box2d', 'box2d_back', 'box3d', 'fanart', 'image', 'manual', 'marquee', 'miximage', 'miximage_v2', 'physical',
  'screenshot', 'thumbnail', 'title_screen', 'video',
] as const;
export type GamelistMediaKind = (typeof GAMELIST_MEDIA_KINDS)[number];

/**
 * Elements naming each media kind, preferred first: RomM's own tag, then what Batocera and RomM's export write
 * (`boxback`, `titleshot`, `cartridge`, `mix`, `wheel`…).
 */
export const MEDIA_TAGS: Record<GamelistMediaKind, readonly string[]> = {
  box2d: ['cover', 'boxart'],
  box2d_back: ['backcover', 'boxback'],
  box3d: ['box3d'],
  fanart: ['fanart'],
  image: ['image'],
  manual: ['manual'],
  marquee: ['marquee', 'wheel'],
  miximage: ['miximage', 'mix'],
  miximage_v2: ['miximage_v2'],
  physical: ['physicalmedia', 'cartridge'],
  screenshot: ['screenshot'],
  thumbnail: ['thumbnail'],
  title_screen: ['title_screen', 'titlescreen', 'titleshot'],
  video: ['video'],
};

/** Element name → media kind and its rank among the kind's tags (lower wins). */
export const TAG_TO_MEDIA: ReadonlyMap<string, { kind: GamelistMediaKind; rank: number }> = new Map(
  GAMELIST_MEDIA_KINDS.flatMap((kind) => MEDIA_TAGS[kind].map((tag, rank) => [tag, { kind, rank }] as const)),
);

/** Folders searched for `<rom stem>.*`, beside the gamelist (RomM's fallback) and in ES-DE's downloaded_media tree. */
export const MEDIA_FOLDERS: Record<GamelistMediaKind, string> = {
  box2d: 'covers',
  box2d_back: 'backcovers',
  box3d: '3dboxes',
  fanart: 'fanart',
  image: 'images',
  manual: 'manuals',
  marquee: 'marquees',
  miximage: 'miximages',
  miximage_v2: 'miximages_v2',
  physical: 'physicalmedia',
  screenshot: 'screenshots',
  thumbnail: 'thumbnails',
  title_screen: 'titlescreens',
  video: 'videos',
};

export const isTextField = (tag: string): tag is GamelistTextField => (GAMELIST_TEXT_FIELDS as readonly string[]).includes(tag);
