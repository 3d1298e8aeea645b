/** What every patch format module implements; chosen from the table in registry.ts by magic bytes. */
export interface PatchFormat {
  /** Stable identifier (`ips`, `bps`, `vcdiff`, …). */
  readonly id: PatchFormatId;
  /** Human name, e.g. `BPS` or `VCDIFF (xdelta3)`. */
  readonly name: string;
  /** True when the first bytes of the patch belong to this format. `head` holds up to 16 bytes. */
  detect(head: Buffer): boolean;
  apply(input: PatchInput): Promise<PatchResult>;
}

export type PatchFormatId = 'ips' | 'ups' | 'bps' | 'ppf' | 'aps-n64' | 'aps-gba' | 'rup' | 'pmsr' | 'bsdiff' | 'vcdiff';

export interface PatchLimits {
  /** Largest output the patch may produce, in bytes. */
  maxTargetSize: number;
  /** Largest VCDIFF target window or secondary-compressed section held in memory, in bytes. */
  maxWindowSize: number;
}

export interface PatchInput {
  /** The ROM to patch; read through a file handle, never loaded whole. */
  sourcePath: string;
  /** The patch file. */
  patchPath: string;
  /** Where the result goes; created or truncated. The caller streams and deletes it. */
  targetPath: string;
  limits: PatchLimits;
  /** Aborts a long apply (the route's timeout); checked between records and windows. */
  signal?: AbortSignal;
}

export interface PatchResult {
  format: PatchFormatId;
  /** Human format name (with the variant, e.g. `PPF 3.0`). */
  formatName: string;
  /**
   * False only when the patch embeds a checksum of the source (BPS/UPS CRC32, PPF block check, RUP MD5,
   * APS cartridge id) and the ROM does not match it. The patch is applied regardless.
   */
  validated: boolean;
  /** Size of the written target in bytes. */
  outputSize: number;
}

export const DEFAULT_LIMITS: PatchLimits = {
  maxTargetSize: 8 * 1024 ** 3,
  maxWindowSize: 64 * 1024 ** 2,
};
