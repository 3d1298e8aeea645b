import { createWriteStream } from 'node:fs';
import { symlink, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readGamelist } from '../../../../src/metadata/gamelist/reader.ts';
import { IssueLog, platformWith, scratch } from './helpers.ts';

async function parse(xml: string) {
  const dir = await scratch();
  const file = path.join(dir, 'gamelist.xml');
  await writeFile(file, xml);
  const issues = new IssueLog();
  return { entries: await readGamelist(file, issues), issues };
}

describe('readGamelist: ES-DE', () => {
  it('parses games and folders past the <alternativeEmulator> sibling root', async () => {
    const dir = await platformWith('esde');
    const issues = new IssueLog();
    const entries = await readGamelist(path.join(dir, 'gamelist.xml'), issues);
    expect(issues.items).toEqual([]);
    expect(entries.size).toBe(3);
    const tetris = entries.get('Tetris (World) (Rev 1).zip');
    expect(tetris).toEqual({
      kind: 'game',
      path: 'Tetris (World) (Rev 1).zip',
      fileName: 'Tetris (World) (Rev 1).zip',
      text: {
        name: 'Tetris', sortname: 'Tetris 1989', desc: 'Tetris is a puzzle video game.\nFit the falling blocks & clear lines.',
        rating: '0.8', releasedate: '19890614T000000', developer: 'Bullet-Proof Software', publisher: 'Nintendo',
        genre: 'Puzzle', players: '1-2',
      },
      media: {},
    });
    expect(entries.get('Super Mario Land (World).zip')?.text.desc).toBe("Mario's first <handheld> adventure.");
    expect(entries.get('Homebrew')).toMatchObject({ kind: 'folder', text: { name: 'Homebrew collection' } });
  });

  it('accepts the sibling after </gameList>, self-closing, and inside an entry with an unescaped label', async () => {
    const { entries, issues } = await parse(`<?xml version="1.0"?>
<gameList>
  <game><path>./Tetris.gb</path><name>Tetris</name>
    <alternativeEmulator label="RetroArch & Standalone">duckstation</alternativeEmulator></game>
  <game><path>./Zelda.gb</path><name>Zelda</name><alternativeEmulator label="x"/></game>
</gameList>
<alternativeEmulator>
    <label>Gambatte</label>
</alternativeEmulator>
`);
    expect(issues.items).toEqual([]);
    expect([...entries.values()].map((e) => e.text.name)).toEqual(['Tetris', 'Zelda']);
  });

  it('keeps only direct <game>/<folder> children of the root', async () => {
    const { entries } = await parse(`<gameList><provider><System>gb</System><game><path>x.gb</path></game></provider>
      <game><path>./Tetris.gb</path></game><folder><path>./Sub/</path></folder></gameList>`);
    expect([...entries.values()].map((e) => [e.kind, e.fileName])).toEqual([['game', 'Tetris.gb'], ['folder', 'Sub']]);
  });

  it('reads paths without ./, in subfolders and with Windows separators', async () => {
    const { entries } = await parse(`<gameList>
      <game><path>plain.zip</path></game>
      <game><path>./sub/dir/deep.zip</path></game>
      <game><path>.\\win\\game.zip</path></game>
      <game><path>./a/../b.zip</path></game></gameList>`);
    expect([...entries.values()].map((e) => e.path)).toEqual(['plain.zip', 'sub/dir/deep.zip', 'win/game.zip', 'b.zip']);
  });
});

describe('readGamelist: Batocera', () => {
  it('reads media elements, md5, lang, region, family; drops entries and media that leave the folder', async () => {
    const dir = await platformWith('batocera');
    const issues = new IssueLog();
    const entries = await readGamelist(path.join(dir, 'gamelist.xml'), issues);
    expect([...entries.values()].map((e) => e.fileName)).toEqual(['Chrono Trigger (USA).sfc', 'F-Zero (USA).sfc']);
    const ct = entries.get('Chrono Trigger (USA).sfc');
    expect(ct?.media).toEqual({
      image: 'images/Chrono Trigger (USA)-image.png',
      thumbnail: 'images/Chrono Trigger (USA)-thumb.png',
      marquee: 'images/Chrono Trigger (USA)-marquee.png',
      video: 'videos/Chrono Trigger (USA)-video.mp4',
      manual: 'manuals/Chrono Trigger (USA)-manual.pdf',
      fanart: 'images/Chrono Trigger (USA)-fanart.jpg',
      title_screen: 'images/Chrono Trigger (USA)-titleshot.png',
      box2d_back: 'images/Chrono Trigger (USA)-boxback.png',
      physical: 'images/Chrono Trigger (USA)-cartridge.png',
    });
    expect(ct?.text).toMatchObject({ md5: 'a2bc447961e52fd2227baed164f729dc', lang: 'en', region: 'us', family: 'Chrono' });
    expect(entries.get('F-Zero (USA).sfc')?.media).toEqual({});
    // Two entries and three media paths left the folder.
    expect(issues.kinds()).toEqual(Array(5).fill('path-outside-root'));
    expect(issues.items.map((i) => i.message).join('\n')).toMatch(/etc\/passwd[\s\S]*\/etc\/hostname[\s\S]*~\/secret\.png/);
  });

  it('prefers RomM\'s own tag over an alias for the same media, whatever the order', async () => {
    const { entries } = await parse(`<gameList><game><path>g.zip</path>
      <titleshot>a.png</titleshot><title_screen>b.png</title_screen><boxback>c.png</boxback><backcover>d.png</backcover>
      <image>e.png</image><image>f.png</image></game></gameList>`);
    expect(entries.get('g.zip')?.media).toEqual({ title_screen: 'b.png', box2d_back: 'd.png', image: 'e.png' });
  });
});

