import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { FirmwarePlatform, FirmwareRepository, NewFirmware } from '../../db/repositories/firmware-repository.ts';
import type { Exclusions } from '../../library/exclusions.ts';
import { fsNameFields } from '../../library/fs-names.ts';
import { detectStructure, firmwareRelPath, type LibraryStructure } from '../../library/layout.ts';
import { hashRawFile } from '../hash/multi-hasher.ts';
import type { ScanIssues } from '../issues.ts';
import type { ScanType } from '../types.ts';
import { listFirmwareFiles } from '../walk.ts';
import type { KnownBios } from './known-bios.ts';

export interface FirmwareScanDeps {
  repo: FirmwareRepository;
  libraryPath: string;
  romsFolder: string;
  firmwareFolder: string;
  exclusions: Exclusions;
  knownBios: KnownBios;
  issues: ScanIssues;
}

/** One platform's firmware pass: files found, and how many of them had no row before. */
export interface FirmwarePlatformResult {
  scanned: number;
  created: number;
}

/** The columns a firmware file's name, folder, size and hashes give it (RomM's `scan_firmware`). */
export function firmwareRow(
  platform: FirmwarePlatform, filePath: string, fileName: string,
  facts: { size: number; crc: string; md5: string; sha1: string }, isVerified: boolean, now: number,
): NewFirmware {
  const names = fsNameFields(fileName);
  return {
    platform_id: platform.id, file_name: fileName, file_name_no_tags: names.fs_name_no_tags,
    file_name_no_ext: names.fs_name_no_ext, file_extension: names.fs_extension, file_path: filePath,
    file_size_bytes: facts.size, crc_hash: facts.crc, md5_hash: facts.md5, sha1_hash: facts.sha1,
    is_verified: isVerified ? 1 : 0, missing_from_fs: 0, created_at: now, updated_at: now,
  };
}

/**
 * The firmware part of a library scan (spec §3.2), per platform: lists `bios/<fs_slug>` (or `<fs_slug>/bios`),
 * re-hashes only what the skip rule does not cover, verifies against the known-BIOS lists, and flags rows whose file
 * is gone. `prepare()` runs once per scan: it detects the library structure and reloads changed lists.
 */
export class FirmwareScanner {
  private structure: LibraryStructure | null = null;

  constructor(private readonly deps: FirmwareScanDeps) {}

  async prepare(): Promise<void> {
    this.structure = await detectStructure(this.deps.libraryPath, { romsFolder: this.deps.romsFolder });
    await this.deps.knownBios.refresh();
  }

  folderOf(fsSlug: string): string {
    return firmwareRelPath(this.structure, fsSlug, this.deps.firmwareFolder);
  }

  async scanPlatform(platform: FirmwarePlatform, type: ScanType, aborted: () => boolean = () => false): Promise<FirmwarePlatformResult> {
    const { repo, libraryPath, exclusions, issues } = this.deps;
    const folder = this.folderOf(platform.fs_slug);
    const absDir = path.join(libraryPath, folder);
    const names = await listFirmwareFiles(absDir, exclusions, issues);
    const deep = type === 'complete' || type === 'hashes';
    let created = 0;
    for (const name of names) {
      if (aborted()) break;
      const abs = path.join(absDir, name);
      try {
        const row = await repo.findByName(platform.id, name);
        if (row && row.md5_hash && !deep && row.file_path === folder && (await stat(abs)).size === row.file_size_bytes) {
          // Written only when the flag flips, so `updated_at` stays a usable change signal.
          if (row.missing_from_fs) await repo.update(row.id, { missing_from_fs: 0, updated_at: Date.now() });
          continue;
        }
        const facts = await hashRawFile(abs);
        const verified = this.deps.knownBios.verify(platform.slug, name, facts);
        const saved = await repo.save(firmwareRow(platform, folder, name, facts, verified, Date.now()));
        if (saved.created) created++;
      } catch (err) {
        issues.add('hash-failed', abs, err);
      }
    }
    if (!aborted()) await repo.markMissing(platform.id, new Set(names), Date.now());
    return { scanned: names.length, created };
  }
}
