/**
 * Which stored media of a ROM each export names, with RomM's preferences (ScreenScraper's files first, then the
 * gamelist's), as resources-relative paths; and the folder names under `<platform>/assets/` a local export uses.
 */
import { parseObject, parseStringArray } from '../roms/mapper-parts.ts';
import type { ExportRomRow } from '../../db/repositories/export-repository.ts';

export type GamelistAsset =
  | 'box2d' | 'screenshot' | 'video' | 'manual' | 'box3d' | 'box2d_back' | 'fanart' | 'marquee' | 'miximage'
  | 'miximage_v2' | 'physical' | 'title_screen' | 'bezel';

export type PegasusAsset =
  | 'box_front' | 'screenshot' | 'video' | 'box_full' | 'box_back' | 'logo' | 'marquee' | 'cartridge' | 'background'
  | 'titlescreen' | 'bezel';

export const GAMELIST_ASSET_DIRS: Record<GamelistAsset, string> = {
  box2d: 'covers', box3d: 'boxes', box2d_back: 'backcovers', fanart: 'fanart', marquee: 'marquees',
  miximage: 'miximages', miximage_v2: 'miximages_v2', physical: 'physical', screenshot: 'screenshots',
  title_screen: 'titlescreens', bezel: 'bezels', video: 'videos', manual: 'manuals',
};

export const PEGASUS_ASSET_DIRS: Record<PegasusAsset, string> = {
  box_front: 'covers', box_back: 'backcovers', box_full: 'boxes', screenshot: 'screenshots', titlescreen: 'titlescreens',
  video: 'videos', marquee: 'marquees', cartridge: 'cartridges', logo: 'logos', background: 'backgrounds', bezel: 'bezels',
};

function str(o: Record<string, unknown>, key: string): string {
  const v = o[key];
  return typeof v === 'string' ? v : '';
}

const first = (...candidates: string[]): string => candidates.find((c) => c !== '') ?? '';

function pick<K extends string>(entries: [K, string][]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const [k, v] of entries) if (v !== '') out[k] = v;
  return out;
}

export function gamelistAssets(row: ExportRomRow): Partial<Record<GamelistAsset, string>> {
  const ss = parseObject(row.ss_metadata) ?? {};
  const gl = parseObject(row.gamelist_metadata) ?? {};
  const both = (key: string, ssKey = key) => first(str(ss, ssKey), str(gl, key));
  return pick<GamelistAsset>([
    ['box2d', row.path_cover_l],
    ['screenshot', parseStringArray(row.path_screenshots)[0] ?? ''],
    ['video', both('video_path')],
    ['manual', row.path_manual],
    ['box3d', both('box3d_path')],
    ['box2d_back', both('box2d_back_path')],
    ['fanart', both('fanart_path')],
    ['marquee', first(str(ss, 'logo_path'), str(gl, 'marquee_path'))],
    ['miximage', both('miximage_path')],
    ['miximage_v2', both('miximage_v2_path')],
    ['physical', both('physical_path')],
    ['title_screen', both('title_screen_path')],
    ['bezel', str(ss, 'bezel_path')],
  ]);
}

export function pegasusAssets(row: ExportRomRow): Partial<Record<PegasusAsset, string>> {
  const ss = parseObject(row.ss_metadata) ?? {};
  const gl = parseObject(row.gamelist_metadata) ?? {};
  const both = (key: string) => first(str(ss, key), str(gl, key));
  return pick<PegasusAsset>([
    ['box_front', row.path_cover_l],
    ['screenshot', parseStringArray(row.path_screenshots)[0] ?? ''],
    ['video', both('video_path')],
    ['box_full', both('box3d_path')],
    ['box_back', both('box2d_back_path')],
    ['logo', str(ss, 'logo_path')],
    ['marquee', str(gl, 'marquee_path')],
    ['cartridge', both('physical_path')],
    ['background', both('fanart_path')],
    ['titlescreen', both('title_screen_path')],
    ['bezel', str(ss, 'bezel_path')],
  ]);
}
