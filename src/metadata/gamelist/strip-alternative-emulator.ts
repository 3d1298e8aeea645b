/**
 * ES-DE writes `<alternativeEmulator>` beside `<gameList>` (a second root, so the file is not well-formed XML) and
 * older versions wrote it inside entries with unescaped labels (`label="RetroArch & Standalone"`). RomM strips the
 * element, self-closing or paired, before parsing; this does the same on a stream of text, holding back at most the
 * element being dropped (bounded) and a possible partial start tag.
 */
const OPEN = '<alternativeEmulator';
const CLOSE = '</alternativeEmulator>';
/** An alternativeEmulator element longer than this is not what ES-DE writes. */
const MAX_ELEMENT_CHARS = 1 << 20;

export class AlternativeEmulatorStripper {
  private held = '';
  private dropping = false;

  /** Text to hand to the XML parser; throws when a dropped element grows past any sensible size. */
  push(chunk: string): string {
    this.held += chunk;
    let out = '';
    for (;;) {
      if (this.dropping) {
        const end = this.endOfElement();
        if (end < 0) {
          if (this.held.length > MAX_ELEMENT_CHARS) throw new Error('alternativeEmulator element too long');
          return out;
        }
        this.held = this.held.slice(end);
        this.dropping = false;
      }
      const start = findOpen(this.held);
      if (start < 0) {
        const keep = partialOpenAt(this.held);
        out += this.held.slice(0, keep);
        this.held = this.held.slice(keep);
        return out;
      }
      out += this.held.slice(0, start);
      this.held = this.held.slice(start);
      this.dropping = true;
    }
  }

  /** The rest at end of input: an unterminated element is dropped (the parser then sees what remains). */
  end(): string {
    const rest = this.dropping ? '' : this.held;
    this.held = '';
    return rest;
  }

  /** Index just past the element starting at 0, or -1 while it is incomplete. */
  private endOfElement(): number {
    const gt = this.held.indexOf('>');
    if (gt < 0) return -1;
    if (this.held[gt - 1] === '/') return gt + 1;
    const close = this.held.indexOf(CLOSE, gt);
    return close < 0 ? -1 : close + CLOSE.length;
  }
}

/** Start of `<alternativeEmulator` followed by whitespace, `>` or `/`; -1 when absent (or not yet decidable). */
function findOpen(text: string): number {
  let from = 0;
  for (;;) {
    const i = text.indexOf(OPEN, from);
    if (i < 0) return -1;
    const next = text[i + OPEN.length];
    if (next === undefined) return -1;
    if (next === '>' || next === '/' || /\s/.test(next)) return i;
    from = i + 1;
  }
}

/** Where a possible start of `<alternativeEmulator` begins at the end of `text` (text.length when none). */
function partialOpenAt(text: string): number {
  const from = Math.max(0, text.length - OPEN.length);
  for (let i = from; i < text.length; i++) {
    if (text[i] === '<' && OPEN.startsWith(text.slice(i))) return i;
  }
  return text.length;
}
