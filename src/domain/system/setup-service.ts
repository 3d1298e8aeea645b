import { readdir } from 'node:fs/promises';
import { forbidden } from '../../common/errors.ts';
import type { PlatformSchema } from '../../contract/platform.ts';
import { buildExclusions, type ExclusionConfig } from '../../library/exclusions.ts';
import { detectLayout, detectStructure } from '../../library/layout.ts';
import { checkFolderName, createPlatformFolder } from '../platforms/platform-folders.ts';

export interface SetupDeps {
  libraryPath: string;
  /** config.yml's roms folder and exclusions, read when asked so the wizard sees the file as it is now. */
  settings(): Promise<{ romsFolder: string; exclusions: ExclusionConfig }>;
  /** Whether no admin exists yet: the wizard's routes are open to anyone until then. */
  setupRequired(): Promise<boolean>;
  platforms(): Promise<PlatformSchema[]>;
  /** RomM's supported platforms (`GET /api/platforms/supported`). */
  supported(): Promise<PlatformSchema[]>;
}

export interface SetupLibraryInfo {
  detected_structure: 'struct_a' | 'struct_b' | null;
  existing_platforms: { fs_slug: string; rom_count: number }[];
  supported_platforms: PlatformSchema[];
}

/** Entries RomM leaves out of the wizard's per-folder count. */
const NOT_ROMS = new Set(['_resources', '_cache']);

/**
 * The first-run wizard (RomM's `/api/setup/*`): what the library holds and creating platform folders. Open while
 * no admin exists; afterwards the caller needs the scope, else 403 `Forbidden` (even anonymous, as RomM answers).
 */
export class SetupService {
  constructor(private readonly deps: SetupDeps) {}

  async libraryInfo(hasScope: boolean): Promise<SetupLibraryInfo> {
    await this.gate(hasScope);
    const { libraryPath } = this.deps;
    const { romsFolder, exclusions } = await this.deps.settings();
    const structure = await detectStructure(libraryPath, { romsFolder });
    const detected = structure === 'A' ? 'struct_a' : structure === 'B' ? 'struct_b' : null;
    const dbPlatforms = await this.deps.platforms();
    const supported = await this.deps.supported();
    // The per-folder counts are a first-run hint: once the database holds ROMs, RomM skips the walk.
    if (structure === null || dbPlatforms.some((p) => p.rom_count > 0)) {
      return { detected_structure: detected, existing_platforms: [], supported_platforms: supported };
    }
    const layout = await detectLayout(libraryPath, buildExclusions(exclusions), { romsFolder });
    const existing = await Promise.all(layout.platforms.map(async (p) => {
      const names = await readdir(p.absPath).catch(() => [] as string[]);
      return { fs_slug: p.fsSlug, rom_count: names.filter((n) => !n.startsWith('.') && !NOT_ROMS.has(n)).length };
    }));
    return { detected_structure: detected, existing_platforms: existing, supported_platforms: supported };
  }

  /** Creates `roms/<slug>` (structure A, also when no structure exists yet) or `<slug>/roms` (structure B). */
  async createPlatforms(hasScope: boolean, fsSlugs: readonly string[]) {
    await this.gate(hasScope);
    if (fsSlugs.length === 0) return { success: true, created_count: 0, message: 'No platforms selected' };
    // Every name is checked before any folder is made: one bad name creates nothing.
    for (const slug of fsSlugs) checkFolderName(slug);
    const { romsFolder } = await this.deps.settings();
    let created = 0;
    for (const slug of new Set(fsSlugs)) {
      if (await createPlatformFolder(this.deps.libraryPath, slug, { romsFolder })) created += 1;
    }
    return { success: true, created_count: created, message: `Successfully created ${created} platform folder(s)` };
  }

  private async gate(hasScope: boolean): Promise<void> {
    if (!hasScope && !(await this.deps.setupRequired())) throw forbidden('Forbidden');
  }
}
