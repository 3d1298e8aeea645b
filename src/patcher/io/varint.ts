import { fail, truncated } from '../errors.ts';
import type { PatchReader } from './patch-reader.ts';

/**
 * The variable-length integer of byuu's UPS and BPS: 7 bits per byte, high bit ends the number, and each
 * continuation adds the next power so encodings are unique. Values beyond 2^53 are rejected.
 */
export async function readBeatVarint(patch: PatchReader, what: string): Promise<number> {
  const avail = await patch.want(10);
  let value = 0;
  let shift = 1;
  for (let i = 0; i < avail; i++) {
    const x = patch.u8();
    value += (x & 0x7f) * shift;
    if (x & 0x80) {
      if (!Number.isSafeInteger(value)) fail(`${what} is out of range`, 'limit');
      return value;
    }
    shift *= 128;
    value += shift;
  }
  if (avail < 10) truncated(what);
  return fail(`${what} is out of range`, 'limit');
}
