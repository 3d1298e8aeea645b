/**
 * clrmamepro text DATs: `clrmamepro ( name "..." version ... header "No-Intro_NES.xml" )` then `game ( ... )`,
 * `machine ( ... )` and `resource ( ... )` blocks holding `rom ( name "x y.bin" size n crc x md5 x sha1 x )` and
 * `disk ( ... )` entries. Tokenized as a stream (words, quoted strings, parentheses) with a line counter, so a
 * malformed file is reported where it breaks and memory holds one game.
 */
import {
  DEFAULT_DAT_LIMITS, DatParseError, emptyHeader, hexHash, romSize, romStatus, text,
  type DatEvent, type DatGame, type DatHeader, type DatLimits, type DatRom,
} from './types.ts';

type Token = { kind: 'open'; line: number } | { kind: 'close'; line: number } | { kind: 'word'; value: string; line: number };

/** Distinct keys one block may hold (real blocks hold about ten). */
const MAX_KEYS = 1000;

const GAME_BLOCKS = new Set(['game', 'machine', 'resource']);
const HEADER_BLOCKS = new Set(['clrmamepro', 'header']);

/** Splits text into tokens across chunk boundaries. */
class Tokenizer {
  line = 1;
  private buf = '';
  private state: 'space' | 'word' | 'quoted' = 'space';
  private escaped = false;
  readonly out: Token[] = [];

  constructor(private readonly limits: DatLimits) {}

  write(chunk: string): void {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i] as string;
      if (this.state === 'quoted') {
        if (this.escaped) {
          this.escaped = false;
          this.push(c);
        } else if (c === '\\') {
          this.escaped = true;
        } else if (c === '"') {
          this.out.push({ kind: 'word', value: this.buf, line: this.line });
          this.buf = '';
          this.state = 'space';
        } else {
          if (c === '\n') this.line++;
          this.push(c);
        }
        continue;
      }
      if (c === '(' || c === ')' || c === '"' || c === ' ' || c === '\t' || c === '\n' || c === '\r') {
        this.endWord();
        if (c === '\n') this.line++;
        else if (c === '(') this.out.push({ kind: 'open', line: this.line });
        else if (c === ')') this.out.push({ kind: 'close', line: this.line });
        else if (c === '"') this.state = 'quoted';
      } else {
        if (c === '\0') throw new DatParseError('binary data (NUL byte) in a text DAT', this.line);
        this.state = 'word';
        this.push(c);
      }
    }
  }

  private push(c: string): void {
    this.buf += c;
    if (this.buf.length > this.limits.maxValueChars) {
      throw new DatParseError(`a value is longer than ${this.limits.maxValueChars} characters`, this.line);
    }
  }

  private endWord(): void {
    if (this.state !== 'word') return;
    this.out.push({ kind: 'word', value: this.buf, line: this.line });
    this.buf = '';
    this.state = 'space';
  }

  end(): void {
    if (this.state === 'quoted') throw new DatParseError('unterminated quoted string', this.line);
    this.endWord();
  }
}

/** A block being read: its key/value pairs (first value of a key wins) and nested blocks. */
interface Block {
  name: string;
  line: number;
  values: Map<string, string>;
  /** The key read, awaiting its value. */
  key: string | null;
}

/** Assembles tokens into blocks; top-level game blocks become events. */
class BlockReader {
  readonly queue: DatEvent[] = [];
  private stack: Block[] = [];
  private topKey: string | null = null;
  private headerSent = false;
  private game: DatGame | null = null;
  private gameChars = 0;
  private blocksSeen = 0;
  private line = 1;

  constructor(private readonly tok: Tokenizer, private readonly limits: DatLimits) {}

  get endLine(): number {
    return this.tok.line;
  }

  private fail(message: string): never {
    throw new DatParseError(message, this.line);
  }

  feed(t: Token): void {
    this.line = t.line;
    const top = this.stack[this.stack.length - 1];
    if (!top) return this.feedTop(t);
    if (t.kind === 'close') {
      // A trailing bare word is a flag (`rom ( ... baddump )`).
      if (top.key !== null) this.set(top, top.key.toLowerCase(), '');
      top.key = null;
      return this.closeBlock();
    }
    if (t.kind === 'open') {
      if (top.key === null) this.fail(`unexpected '(' in '${top.name}'`);
      if (this.stack.length >= this.limits.maxDepth) this.fail(`blocks nested deeper than ${this.limits.maxDepth}`);
      this.stack.push({ name: top.key.toLowerCase(), line: t.line, values: new Map(), key: null });
      top.key = null;
      return;
    }
    if (top.key === null) {
      top.key = t.value;
    } else {
      this.set(top, top.key.toLowerCase(), t.value);
      top.key = null;
    }
  }

