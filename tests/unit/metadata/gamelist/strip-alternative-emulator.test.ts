import { describe, expect, it } from 'vitest';
import { AlternativeEmulatorStripper } from '../../../../src/metadata/gamelist/strip-alternative-emulator.ts';

const DOC = `<?xml version="1.0"?>
<alternativeEmulator>
  <label>Gambatte</label>
</alternativeEmulator>
<gameList><game><path>a</path><alternativeEmulator label="A & B"/><alternativeEmulators>kept</alternativeEmulators></game></gameList>
<alternativeEmulator><label>x</label></alternativeEmulator>`;
const EXPECTED = `<?xml version="1.0"?>

<gameList><game><path>a</path><alternativeEmulators>kept</alternativeEmulators></game></gameList>
`;

function run(chunks: string[]): string {
  const s = new AlternativeEmulatorStripper();
  return chunks.map((c) => s.push(c)).join('') + s.end();
}

describe('AlternativeEmulatorStripper', () => {
  it('drops paired and self-closing elements, keeps look-alike names', () => {
    expect(run([DOC])).toBe(EXPECTED);
  });

  it('gives the same text whatever the chunk boundaries', () => {
    for (let size = 1; size <= 23; size++) {
      const chunks: string[] = [];
      for (let i = 0; i < DOC.length; i += size) chunks.push(DOC.slice(i, i + size));
      expect(run(chunks)).toBe(EXPECTED);
    }
  });

  it('refuses an element that never ends within a sane size', () => {
    const s = new AlternativeEmulatorStripper();
    s.push('<gameList><alternativeEmulator>');
    expect(() => {
      for (let i = 0; i < 20; i++) s.push('y'.repeat(100_000));
    }).toThrow(/too long/);
  });
});
