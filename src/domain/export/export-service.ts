/**
 * RomM's `POST /api/export/gamelist-xml` and `/api/export/pegasus`: write one `gamelist.xml` or
 * `metadata.pegasus.txt` per platform into the platform's folder. With `localExport`, paths are relative to that
 * folder and the media are linked or copied into `<platform>/assets/…` (RomM's layout); without it, the ROM and its
 * media are URLs of this server. ROMs are read a page at a time and the file is streamed to a temporary file that
 * replaces the old one atomically (kept once as `.bak`).
 *
 * Writing into the library is a write whatever RomM's scope says: only admins may export.
 *
 * API:
 *   new ExportService(repo, resourcesRoot, libraryPath, logger)
 *   exportGamelist(request), exportPegasus(request)     request: ExportRequest
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Role } from '../../auth/scopes.ts';
import { AppError, badRequest, forbidden, notFound } from '../../common/errors.ts';
import { isInside, resolveInside } from '../../common/paths.ts';
import type { ExportPlatformRow, ExportRepository, ExportRomRow } from '../../db/repositories/export-repository.ts';
import { detectStructure } from '../../library/layout.ts';
import { deriveMetadata } from '../../metadata/derivation.ts';
import {
  GAMELIST_XML_HEAD, GAMELIST_XML_TAIL, gamelistDate, gamelistGameXml, type GamelistGame,
} from '../../metadata/gamelist/export-xml.ts';
import { pegasusCollection } from '../../metadata/pegasus/collections.ts';
import { pegasusDate, pegasusGame, pegasusHeader, pegasusRating } from '../../metadata/pegasus/export.ts';
import { parseObject, parseStringArray, RESOURCES_PREFIX } from '../roms/mapper-parts.ts';
import { placeAsset, replaceFile, type TextSink } from './library-writes.ts';
import { GAMELIST_ASSET_DIRS, gamelistAssets, PEGASUS_ASSET_DIRS, pegasusAssets } from './rom-assets.ts';

export interface ExportRequest {
  platformIds: number[];
  localExport: boolean;
  /** `http://host:port` of the request, for the URLs of a non-local export. */
  baseUrl: string;
  callerRole: Role;
}

/** RomM's `scan.gamelist.media` defaults: the cover as `<thumbnail>`, the screenshot as `<image>`. */
const MEDIA_THUMBNAIL = 'box2d';
const MEDIA_IMAGE = 'screenshot';

interface Target {
  platform: ExportPlatformRow;
  dir: string;
}

const encodePath = (rel: string): string => rel.split('/').map(encodeURIComponent).join('/');

export class ExportService {
  constructor(
    private readonly repo: ExportRepository,
    private readonly resourcesRoot: string,
    private readonly libraryPath: string,
    private readonly logger: Logger,
  ) {}

  async exportGamelist(req: ExportRequest): Promise<void> {
    const targets = await this.targets(req);
    await this.eachPlatform(targets, 'Failed to write any gamelist files', (t) =>
      replaceFile(t.dir, 'gamelist.xml', (sink) => this.writeGamelist(t, req, sink)));
  }

  async exportPegasus(req: ExportRequest): Promise<void> {
    const targets = await this.targets(req);
    await this.eachPlatform(targets, 'Failed to write any Pegasus metadata files', (t) =>
      replaceFile(t.dir, 'metadata.pegasus.txt', (sink) => this.writePegasus(t, req, sink)));
  }

  /** Checks the caller and every platform before anything is written. */
  private async targets(req: ExportRequest): Promise<Target[]> {
    if (req.callerRole !== 'admin') throw forbidden();
    if (req.platformIds.length === 0) throw badRequest('At least one platform ID must be provided');
    const targets: Target[] = [];
    for (const id of [...new Set(req.platformIds)]) {
      const platform = await this.repo.platform(id);
      if (!platform) throw notFound(`Platform with ID ${id} not found`);
      targets.push({ platform, dir: await this.platformDir(platform) });
    }
    return targets;
  }

  /** Where the scanner found the platform's ROMs, else where the library's structure puts them. */
  private async platformDir(platform: ExportPlatformRow): Promise<string> {
    const rel = (await this.repo.romsFolder(platform.id))
      ?? ((await detectStructure(this.libraryPath)) === 'B' ? `${platform.fs_slug}/roms` : `roms/${platform.fs_slug}`);
    const dir = resolveInside(this.libraryPath, rel);
    if (!dir) throw new AppError(500, `Platform folder of ${platform.fs_slug} is outside the library`);
    return dir;
  }

  private async eachPlatform(targets: Target[], noneWritten: string, write: (t: Target) => Promise<void>): Promise<void> {
    let written = 0;
    for (const t of targets) {
      try {
        if (!(await stat(t.dir)).isDirectory()) throw new Error('not a folder');
        await write(t);
        written++;
      } catch (err) {
        this.logger.warn({ err, platform: t.platform.fs_slug }, 'export failed for a platform');
      }
    }
    if (written === 0) throw new AppError(500, noneWritten);
  }

  private async writeGamelist(t: Target, req: ExportRequest, sink: TextSink): Promise<void> {
    await sink.write(GAMELIST_XML_HEAD);
    const scrapDate = gamelistDate(Date.now());
    for await (const page of this.repo.roms(t.platform.id)) {
      for (const row of page) {
        if (row.fs_name === 'gamelist.xml') continue;
        const refs: Partial<Record<string, string>> = {};
        for (const [key, rel] of Object.entries(gamelistAssets(row))) {
          const ref = await this.assetRef(t, row, rel, GAMELIST_ASSET_DIRS[key as keyof typeof GAMELIST_ASSET_DIRS], req, './');
          if (ref) refs[key] = ref;
        }
        await sink.write(gamelistGameXml(gamelistGame(row, refs, this.romPath(row, req, './')), scrapDate));
      }
    }
    await sink.write(GAMELIST_XML_TAIL);
  }

