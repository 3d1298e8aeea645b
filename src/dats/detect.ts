/**
 * Picks the parser of a DAT from its first characters: `<` is Logiqx XML, a word followed by `(` is clrmamepro text.
 * RomCenter's INI-style DATs and anything else are refused with a message saying what was found.
 */
import { parseClrmamepro } from './clrmamepro.ts';
import { parseLogiqx } from './logiqx.ts';
import { DEFAULT_DAT_LIMITS, DatParseError, type DatEvent, type DatFormat, type DatLimits } from './types.ts';

/** The format of a DAT starting with `head` (a few hundred characters are plenty). */
export function detectFormat(head: string): DatFormat {
  const s = head.replace(/^\uFEFF/, '').trimStart();
  if (s.startsWith('<')) return 'logiqx';
  if (/^[A-Za-z_][\w-]*\s*\(/.test(s)) return 'clrmamepro';
  if (/^\[(CREDITS|DAT|EMULATOR|GAMES)\]/i.test(s)) throw new DatParseError('RomCenter DATs are not supported; use the Logiqx XML or clrmamepro version', 1);
  if (s.length === 0) throw new DatParseError('the file is empty', 1);
  throw new DatParseError('not a DAT: expected Logiqx XML or a clrmamepro text DAT', 1);
}

export const PARSERS: Readonly<Record<DatFormat, (chunks: AsyncIterable<string>, limits?: DatLimits) => AsyncGenerator<DatEvent>>> = {
  logiqx: parseLogiqx,
  clrmamepro: parseClrmamepro,
};

/** Detects the format from the first chunk(s) and parses the whole text. */
export async function parseDat(chunks: AsyncIterable<string>, limits: DatLimits = DEFAULT_DAT_LIMITS): Promise<{ format: DatFormat; events: AsyncGenerator<DatEvent> }> {
  const it = chunks[Symbol.asyncIterator]();
  const head: string[] = [];
  let headChars = 0;
  let done = false;
  // Enough text to see past a BOM and leading blank lines.
  while (headChars < 256) {
    const next = await it.next();
    if (next.done) {
      done = true;
      break;
    }
    head.push(next.value);
    headChars += next.value.length;
  }
  const format = detectFormat(head.join('').slice(0, 4096));
  async function* all(): AsyncGenerator<string> {
    yield* head;
    if (done) return;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { format, events: PARSERS[format](all(), limits) };
}

/** A whole DAT held in a string (tests, small uploads). */
export async function* chunksOf(textValue: string, size = 64 * 1024): AsyncGenerator<string> {
  for (let i = 0; i < textValue.length; i += size) yield textValue.slice(i, i + size);
}
