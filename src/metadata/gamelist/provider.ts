/**
 * The `gamelist` metadata source: each platform folder's gamelist.xml (ES, RetroPie, Batocera, ES-DE, RomM's own
 * export) and the media beside it, plus ES-DE's downloaded_media tree when ESDE_MEDIA_PATH is set. A ROM matches an
 * entry by file name; a ROM with no entry still gets the media ES-DE keeps under its name, so ES-DE users without a
 * gamelist.xml get covers.
 *
 * API:
 *   new GamelistProvider({ esdeMediaPath })   MetadataProvider with id 'gamelist'
 *   esdeMediaAvailable(esdeMediaPath)         for the heartbeat: is the ES-DE media folder there
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type {
  MetadataIssues, MetadataPlatform, MetadataProvider, MetadataRom, PlatformSession, ProviderMatch,
} from '../types.ts';
import { fileStem } from './entry-path.ts';
import { GAMELIST_MEDIA_KINDS, MEDIA_FOLDERS } from './fields.ts';
import { buildMatch, gamelistId, type FoundMedia } from './match.ts';
import { MediaFolders, RootGuard } from './media-folders.ts';
import { readGamelist, type GamelistEntries, type GamelistEntry } from './reader.ts';

export interface GamelistProviderOptions {
  /** ES-DE's downloaded_media folder (config.metadata.esdeMediaPath); null when unset. */
  esdeMediaPath: string | null;
}

export const GAMELIST_FILE = 'gamelist.xml';
const FOLDERS = [...new Set(Object.values(MEDIA_FOLDERS))].sort();

async function statOrNull(p: string) {
  try {
    return await stat(p);
  } catch {
    return null;
  }
}

/** Whether the ES-DE media folder is configured and present (the heartbeat's answer for ES-DE media). */
export async function esdeMediaAvailable(esdeMediaPath: string | null): Promise<boolean> {
  if (!esdeMediaPath) return false;
  return (await statOrNull(esdeMediaPath))?.isDirectory() ?? false;
}

export class GamelistProvider implements MetadataProvider {
  readonly id = 'gamelist' as const;
  private readonly esdeMediaPath: string | null;

  constructor(options: GamelistProviderOptions) {
    this.esdeMediaPath = options.esdeMediaPath ? path.resolve(options.esdeMediaPath) : null;
  }

  /** Gamelists live in the library's platform folders: the source is always offered. */
  available(): Promise<boolean> {
    return Promise.resolve(true);
  }

  async fingerprint(platform: MetadataPlatform): Promise<string | null> {
    const parts: string[] = [];
    const gl = await statOrNull(path.join(platform.romsDir, GAMELIST_FILE));
    if (gl?.isFile()) parts.push(`gamelist:${gl.size}:${gl.mtimeMs}:${gl.ino}`);
    const dirs = await Promise.all(FOLDERS.map((f) => statOrNull(path.join(platform.romsDir, f))));
    FOLDERS.forEach((f, i) => {
      const st = dirs[i];
      if (st?.isDirectory()) parts.push(`local/${f}:${st.mtimeMs}`);
    });
    const esde = this.esdeBase(platform);
    if (esde) {
      const base = await statOrNull(esde);
      if (base?.isDirectory()) {
        parts.push(`esde:${base.mtimeMs}`);
        const sub = await Promise.all(FOLDERS.map((f) => statOrNull(path.join(esde, f))));
        FOLDERS.forEach((f, i) => {
          const st = sub[i];
          if (st?.isDirectory()) parts.push(`esde/${f}:${st.mtimeMs}`);
        });
      }
    }
    if (parts.length === 0) return null;
    return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);
  }

  async open(platform: MetadataPlatform, issues: MetadataIssues): Promise<PlatformSession | null> {
    if ((await this.fingerprint(platform)) === null) return null;
    const entries = await readGamelist(path.join(platform.romsDir, GAMELIST_FILE), issues);
    const local = new MediaFolders(platform.romsDir, new RootGuard(platform.romsDir));
    const esdeBase = this.esdeBase(platform);
    const esde = esdeBase && this.esdeMediaPath ? new MediaFolders(esdeBase, new RootGuard(this.esdeMediaPath)) : null;
    return new GamelistSession(platform, entries, local, esde, issues);
  }

  /** `<ESDE_MEDIA_PATH>/<fsSlug>`, or null when unset or the slug would leave the folder. */
  private esdeBase(platform: MetadataPlatform): string | null {
    if (!this.esdeMediaPath) return null;
    const slug = platform.fsSlug;
    if (slug === '' || slug === '.' || slug === '..' || /[/\\\0]/.test(slug)) return null;
    return path.join(this.esdeMediaPath, slug);
  }
}

