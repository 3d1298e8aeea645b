/**
 * The LaunchBox metadata source: a LaunchBox installation (`LAUNCHBOX_PATH`: platform XMLs and their media) and
 * LaunchBox's public Metadata.xml (`LAUNCHBOX_METADATA_PATH`, imported into the database by `prepare`). A ROM is found
 * as RomM finds it: in the local platform XML first (its DatabaseID then reaches the imported entry, else its title
 * does), else by a `(launchbox-N)` tag in the file name, else by the file name's title against the imported names,
 * alternate names and folded names of the platform. Remote images are recorded as URLs only; media files are local.
 * With LAUNCHBOX_API_ENABLED, `prepare` first refreshes Metadata.xml from LaunchBox's Metadata.zip (metadata-download.ts).
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { LaunchboxGame, LaunchboxImage, LaunchboxRepository } from '../../db/repositories/launchbox-repository.ts';
import type { MediaFile, MetadataIssues, MetadataPlatform, MetadataProvider, MetadataRom, PlatformSession, ProviderMatch } from '../types.ts';
import {
  buildLaunchboxMetadata, coalesce, remoteImages, romRegionCodes, selectRemoteCover, LAUNCHBOX_IMAGE_HOST,
  type GameFields, type LaunchboxImage as BlobImage,
} from './blob.ts';
import { LocalMediaFinder, type LocalMedia } from './local-media.ts';
import { loadLocalPlatformXml, localPlatformXmlFingerprint, localPlatformXmlPath, type LocalPlatformIndex } from './local-platform-xml.ts';
import { candidateKeys, launchboxIdTag, searchTermFromFileName } from './matching.ts';
import { updateLaunchboxMetadata, type LaunchboxDownloadOptions } from './metadata-download.ts';
import { importLaunchboxMetadata } from './metadata-import.ts';
import { launchboxPlatformName } from './platforms.ts';

export interface LaunchboxProviderOptions {
  /** LAUNCHBOX_PATH, or null when no installation is configured. */
  launchboxPath: string | null;
  /** LAUNCHBOX_METADATA_PATH. */
  metadataPath: string;
  repo: LaunchboxRepository;
  /** `scan.priority.region` short codes; picks the cover of the ROM's region. Default RomM's. */
  regionPriority?: readonly string[];
  /** LAUNCHBOX_API_ENABLED: Metadata.zip is fetched from this URL (at most daily) before each import. */
  download?: Pick<LaunchboxDownloadOptions, 'url' | 'timeoutMs' | 'fetch'> | null;
}

const DEFAULT_REGION_PRIORITY = ['us', 'wor', 'ss', 'eu', 'jp'];

export class LaunchboxProvider implements MetadataProvider {
  readonly id = 'launchbox' as const;
  readonly heartbeatFlag = 'LAUNCHBOX_API_ENABLED';
  private readonly launchboxPath: string | null;
  private readonly metadataPath: string;
  private readonly repo: LaunchboxRepository;
  private readonly regionPriority: readonly string[];
  private readonly download: LaunchboxProviderOptions['download'];

  constructor(opts: LaunchboxProviderOptions) {
    this.download = opts.download ?? null;
    this.launchboxPath = opts.launchboxPath ? path.resolve(opts.launchboxPath) : null;
    this.metadataPath = opts.metadataPath;
    this.repo = opts.repo;
    this.regionPriority = opts.regionPriority ?? DEFAULT_REGION_PRIORITY;
  }

  async available(): Promise<boolean> {
    // Enabled online: the pass's prepare() fetches Metadata.zip.
    if (this.download) return true;
    if (this.launchboxPath) {
      try {
        const names = await readdir(path.join(this.launchboxPath, 'Data', 'Platforms'));
        if (names.some((n) => n.toLowerCase().endsWith('.xml'))) return true;
      } catch {
        // No installation there: the imported Metadata.xml may still answer.
      }
    }
    // A Metadata.xml not imported yet counts: the pass's prepare() imports it.
    if (await stat(this.metadataPath).then((s) => s.isFile(), () => false)) return true;
    return this.repo.hasGames();
  }

  async prepare(issues: MetadataIssues, signal?: AbortSignal): Promise<void> {
    if (this.download) {
      await updateLaunchboxMetadata({ ...this.download, metadataPath: this.metadataPath, ...(signal ? { signal } : {}) }, issues);
    }
    await importLaunchboxMetadata({ path: this.metadataPath, repo: this.repo, issues, ...(signal ? { signal } : {}) });
  }

  async fingerprint(platform: MetadataPlatform): Promise<string | null> {
    const name = launchboxPlatformName(platform.slug);
    if (!name) return null;
    const imported = await this.repo.importedFile();
    const local = this.launchboxPath ? await localPlatformXmlFingerprint(localPlatformXmlPath(this.launchboxPath, name)) : null;
    if (!imported && !local) return null;
    return `metadata=${imported?.fingerprint ?? '-'};local=${local ?? '-'}`;
  }

  async open(platform: MetadataPlatform, issues: MetadataIssues): Promise<PlatformSession | null> {
    const name = launchboxPlatformName(platform.slug);
    if (!name) return null;
    const local = this.launchboxPath ? await loadLocalPlatformXml(localPlatformXmlPath(this.launchboxPath, name), issues) : null;
    const remote = await this.repo.hasGames();
    if (!local && !remote) return null;
    const media = this.launchboxPath ? new LocalMediaFinder(this.launchboxPath, name) : null;
    return new LaunchboxSession({ platformName: name, local, remote, media, root: this.launchboxPath, repo: this.repo, regionPriority: this.regionPriority });
  }
}

