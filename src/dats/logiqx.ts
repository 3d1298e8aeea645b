/**
 * Logiqx XML DATs: No-Intro, Redump, TOSEC, custom and translation DATs (`<datafile>`), MAME's `-listxml`
 * (`<mame>`/`<machine>`) and MAME software lists (`<softwarelist>`/`<software>`/`<part>`/`<dataarea>`/`<rom>`).
 * Parsed as a stream with saxes, which never reads external entities; a DTD internal subset (where entity
 * declarations live, and so billion-laughs) is refused outright, and any other entity but the five predefined ones
 * is an error.
 */
import { SaxesParser } from 'saxes';
import {
  DEFAULT_DAT_LIMITS, DatParseError, emptyHeader, hexHash, romSize, romStatus, text,
  type DatEvent, type DatGame, type DatHeader, type DatLimits,
} from './types.ts';

const ROOTS = new Set(['datafile', 'softwarelist', 'softwarelists', 'mame']);
const GAMES = new Set(['game', 'machine', 'software', 'resource']);
const HEADER_FIELDS = new Set(['name', 'description', 'version', 'author', 'homepage', 'url']);
const GAME_FIELDS = new Set(['description', 'category', 'serial']);
/** Characters fed to saxes at a time: the token bound is checked between slices. */
const SLICE = 64 * 1024;

interface GameBuilder {
  game: DatGame;
  depth: number;
  serial: string | null;
  /** Characters held by the game's ROM entries. */
  chars: number;
}

/** Builds events from saxes callbacks; one instance per document. */
class LogiqxBuilder {
  readonly queue: DatEvent[] = [];
  /** Characters fed since saxes last reported anything: a token that never ends is refused before it fills memory. */
  pending = 0;
  private depth = 0;
  private rootSeen = false;
  private header: DatHeader | null = null;
  private headerSent = false;
  private game: GameBuilder | null = null;
  private field: { name: string; depth: number; buf: string } | null = null;

  constructor(private readonly parser: SaxesParser, private readonly limits: DatLimits) {}

  private fail(message: string): never {
    throw new DatParseError(message, this.parser.line);
  }

  private checkValue(value: string, what: string): void {
    if (value.length > this.limits.maxValueChars) this.fail(`${what} is longer than ${this.limits.maxValueChars} characters`);
  }

  doctype(doctype: string): void {
    this.pending = 0;
    if (doctype.includes('[')) this.fail('DTD internal subsets (entity declarations) are not accepted');
  }

  open(tag: { name: string; attributes: Record<string, string> }): void {
    this.pending = 0;
    this.depth++;
    if (this.depth > this.limits.maxDepth) this.fail(`elements nested deeper than ${this.limits.maxDepth}`);
    const attrs = tag.attributes;
    for (const [k, v] of Object.entries(attrs)) this.checkValue(v, `attribute ${k} of <${tag.name}>`);
    if (this.depth === 1) return this.openRoot(tag.name, attrs);
    if (this.game) return this.openInGame(tag.name, attrs);
    if (tag.name === 'header' && this.header === null && !this.headerSent) {
      this.header = emptyHeader();
    } else if (this.header && !this.headerSent) {
      if (tag.name === 'clrmamepro') this.header.skipper = text(attrs.header);
      else if (HEADER_FIELDS.has(tag.name)) this.field = { name: tag.name, depth: this.depth, buf: '' };
    } else if (tag.name === 'softwarelist') {
      this.sendHeader({ ...emptyHeader(), name: attrs.name ?? '', description: text(attrs.description) });
    } else if (GAMES.has(tag.name)) {
      const name = text(attrs.name);
      if (!name) this.fail(`<${tag.name}> without a name`);
      this.game = {
        depth: this.depth,
        serial: null,
        chars: 0,
        game: {
          name, description: null, cloneOf: text(attrs.cloneof), romOf: text(attrs.romof), category: null, roms: [],
        },
      };
    }
  }

  private openRoot(name: string, attrs: Record<string, string>): void {
    this.rootSeen = true;
    if (!ROOTS.has(name)) this.fail(`not a Logiqx DAT: the root element is <${name}>`);
    if (name === 'mame') this.sendHeader({ ...emptyHeader(), name: 'MAME', version: text(attrs.build) });
    if (name === 'softwarelist') {
      this.sendHeader({ ...emptyHeader(), name: attrs.name ?? '', description: text(attrs.description) });
    }
  }

