import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../../src/dats/detect.ts';
import { DatParseError } from '../../../src/dats/types.ts';
import { collect } from './collect.ts';

const fails = async (text: string, pattern: RegExp, limits = {}) => {
  const err = await collect(text, 64 * 1024, limits).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(DatParseError);
  expect((err as Error).message).toMatch(pattern);
  return err as DatParseError;
};

describe('hostile DATs', () => {
  it('refuses a billion-laughs DTD before expanding anything', async () => {
    const lol = '<?xml version="1.0"?>\n<!DOCTYPE datafile [\n <!ENTITY lol "lol">\n'
      + Array.from({ length: 9 }, (_, i) => ` <!ENTITY lol${i + 1} "${`&lol${i ? i : ''};`.repeat(10)}">`).join('\n')
      + '\n]>\n<datafile><game name="&lol9;"/></datafile>';
    const started = performance.now();
    const err = await fails(lol, /DTD internal subsets/);
    expect(err.line).toBeGreaterThan(1);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('never reads external entities: an undeclared entity is an error', async () => {
    await fails('<?xml version="1.0"?>\n<datafile>\n<game name="&xxe;"/></datafile>', /line 3: undefined entity/);
  });

  it('bounds attribute and text lengths', async () => {
    await fails(`<datafile><game name="${'A'.repeat(70_000)}"/></datafile>`, /attribute name of <game> is longer than 65536/);
    await fails(`<datafile><game name="x"><description>${'d'.repeat(70_000)}</description></game></datafile>`, /<description> is longer/);
    await fails(`game ( name "${'n'.repeat(70_000)}" )`, /line 1: a value is longer than 65536/);
  });

  it('bounds a tag that never ends', async () => {
    await fails(`<datafile><game name="x" ${'a'.repeat(2_000_000)}`, /runs on for more than 1048576 characters/);
  });

  it('bounds nesting and ROMs per game', async () => {
    await fails(`<datafile>${'<x>'.repeat(40)}${'</x>'.repeat(40)}</datafile>`, /nested deeper than 32/);
    await fails(`game ( name x ${'a ( '.repeat(40)}${')'.repeat(40)} )`, /nested deeper than 32/);
    const roms = Array.from({ length: 6 }, (_, i) => `<rom name="r${i}" size="1"/>`).join('');
    await fails(`<datafile><game name="g">${roms}</game></datafile>`, /more than 5 ROMs/, { maxRomsPerGame: 5 });
    const longRoms = Array.from({ length: 20 }, (_, i) => `<rom name="${String(i).repeat(1000)}" size="1"/>`).join('');
    await fails(`<datafile><game name="g">${longRoms}</game></datafile>`, /more than 10000 characters of ROM entries/, { maxGameChars: 10_000 });
    const longText = Array.from({ length: 20 }, (_, i) => `rom ( name "${String(i).repeat(1000)}" size 1 )`).join('\n');
    await fails(`game ( name g\n${longText}\n)`, /line \d+: a block holds more than 10000 characters/, { maxGameChars: 10_000 });
  });

  it('reports garbage with its line number', async () => {
    await fails('<?xml version="1.0"?>\n<datafile>\n<game name="x">\n</datafil>', /^line 4: /);
    await fails('<html><body>hello</body></html>', /not a Logiqx DAT: the root element is <html>/);
    await fails('clrmamepro ( name x )\n\ngame ( name "y"\n', /line 3: 'game' block opened here is never closed/);
    await fails('clrmamepro ( name x )\n)\n', /line 2: unbalanced '\)'/);
    await fails('game ( name "open string )', /unterminated quoted string/);
    await fails('game ( name x \0 )', /NUL byte/);
  });

  it('refuses what is not a DAT, saying what it is', () => {
    expect(() => detectFormat('')).toThrow(/empty/);
    expect(() => detectFormat('[CREDITS]\nauthor=x')).toThrow(/RomCenter DATs are not supported/);
    expect(() => detectFormat('PK\u0003\u0004garbage')).toThrow(/not a DAT/);
    expect(detectFormat('\uFEFF\n  <?xml')).toBe('logiqx');
    expect(detectFormat('clrmamepro (')).toBe('clrmamepro');
  });

  it('parses a large DAT in bounded time', async () => {
    const game = '<game name="G"><description>G</description><rom name="g.bin" size="1" crc="00000000"/></game>\n';
    const text = `<datafile><header><name>Big</name></header>\n${game.repeat(50_000)}</datafile>`;
    const started = performance.now();
    const { games } = await collect(text);
    expect(games).toHaveLength(50_000);
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});