  private async writePegasus(t: Target, req: ExportRequest, sink: TextSink): Promise<void> {
    const [collection, shortname] = pegasusCollection(t.platform);
    await sink.write(`${pegasusHeader(collection, shortname)}\n`);
    let count = 0;
    for await (const page of this.repo.roms(t.platform.id)) {
      for (const row of page) {
        const assets: [string, string][] = [];
        // RomM names media in a Pegasus file only for a local export.
        if (req.localExport) {
          for (const [key, rel] of Object.entries(pegasusAssets(row))) {
            const ref = await this.assetRef(t, row, rel, PEGASUS_ASSET_DIRS[key as keyof typeof PEGASUS_ASSET_DIRS], req, '');
            if (ref) assets.push([key, ref]);
          }
        }
        const m = derived(row);
        const name = row.name || row.fs_name;
        await sink.write(`${count++ > 0 ? '\n' : ''}${pegasusGame({
          title: name,
          file: this.romPath(row, req, ''),
          ...(row.name && row.fs_name_no_tags && row.name !== row.fs_name_no_tags ? { sortBy: row.fs_name_no_tags } : {}),
          ...(m.companies[0] ? { developer: m.companies[0] } : {}),
          ...(m.companies[1] ? { publisher: m.companies[1] } : {}),
          genres: m.genres,
          tags: parseStringArray(row.tags),
          ...(row.player_count ? { players: row.player_count } : {}),
          description: row.summary,
          ...(row.first_release_date !== null ? { release: pegasusDate(row.first_release_date) } : {}),
          ...(row.average_rating !== null ? { rating: pegasusRating(row.average_rating) } : {}),
          assets,
          regions: parseStringArray(row.regions),
          languages: parseStringArray(row.languages),
          rommId: row.id,
        })}`);
      }
    }
  }

  /** `./<fs_name>` (or `<fs_name>`) locally, else the ROM's content URL on this server. */
  private romPath(row: ExportRomRow, req: ExportRequest, prefix: string): string {
    return req.localExport ? `${prefix}${row.fs_name}` : `${req.baseUrl}/api/roms/${row.id}/content/${encodeURIComponent(row.fs_name)}`;
  }

  /**
   * A media reference: for a local export the file is placed at `assets/<dir>/<rom name><ext>` in the platform
   * folder (null when the stored file is gone), otherwise the URL of the stored file.
   */
  private async assetRef(t: Target, row: ExportRomRow, rel: string, dir: string, req: ExportRequest, prefix: string): Promise<string | null> {
    const source = resolveInside(this.resourcesRoot, rel);
    if (!source) return null;
    if (!req.localExport) return `${req.baseUrl}${RESOURCES_PREFIX}/${encodePath(rel)}`;
    let real: string;
    try {
      real = await realpath(source);
      if (!isInside(await realpath(this.resourcesRoot), real)) return null;
    } catch {
      return null;
    }
    const name = `${row.fs_name_no_ext}${path.extname(source)}`;
    const relDest = `assets/${dir}/${name}`;
    const dest = resolveInside(t.dir, relDest);
    if (!dest || name.includes('/') || name.includes('\\')) return null;
    try {
      return (await placeAsset(real, dest, t.dir)) ? `${prefix}${relDest}` : null;
    } catch (err) {
      this.logger.warn({ err, dest }, 'could not place an exported asset');
      return null;
    }
  }
}

/** Genres, companies, franchises, date and players as RomM's metadatum view derives them from the blobs. */
function derived(row: ExportRomRow) {
  return deriveMetadata({
    igdb: parseObject(row.igdb_metadata), moby: parseObject(row.moby_metadata), ss: parseObject(row.ss_metadata),
    ra: parseObject(row.ra_metadata), launchbox: parseObject(row.launchbox_metadata),
    flashpoint: parseObject(row.flashpoint_metadata), gamelist: parseObject(row.gamelist_metadata),
    manual: parseObject(row.manual_metadata),
  });
}

function gamelistGame(row: ExportRomRow, refs: Partial<Record<string, string>>, romPath: string): GamelistGame {
  const m = derived(row);
  const game: GamelistGame = { path: romPath, name: row.name || row.fs_name, desc: row.summary, id: row.gamelist_id };
  const set = <K extends keyof GamelistGame>(key: K, value: GamelistGame[K] | undefined): void => {
    if (value !== undefined && value !== '') game[key] = value;
  };
  set('thumbnail', refs[MEDIA_THUMBNAIL] ?? refs.box2d);
  set('video', refs.video);
  set('screenshot', refs.screenshot);
  set('image', refs[MEDIA_IMAGE] ?? refs.screenshot);
  set('manual', refs.manual);
  set('developer', m.companies[0]);
  set('publisher', m.companies[1]);
  set('genre', m.genres.join(', '));
  set('family', m.franchises.join(', '));
  set('players', row.player_count);
  set('lang', parseStringArray(row.languages)[0]);
  set('region', parseStringArray(row.regions)[0]);
  if (row.first_release_date !== null) set('releasedate', gamelistDate(row.first_release_date));
  if (row.average_rating !== null) set('rating', (row.average_rating / 100).toFixed(2));
  set('cover', refs.box2d);
  set('box3d', refs.box3d);
  set('boxback', refs.box2d_back);
  set('fanart', refs.fanart);
  set('marquee', refs.marquee);
  set('miximage', refs.miximage);
  set('miximage_v2', refs.miximage_v2);
  set('physicalmedia', refs.physical);
  set('title_screen', refs.title_screen);
  set('bezel', refs.bezel);
  return game;
}
