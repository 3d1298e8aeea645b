import { open, rm } from 'node:fs/promises';
import { apsGba } from './aps-gba.ts';
import { apsN64 } from './aps-n64.ts';
import { bps } from './bps.ts';
import { bsdiff } from './bsdiff.ts';
import { PatchError } from './errors.ts';
import { ips } from './ips.ts';
import { pmsr } from './pmsr.ts';
import { ppf } from './ppf.ts';
import { rup } from './rup.ts';
import { DEFAULT_LIMITS, type PatchFormat, type PatchLimits, type PatchResult } from './types.ts';
import { ups } from './ups.ts';
import { vcdiff } from './vcdiff/index.ts';

/** Detection table, checked in order: the N64 APS magic ("APS10") must win over the GBA one ("APS1"). */
export const PATCH_FORMATS: readonly PatchFormat[] = [ips, ups, bps, ppf, apsN64, apsGba, rup, pmsr, bsdiff, vcdiff];

/** RomM's accepted patch extensions (the real format always comes from the magic bytes). */
export const SUPPORTED_PATCH_EXTENSIONS: readonly string[] = [
  '.aps',
  '.bdf',
  '.bps',
  '.ips',
  '.pmsr',
  '.ppf',
  '.rup',
  '.ups',
  '.vcdiff',
  '.xdelta',
];

export function detectPatchFormat(head: Buffer): PatchFormat | undefined {
  return PATCH_FORMATS.find((f) => f.detect(head));
}

export interface ApplyPatchOptions {
  sourcePath: string;
  patchPath: string;
  targetPath: string;
  limits?: Partial<PatchLimits>;
  signal?: AbortSignal;
}

/**
 * Detects the patch format from its magic bytes and applies it into `targetPath`. On any failure the
 * partial target is deleted and the error rethrown; `PatchError` means a bad patch (HTTP 400).
 */
export async function applyPatch(options: ApplyPatchOptions): Promise<PatchResult> {
  const head = await readHead(options.patchPath);
  const format = detectPatchFormat(head);
  if (!format) {
    throw new PatchError(
      head.length === 0 ? 'Patch file is empty' : 'Unrecognised patch format (unknown magic bytes)',
      'unsupported',
    );
  }
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  try {
    return await format.apply({ ...options, limits });
  } catch (err) {
    await rm(options.targetPath, { force: true });
    throw err;
  }
}

async function readHead(path: string): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(16);
    const { bytesRead } = await fh.read(buf, 0, 16, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