  private set(block: Block, key: string, value: string): void {
    if (block.values.has(key)) return;
    if (block.values.size >= MAX_KEYS) this.fail(`'${block.name}' holds more than ${MAX_KEYS} different keys`);
    // Every value kept until the top-level block closes counts against one budget (nested blocks included).
    this.gameChars += key.length + value.length + 100;
    if (this.gameChars > this.limits.maxGameChars) this.fail(`a block holds more than ${this.limits.maxGameChars} characters`);
    block.values.set(key, value);
  }

  private feedTop(t: Token): void {
    if (t.kind === 'word') {
      if (this.topKey !== null) this.fail(`expected '(' after '${this.topKey}'`);
      this.topKey = t.value;
      return;
    }
    if (t.kind === 'close') this.fail(`unbalanced ')'`);
    if (this.topKey === null) this.fail(`'(' without a block name`);
    const name = this.topKey.toLowerCase();
    this.topKey = null;
    this.blocksSeen++;
    this.stack.push({ name, line: t.line, values: new Map(), key: null });
    this.gameChars = 0;
    if (GAME_BLOCKS.has(name)) this.game = { name: '', description: null, cloneOf: null, romOf: null, category: null, roms: [] };
  }

  private closeBlock(): void {
    const block = this.stack.pop() as Block;
    const parent = this.stack[this.stack.length - 1];
    if (parent) {
      if (this.game && this.stack.length === 1 && (block.name === 'rom' || block.name === 'disk')) this.addRom(block);
      return;
    }
    if (HEADER_BLOCKS.has(block.name)) return this.sendHeader(headerOf(block));
    if (!this.game) return;
    const game = this.game;
    this.game = null;
    const v = block.values;
    const name = text(v.get('name'));
    if (!name) throw new DatParseError(`'${block.name}' block without a name`, block.line);
    game.name = name;
    game.description = text(v.get('description'));
    game.cloneOf = text(v.get('cloneof'));
    game.romOf = text(v.get('romof'));
    game.category = text(v.get('category'));
    const serial = text(v.get('serial'));
    if (serial) for (const rom of game.roms) rom.serial ??= serial;
    this.sendHeader(emptyHeader());
    this.queue.push({ kind: 'game', game });
  }

  private addRom(block: Block): void {
    const game = this.game as DatGame;
    const v = block.values;
    const name = text(v.get('name'));
    if (!name) return;
    if (game.roms.length >= this.limits.maxRomsPerGame) this.fail(`a game lists more than ${this.limits.maxRomsPerGame} ROMs`);
    const disk = block.name === 'disk';
    const rom: DatRom = {
      name,
      size: disk ? null : romSize(v.get('size')),
      crc: disk ? null : hexHash(v.get('crc'), 8),
      md5: hexHash(v.get('md5'), 32),
      sha1: hexHash(v.get('sha1'), 40),
      sha256: hexHash(v.get('sha256'), 64),
      status: romStatus(v.get('status') ?? v.get('flags') ?? (v.has('nodump') ? 'nodump' : v.has('baddump') ? 'baddump' : null)),
      serial: text(v.get('serial')),
      disk,
    };
    game.roms.push(rom);
  }

  private sendHeader(header: DatHeader): void {
    if (this.headerSent) return;
    this.headerSent = true;
    this.queue.push({ kind: 'header', header });
  }

  finish(): void {
    this.line = this.endLine;
    if (this.topKey !== null) this.fail(`'${this.topKey}' is not followed by a block`);
    const open = this.stack[0];
    if (open) throw new DatParseError(`'${open.name}' block opened here is never closed`, open.line);
    if (this.blocksSeen === 0) this.fail('not a clrmamepro DAT: no blocks');
    this.sendHeader(emptyHeader());
  }
}

function headerOf(block: Block): DatHeader {
  const v = block.values;
  return {
    name: v.get('name')?.trim() ?? '',
    description: text(v.get('description')),
    version: text(v.get('version')),
    author: text(v.get('author')),
    homepage: text(v.get('homepage') ?? v.get('url')),
    skipper: text(v.get('header')),
  };
}

/** Yields the header, then each game as its block closes. Throws DatParseError for anything malformed. */
export async function* parseClrmamepro(chunks: AsyncIterable<string>, limits: DatLimits = DEFAULT_DAT_LIMITS): AsyncGenerator<DatEvent> {
  const tok = new Tokenizer(limits);
  const reader = new BlockReader(tok, limits);
  let first = true;
  for await (let chunk of chunks) {
    if (first && chunk.length > 0) {
      first = false;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    tok.write(chunk);
    for (const t of tok.out.splice(0)) reader.feed(t);
    if (reader.queue.length) yield* reader.queue.splice(0);
  }
  tok.end();
  for (const t of tok.out.splice(0)) reader.feed(t);
  reader.finish();
  yield* reader.queue.splice(0);
}
