import type { components, paths } from './schema';

/** Wire types of the web UI, all read off the generated OpenAPI client (`npm run gen:api-client`). */

type JsonOf<T> = T extends { content: { 'application/json': infer J } } ? J : never;
/** JSON body of a route's `status` response. */
type Body<P extends keyof paths, M extends keyof paths[P], S extends number = 200> =
  paths[P][M] extends { responses: infer R } ? (S extends keyof R ? JsonOf<R[S]> : never) : never;

export type Heartbeat = Body<'/api/heartbeat', 'get'>;
export type User = Body<'/api/users/me', 'get'>;
export type RomPage = Body<'/api/roms', 'get'>;
export type SimpleRom = RomPage['items'][number];
export type DetailedRom = Body<'/api/roms/{id}', 'get'>;
export type RomFile = DetailedRom['files'][number];
export type RomUser = Body<'/api/roms/{id}/props', 'put'>;
export type FilterValues = RomPage['filter_values'];
export type BulkOperation = Body<'/api/roms/delete', 'post'>;
export type Note = Body<'/api/roms/{id}/notes', 'get'>[number];
export type Platform = components['schemas']['PlatformSchema'];
export type PermissionGroup = Body<'/api/permissions/groups', 'get'>[number];
export type Stats = Body<'/api/stats', 'get'>;
export type ClientToken = Body<'/api/client-tokens', 'get'>[number];
export type CreatedClientToken = Body<'/api/client-tokens', 'post', 201>;
export type TaskStatus = Body<'/api/tasks/scan_library/status', 'get'>;
export type DatFile = Body<'/api/dats', 'get'>[number];
export type DatReport = Body<'/api/dats/report', 'get'>;
export type DatRenameResult = Body<'/api/dats/rename', 'post'>;
export type DatVerifyResult = Body<'/api/dats/verify', 'post'>;

export type RegularCollection = Body<'/api/collections/{id}', 'get'>;
export type SmartCollection = Body<'/api/collections/smart/{id}', 'get'>;
export type VirtualCollection = Body<'/api/collections/virtual/{id}', 'get'>;
/** Any of RomM's three collection kinds; the fields they share are read directly, the rest after `'key' in c`. */
export type Collection = RegularCollection | SmartCollection | VirtualCollection;

/*
 * Hand-written until the next `npm run gen:api-client`: routes and fields the server gained with local metadata
 * sources (gamelist.xml / ES-DE, LaunchBox, libretro thumbnails). Replace with `Body<…>` once they are generated.
 */

/** ROM fields whose origin the server records (`GET /api/roms/{id}/metadata/sources`). */
export type MetadataField =
  | 'name' | 'summary' | 'cover' | 'screenshots' | 'manual' | 'genres' | 'companies' | 'franchises' | 'age_ratings'
  | 'first_release_date' | 'average_rating' | 'player_count';

/** Per field, the source slug that filled it (`gamelist`, `launchbox`, `libretro`…) or `manual` for a user edit. */
export interface RomMetadataSources {
  fields: Partial<Record<MetadataField, string>>;
}

/** One metadata source the server knows (`GET /api/metadata/sources`). */
export interface MetadataSourceInfo {
  id: string;
  name: string;
  available: boolean;
  local: boolean;
}
export interface MetadataSourceList {
  sources: MetadataSourceInfo[];
}

export const SCAN_TYPES = ['quick', 'update', 'unmatched', 'complete', 'hashes', 'new_platforms'] as const;
export type ScanType = (typeof SCAN_TYPES)[number];

/** Body of `POST /api/tasks/run/scan_library`. `apis` absent = every available local source. */
export interface ScanRequest {
  type?: ScanType;
  platforms?: number[];
  platform_fs_slugs?: string[];
  /** Only these ROMs: their metadata is re-run with the chosen sources. */
  roms_ids?: number[];
  apis?: string[];
}

/** Scan status with the metadata phase; every added field may be missing on an older server. */
export type ScanTaskStatus = Omit<TaskStatus, 'meta'> & {
  meta: TaskStatus['meta'] & { phase?: 'files' | 'metadata' | null };
};

/** One manual-match candidate of `GET /api/search/roms` (RomM's SearchRomSchema). */
export type SearchRom = Body<'/api/search/roms', 'get'>[number];

/** The caller's saves and states of a ROM, their kept previous contents, devices and play sessions. */
export type Save = Body<'/api/saves', 'get'>[number];
export type SaveState = Body<'/api/states', 'get'>[number];
export type AssetVersion = Body<'/api/saves/{id}/versions', 'get'>[number];
/** A deleted save or state that still has kept versions (romshelf extension). */
export type DeletedAsset = Body<'/api/saves/deleted', 'get'>[number];
export type Device = components['schemas']['DeviceSchema'];
export type PlaySession = components['schemas']['PlaySessionSchema'];
