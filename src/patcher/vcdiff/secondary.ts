import { decodeDjw } from '../codecs/djw.ts';
import { FgkDecoder } from '../codecs/fgk.ts';
import { XzSectionStream } from '../codecs/xz-stream.ts';
import { fail } from '../errors.ts';
import { SectionReader } from './code-table.ts';

export const SECONDARY_DJW = 1;
export const SECONDARY_LZMA = 2;
export const SECONDARY_FGK = 16;

export interface SecondaryDecoder {
  readonly name: string;
  decode(input: Uint8Array, outLen: number): Buffer;
  /**
   * Called with a section the encoder left uncompressed. xdelta3's encoder runs the secondary coder on
   * every section of 10+ bytes and drops the result when it does not save enough, but an adaptive model
   * (FGK) has still learned those bytes; replaying them keeps decoder and encoder in step. xdelta3's own
   * decoder does not, and fails on such multi-window FGK patches.
   */
  observe?(plain: Uint8Array): void;
}

/** xdelta3 only tries secondary compression on sections at least this long (SECONDARY_MIN_INPUT). */
export const SECONDARY_MIN_INPUT = 10;

/**
 * One decoder per section kind (data, instructions, addresses), as xdelta3 keeps: FGK and LZMA carry
 * state from one window to the next, DJW does not.
 */
export function createSecondary(id: number, dictCap: number): SecondaryDecoder {
  switch (id) {
    case SECONDARY_DJW:
      return { name: 'DJW', decode: decodeDjw };
    case SECONDARY_FGK: {
      const fgk = new FgkDecoder();
      return { name: 'FGK', decode: (input, n) => fgk.decode(input, n), observe: (plain) => fgk.observe(plain) };
    }
    case SECONDARY_LZMA: {
      const xz = new XzSectionStream(dictCap);
      return { name: 'LZMA', decode: (input, n) => xz.decode(input, n) };
    }
    default:
      return fail(`VCDIFF secondary compressor id ${id} is not supported`, 'unsupported');
  }
}

/**
 * A compressed section starts with its decoded size; the size is checked against the window limit
 * before anything is allocated, which is what stops decompression bombs.
 */
export function decodeSecondarySection(dec: SecondaryDecoder, section: Uint8Array, maxSize: number): Uint8Array {
  const r = new SectionReader(section, `${dec.name} section size`);
  const size = r.varint();
  if (size === 0) fail(`${dec.name} secondary section declares an empty output`);
  if (size > maxSize) fail(`${dec.name} secondary section expands to ${size} bytes, over the limit of ${maxSize}`, 'limit');
  return dec.decode(section.subarray(r.pos), size);
}