describe('readGamelist: bad input', () => {
  const malformed: [string, string][] = [
    ['truncated after valid entries', '<gameList><game><path>./a.gb</path><name>A</name></game><game><path>./b.gb</path><name>Trun'],
    ['not XML at all', 'PK\u0003\u0004 binary junk'],
    ['wrong root', '<games><game><path>./a.gb</path></game></games>'],
    ['undefined entity', '<gameList><game><path>./a.gb</path><name>A&nbsp;B</name></game></gameList>'],
    ['internal entity expansion (billion laughs)', `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
      <gameList><game><path>./a.gb</path><name>&lol2;</name></game></gameList>`],
    ['external entity', `<?xml version="1.0"?><!DOCTYPE g [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
      <gameList><game><path>./a.gb</path><desc>&xxe;</desc></game></gameList>`],
    ['two gameList roots', '<gameList><game><path>./a.gb</path></game></gameList><gameList/>'],
    ['empty file', ''],
  ];
  for (const [what, xml] of malformed) {
    it(`${what}: no entries, one source-malformed issue`, async () => {
      const { entries, issues } = await parse(xml);
      expect(entries.size).toBe(0);
      expect(issues.kinds()).toEqual(['source-malformed']);
    });
  }

  it('a malformed file reports no path issues for the part read before the damage', async () => {
    const { issues } = await parse('<gameList><game><path>../../etc/passwd</path></game><game>');
    expect(issues.kinds()).toEqual(['source-malformed']);
  });

  it('a missing file is no entries and no issue; a directory is unreadable', async () => {
    const dir = await scratch();
    const issues = new IssueLog();
    expect((await readGamelist(path.join(dir, 'gamelist.xml'), issues)).size).toBe(0);
    expect(issues.items).toEqual([]);
    expect((await readGamelist(dir, issues)).size).toBe(0);
    expect(issues.kinds()).toEqual(['source-unreadable']);
  });

  it('NUL and drive-letter paths are outside; URLs are skipped silently', async () => {
    const { entries, issues } = await parse(`<gameList>
      <game><path>./a&#0;.gb</path></game></gameList>`);
    // A character reference to NUL is not well-formed XML.
    expect(entries.size).toBe(0);
    expect(issues.kinds()).toEqual(['source-malformed']);
    const second = await parse(`<gameList><game><path>C:\\roms\\a.gb</path></game>
      <game><path>http://host/api/roms/1/content/a.gb</path></game><game><path>~</path></game></gameList>`);
    expect(second.entries.size).toBe(0);
    expect(second.issues.kinds()).toEqual(['path-outside-root', 'path-outside-root']);
  });

  it('bounds a giant element instead of holding it', async () => {
    const huge = 'x'.repeat(3 * 1024 * 1024);
    const { entries } = await parse(`<gameList><game><path>./a.gb</path><desc>${huge}</desc><name>${huge}</name></game></gameList>`);
    expect(entries.get('a.gb')?.text.desc?.length).toBe(64 * 1024);
    expect(entries.get('a.gb')?.text.name?.length).toBe(4 * 1024);
  });

  it('a gamelist.xml that is a symlink to another file is still just read as XML', async () => {
    const dir = await scratch();
    await writeFile(path.join(dir, 'real.xml'), '<gameList><game><path>a.gb</path></game></gameList>');
    await symlink(path.join(dir, 'real.xml'), path.join(dir, 'gamelist.xml'));
    expect((await readGamelist(path.join(dir, 'gamelist.xml'), new IssueLog())).size).toBe(1);
  });
});

describe('readGamelist: names in any script', () => {
  it('matches Japanese, Cyrillic and emoji names, and NFD file names against NFC entries', async () => {
    const dir = await platformWith('unicode');
    const entries = await readGamelist(path.join(dir, 'gamelist.xml'), new IssueLog());
    expect(entries.get('ドラゴンクエスト (Japan).sfc')?.text).toMatchObject({ name: 'ドラゴンクエストI・II', developer: 'チュンソフト' });
    expect(entries.get('Тетрис (Russia).zip')?.text.genre).toBe('Головоломка');
    expect(entries.get('🎮 Party Pack 🎉.zip')?.text.name).toBe('🎮 Party Pack 🎉');
    const nfd = 'Pokémon Red (USA).gb'.normalize('NFD');
    expect(nfd).not.toBe('Pokémon Red (USA).gb');
    expect(entries.get(nfd)?.text.name).toBe('Pokémon Red');
  });

  it('survives multi-byte characters split across read chunks', async () => {
    const name = 'ドラゴン'.repeat(30000);
    const { entries } = await parse(`<gameList><game><path>./z.gb</path><desc>${name}</desc></game></gameList>`);
    expect(entries.get('z.gb')?.text.desc?.startsWith('ドラゴンドラゴン')).toBe(true);
    expect(entries.get('z.gb')?.text.desc).not.toMatch(/\uFFFD/);
  });
});

describe('readGamelist: size', () => {
  it('streams a 100k-entry gamelist', async () => {
    const file = path.join(await scratch(), 'gamelist.xml');
    const out = createWriteStream(file);
    out.write('<?xml version="1.0"?>\n<gameList>\n');
    for (let i = 0; i < 100_000; i++) {
      const line = `<game><path>./Game ${i} (USA).zip</path><name>Game ${i}</name><genre>Action</genre></game>\n`;
      if (!out.write(line)) await once(out, 'drain');
    }
    out.end('</gameList>\n');
    await once(out, 'finish');
    const entries = await readGamelist(file, new IssueLog());
    expect(entries.size).toBe(100_000);
    expect(entries.get('Game 99999 (USA).zip')?.text.name).toBe('Game 99999');
  }, 30_000);
});