interface SessionDeps {
  platformName: string;
  local: LocalPlatformIndex | null;
  /** Whether imported Metadata.xml rows exist. */
  remote: boolean;
  media: LocalMediaFinder | null;
  root: string | null;
  repo: LaunchboxRepository;
  regionPriority: readonly string[];
}

class LaunchboxSession implements PlatformSession {
  constructor(private readonly d: SessionDeps) {}

  async lookup(rom: MetadataRom): Promise<ProviderMatch | null> {
    const local = this.d.local?.find(rom.fsName) ?? null;
    if (local) {
      const localId = positiveInt(local.DatabaseID);
      let remote: LaunchboxGame | null = null;
      if (this.d.remote) {
        if (localId) remote = await this.d.repo.gameById(localId);
        const title = local.Title?.trim();
        if (!remote && title) remote = await this.byName(title);
      }
      const id = localId ?? remote?.databaseId ?? null;
      if (!id) return null;
      return this.build(rom, id, local, remote, { title: local.Title?.trim() ?? '', regionHint: local.Region?.trim() || null });
    }

    // A `(launchbox-N)` tag, then an id already stored (a manual match, a Playmatch hint).
    const stored = rom.ids.launchbox_id == null ? null : positiveInt(String(rom.ids.launchbox_id));
    for (const id of [launchboxIdTag(rom.fsName), stored]) {
      if (id === null || id === undefined) continue;
      const game = await this.d.repo.gameById(id);
      if (game) return this.build(rom, game.databaseId, null, game, { title: game.name, regionHint: null });
    }

    if (!this.d.remote) return null;
    const game = await this.byName(searchTermFromFileName(rom.fsName));
    return game ? this.build(rom, game.databaseId, null, game, { title: game.name, regionHint: null }) : null;
  }

  /** Exact name, then alternate name, then folded name, each over every candidate in order (RomM's order). */
  private async byName(term: string): Promise<LaunchboxGame | null> {
    const keys = candidateKeys(term);
    const platform = this.d.platformName;
    return first(keys.names, await this.d.repo.gamesByNameKeys(platform, keys.names))
      ?? first(keys.names, await this.d.repo.gamesByAlternateKeys(platform, keys.names))
      ?? first(keys.folded, await this.d.repo.gamesByFoldedKeys(platform, keys.folded));
  }

  private async build(
    rom: MetadataRom, id: number, local: GameFields | null, remote: LaunchboxGame | null, hint: { title: string; regionHint: string | null },
  ): Promise<ProviderMatch> {
    const rows: LaunchboxImage[] = remote ? await this.d.repo.imagesOf(remote.databaseId) : [];
    const imageRows = rows.map((r) => ({ file_name: r.fileName, type: r.type, region: r.region }));
    const media: LocalMedia | null = this.d.media ? await this.d.media.find({ fsName: rom.fsName, ...hint }) : null;
    const root = this.d.root ?? '';
    const uri = (p: string): string => localUri(root, p);

    // Local media, where LaunchBox has some, replaces the remote list, as in RomM.
    let images: BlobImage[] = remoteImages(imageRows);
    if (media?.images.length) images = dedupeByUrl(media.images.map((i) => ({ url: uri(i.path), type: i.type, region: i.region })));
    const metadata: Record<string, unknown> = { ...buildLaunchboxMetadata(local, remote?.fields ?? null, images) };
    if (media?.video) metadata.video_url = uri(media.video);

    const cover = selectRemoteCover(imageRows, romRegionCodes(rom.regions, this.d.regionPriority));
    const remoteShots = imageRows.filter((r) => r.type.includes('Screenshot')).map((r) => LAUNCHBOX_IMAGE_HOST + r.file_name);
    const urls: NonNullable<ProviderMatch['urls']> = {};
    const coverUrl = media?.cover ? uri(media.cover) : cover ? LAUNCHBOX_IMAGE_HOST + cover.file_name : null;
    if (coverUrl) urls.cover = coverUrl;
    const shots = media?.screenshots.length ? media.screenshots.map(uri) : remoteShots;
    if (shots.length) urls.screenshots = shots;
    if (media?.manual) urls.manual = uri(media.manual);

    const file = (p: string): MediaFile => ({ path: p, root });
    const refs: ProviderMatch['media'] = {};
    if (media?.cover) refs.cover = file(media.cover);
    if (media?.screenshots.length) refs.screenshots = media.screenshots.map(file);
    if (media?.manual) refs.manual = file(media.manual);
    if (media?.video) refs.extras = { video: file(media.video) };

    const match: ProviderMatch = { source: 'launchbox', id, metadata, media: refs };
    const name = coalesce(local?.Title, remote?.fields.Name, remote?.name);
    if (name) match.name = name;
    const summary = coalesce(local?.Notes, remote?.fields.Overview);
    if (summary) match.summary = summary;
    if (Object.keys(urls).length) match.urls = urls;
    return match;
  }
}

/** The row matching the earliest key in `keys` (rows arrive lowest id first, so ties go to the lowest id). */
function first<T extends { key: string }>(keys: readonly string[], rows: readonly T[]): T | null {
  for (const k of keys) {
    const hit = rows.find((r) => r.key === k);
    if (hit) return hit;
  }
  return null;
}

function positiveInt(v: string | undefined): number | null {
  const s = v?.trim() ?? '';
  if (!/^\d{1,15}$/.test(s)) return null;
  const n = Number(s);
  return n > 0 ? n : null;
}

/** RomM's URI of a file in the LaunchBox folder: `launchbox-file://Images/…` (relative, forward slashes). */
function localUri(root: string, file: string): string {
  return `launchbox-file://${path.relative(root, file).split(path.sep).join('/')}`;
}

function dedupeByUrl(images: BlobImage[]): BlobImage[] {
  const seen = new Set<string>();
  return images.filter((i) => (seen.has(i.url) ? false : (seen.add(i.url), true)));
}