  private openInGame(name: string, attrs: Record<string, string>): void {
    const g = this.game;
    if (!g) return;
    if (name === 'rom' || name === 'disk') {
      // Software lists continue a ROM across several nameless <rom> entries (loadflag="continue"/"ignore").
      const romName = text(attrs.name);
      if (!romName) return;
      if (g.game.roms.length >= this.limits.maxRomsPerGame) this.fail(`game '${g.game.name}' lists more than ${this.limits.maxRomsPerGame} ROMs`);
      g.chars += romName.length + (attrs.serial?.length ?? 0) + 150;
      if (g.chars > this.limits.maxGameChars) this.fail(`game '${g.game.name}' holds more than ${this.limits.maxGameChars} characters of ROM entries`);
      const disk = name === 'disk';
      g.game.roms.push({
        name: romName,
        size: disk ? null : romSize(attrs.size),
        crc: disk ? null : hexHash(attrs.crc, 8),
        md5: hexHash(attrs.md5, 32),
        sha1: hexHash(attrs.sha1, 40),
        sha256: hexHash(attrs.sha256, 64),
        status: romStatus(attrs.status),
        serial: text(attrs.serial),
        disk,
      });
    } else if (this.depth === g.depth + 1 && GAME_FIELDS.has(name)) {
      this.field = { name, depth: this.depth, buf: '' };
    }
  }

  text(t: string): void {
    this.pending = 0;
    const f = this.field;
    if (!f || this.depth !== f.depth) return;
    f.buf += t;
    this.checkValue(f.buf, `<${f.name}>`);
  }

  close(): void {
    this.pending = 0;
    const f = this.field;
    if (f && this.depth === f.depth) {
      this.field = null;
      this.setField(f.name, f.buf);
    }
    if (this.game && this.depth === this.game.depth) {
      const { game, serial } = this.game;
      if (serial) for (const rom of game.roms) rom.serial ??= serial;
      this.game = null;
      this.sendHeader(this.header ?? emptyHeader());
      this.queue.push({ kind: 'game', game });
    } else if (this.header && !this.headerSent && this.depth === 2) {
      this.sendHeader(this.header);
    }
    this.depth--;
  }

  private setField(name: string, value: string): void {
    if (this.game) {
      const g = this.game.game;
      if (name === 'description') g.description = text(value);
      else if (name === 'category') g.category ??= text(value);
      else if (name === 'serial') this.game.serial ??= text(value);
      return;
    }
    const h = this.header;
    if (!h) return;
    if (name === 'name') h.name = value.trim();
    else if (name === 'description') h.description = text(value);
    else if (name === 'version') h.version = text(value);
    else if (name === 'author') h.author = text(value);
    else if (name === 'homepage' || name === 'url') h.homepage ??= text(value);
  }

  private sendHeader(header: DatHeader): void {
    if (this.headerSent) return;
    this.headerSent = true;
    this.header = null;
    this.queue.push({ kind: 'header', header });
  }

  finish(): void {
    if (!this.rootSeen) this.fail('not a Logiqx DAT: no root element');
    this.sendHeader(this.header ?? emptyHeader());
  }
}

/** saxes reports `line:column: message`; DatParseError says `line N: message`. */
function parserError(err: unknown): Error {
  if (err instanceof DatParseError) return err;
  const message = (err as Error).message;
  const m = /^(\d+):\d+: (.*?)\.?$/s.exec(message);
  return m ? new DatParseError(m[2] ?? message, Number(m[1])) : new DatParseError(message);
}

/** Yields the header, then each game as its element closes. Throws DatParseError for anything malformed. */
export async function* parseLogiqx(chunks: AsyncIterable<string>, limits: DatLimits = DEFAULT_DAT_LIMITS): AsyncGenerator<DatEvent> {
  const parser = new SaxesParser({ position: true });
  const b = new LogiqxBuilder(parser, limits);
  parser.on('doctype', (d) => b.doctype(d));
  // Without the xmlns option saxes gives plain string attributes.
  parser.on('opentag', (t) => b.open({ name: t.name, attributes: t.attributes as Record<string, string> }));
  parser.on('text', (t) => b.text(t));
  parser.on('cdata', (t) => b.text(t));
  parser.on('closetag', () => b.close());
  parser.on('processinginstruction', () => { b.pending = 0; });
  parser.on('comment', () => { b.pending = 0; });
  let first = true;
  for await (let chunk of chunks) {
    if (first && chunk.length > 0) {
      first = false;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    for (let i = 0; i < chunk.length; i += SLICE) {
      const slice = chunk.slice(i, i + SLICE);
      try {
        parser.write(slice);
      } catch (err) {
        throw parserError(err);
      }
      b.pending += slice.length;
      if (b.pending > limits.maxTokenChars) {
        throw new DatParseError(`a tag, attribute or text runs on for more than ${limits.maxTokenChars} characters`, parser.line);
      }
      if (b.queue.length) yield* b.queue.splice(0);
    }
  }
  try {
    parser.close();
    b.finish();
  } catch (err) {
    throw parserError(err);
  }
  yield* b.queue.splice(0);
}
