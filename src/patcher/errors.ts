/**
 * A patch that cannot be applied: malformed, truncated, hostile or not matching its own checksums.
 * The message is written for an HTTP 400 `detail`, so it names the problem and never a local path.
 */
export class PatchError extends Error {
  override readonly name = 'PatchError';
  constructor(
    message: string,
    readonly code: PatchErrorCode = 'invalid',
  ) {
    super(message);
  }
}

export type PatchErrorCode =
  | 'invalid' // malformed structure or field out of range
  | 'truncated' // ended before a record or section was complete
  | 'unsupported' // a valid feature this engine does not implement
  | 'limit' // output, window or decompression beyond the configured limits
  | 'checksum' // the source matched but the result did not: corrupt patch
  | 'source'; // the patch reads outside the source ROM

export function fail(message: string, code: PatchErrorCode = 'invalid'): never {
  throw new PatchError(message, code);
}

export function truncated(what: string): never {
  throw new PatchError(`Patch is truncated (${what})`, 'truncated');
}

/** Throws when `signal` has fired; cheap enough to call once per record. */
export function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new PatchError('Patching was cancelled (time limit reached)', 'limit');
}
