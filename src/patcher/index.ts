export { applyPatch, detectPatchFormat, PATCH_FORMATS, SUPPORTED_PATCH_EXTENSIONS } from './registry.ts';
export type { ApplyPatchOptions } from './registry.ts';
export { PatchError } from './errors.ts';
export type { PatchErrorCode } from './errors.ts';
export { DEFAULT_LIMITS } from './types.ts';
export type { PatchFormat, PatchFormatId, PatchInput, PatchLimits, PatchResult } from './types.ts';
