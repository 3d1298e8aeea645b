import type { paths } from './schema';

type JsonOf<T> = T extends { content: { 'application/json': infer J } } ? J : never;
type Ok<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: { 200: infer R } } ? JsonOf<R> : never;

export type Heartbeat = Ok<'/api/heartbeat', 'get'>;
export type User = Ok<'/api/users/me', 'get'>;
export type RomPage = Ok<'/api/roms', 'get'>;
export type SimpleRom = RomPage['items'][number];
export type DetailedRom = Ok<'/api/roms/{id}', 'get'>;
export type RomFile = DetailedRom['files'][number];
export type RomUser = DetailedRom['rom_user'];
export type FilterValues = RomPage['filter_values'];
export type Platform = Ok<'/api/platforms', 'get'>[number];
export type Stats = Ok<'/api/stats', 'get'>;
export type ClientToken = Ok<'/api/client-tokens', 'get'>[number];
export type TaskStatus = Ok<'/api/tasks/scan_library/status', 'get'>;

/** RomM's CollectionSchema (regular, smart and virtual share these fields). */
export interface Collection {
  id: number | string;
  name: string;
  description: string;
  rom_ids: number[];
  rom_count: number;
  path_cover_small: string | null;
  path_cover_large: string | null;
  path_covers_small: string[];
  path_covers_large: string[];
  url_cover?: string | null;
  is_public: boolean;
  is_favorite: boolean;
  is_virtual: boolean;
  is_smart: boolean;
  user_id?: number;
  owner_username?: string;
  type?: string;
  filter_criteria?: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

/** RomM's UserNoteSchema. */
export interface Note {
  id: number;
  title: string;
  content: string;
  is_public: boolean;
  tags: string[] | null;
  created_at: string;
  updated_at: string;
  user_id: number;
  username: string;
}
