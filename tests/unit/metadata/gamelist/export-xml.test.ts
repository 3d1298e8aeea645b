import { describe, expect, it } from 'vitest';
import { GAMELIST_XML_HEAD, GAMELIST_XML_TAIL, gamelistDate, gamelistGameXml } from '../../../../src/metadata/gamelist/export-xml.ts';
import { cleanText, xmlAttr } from '../../../../src/metadata/xml-escape.ts';
import { readGamelist } from '../../../../src/metadata/gamelist/reader.ts';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { IssueLog, scratch } from './helpers.ts';

describe('gamelist.xml writer', () => {
  it('writes RomM\'s element order and skips empty values', () => {
    const xml = gamelistGameXml({
      path: './a.sfc', name: 'A', desc: '', thumbnail: './assets/covers/a.png', developer: 'D', genre: 'G', rating: '0.50',
      releasedate: '19950311T000000', id: null, cover: './assets/covers/a.png', boxback: './assets/backcovers/a.png',
    }, '20260101T000000');
    expect(xml).toBe([
      '  <game>', '    <path>./a.sfc</path>', '    <name>A</name>', '    <thumbnail>./assets/covers/a.png</thumbnail>',
      '    <developer>D</developer>', '    <genre>G</genre>', '    <releasedate>19950311T000000</releasedate>',
      '    <rating>0.50</rating>', '    <cover>./assets/covers/a.png</cover>', '    <boxback>./assets/backcovers/a.png</boxback>',
      '    <scrap name="RomM" date="20260101T000000" />', '  </game>', '',
    ].join('\n'));
  });

  it('escapes markup and drops characters XML cannot carry, so hostile values read back as text', async () => {
    const nasty = 'A & B <script>alert(1)</script> ]]> "q" \u0000\u0001\u001b\u007f\u0085\ud800 ok \ud83c\udfae\r\nnext';
    const xml = GAMELIST_XML_HEAD + gamelistGameXml({ path: './x.sfc', name: nasty, desc: '</desc></game><game><path>./evil</path>' }, 'd') + GAMELIST_XML_TAIL;
    expect([...xml].filter((c) => c.charCodeAt(0) < 0x20 && c !== '\n').length).toBe(0);
    const file = path.join(await scratch(), 'gamelist.xml');
    await writeFile(file, xml);
    const issues = new IssueLog();
    const entries = await readGamelist(file, issues);
    expect(issues.items).toEqual([]);
    expect(entries.size).toBe(1);
    expect(entries.get('x.sfc')?.text).toEqual({
      name: 'A & B <script>alert(1)</script> ]]> "q"  ok 🎮\nnext', desc: '</desc></game><game><path>./evil</path>',
    });
  });

  it('formats dates in UTC and escapes attributes', () => {
    expect(gamelistDate(Date.UTC(1989, 5, 14, 7, 8, 9))).toBe('19890614T070809');
    expect(gamelistDate(Date.UTC(812, 0, 1))).toBe('08120101T000000');
    expect(xmlAttr('a"b<\n')).toBe('a&quot;b&lt;&#10;');
    expect(cleanText('x\r\ny\rz')).toBe('x\ny\nz');
  });
});