class GamelistSession implements PlatformSession {
  private readonly folderGuard: RootGuard;

  constructor(
    private readonly platform: MetadataPlatform,
    private readonly entries: GamelistEntries,
    private readonly local: MediaFolders,
    private readonly esde: MediaFolders | null,
    private readonly issues: MetadataIssues,
  ) {
    this.folderGuard = local.guard;
  }

  async lookup(rom: MetadataRom): Promise<ProviderMatch | null> {
    const entry = this.entries.get(rom.fsName);
    if (entry && !(await this.entryInside(entry))) return null;
    const base = entry ? path.posix.basename(entry.path) : rom.fsName;
    // RomM's stem is the name less its last extension; a folder ROM's media may also carry the whole name.
    const stems = [...new Set([fileStem(base), base])];
    const media = await this.findMedia(entry, stems);
    if (!entry && Object.keys(media).length === 0) return null;
    const id = gamelistId(this.platform.fsSlug, entry?.path ?? rom.fsName);
    return buildMatch(id, entry?.text ?? {}, media);
  }

  /** False (with an issue) when the entry's own path is a symlink out of the platform folder. */
  private async entryInside(entry: GamelistEntry): Promise<boolean> {
    const hit = await this.folderGuard.confine(path.join(this.platform.romsDir, entry.path));
    if (hit.ok || hit.reason === 'missing') return true;
    this.issues.add('path-outside-root', path.join(this.platform.romsDir, GAMELIST_FILE), `entry ${entry.fileName} resolves outside the platform folder`);
    return false;
  }

  /** Per kind: the entry's element, then `<platform>/<folder>/<stem>.*`, then ES-DE's tree. */
  private async findMedia(entry: GamelistEntry | undefined, stems: string[]): Promise<FoundMedia> {
    const found: FoundMedia = {};
    for (const kind of GAMELIST_MEDIA_KINDS) {
      const explicit = entry?.media[kind];
      if (explicit !== undefined) {
        const hit = await this.folderGuard.confine(path.join(this.platform.romsDir, explicit));
        if (hit.ok) {
          found[kind] = { path: hit.path, root: this.platform.romsDir };
          continue;
        }
        if (hit.reason === 'outside') this.outside(`<${kind}> of ${entry?.fileName ?? ''} resolves outside the platform folder`);
      }
      const local = await this.local.find(kind, stems);
      if (local.ok) {
        found[kind] = { path: local.path, root: this.platform.romsDir };
        continue;
      }
      if (local.reason === 'outside') this.outside(`${MEDIA_FOLDERS[kind]} media of ${stems[0] ?? ''} resolves outside the platform folder`);
      if (!this.esde) continue;
      const esde = await this.esde.find(kind, stems);
      if (esde.ok) found[kind] = { path: esde.path, root: this.esde.guard.root };
      else if (esde.reason === 'outside') this.outside(`ES-DE ${MEDIA_FOLDERS[kind]} media of ${stems[0] ?? ''} resolves outside ESDE_MEDIA_PATH`);
    }
    return found;
  }

  private outside(message: string): void {
    this.issues.add('path-outside-root', path.join(this.platform.romsDir, GAMELIST_FILE), message);
  }
}
