import { describe, expect, it } from 'vitest';
import { parseTags } from '../../../src/library/tags.ts';

describe('parseTags (RomM tables and precedence)', () => {
  it.each([
    ['Zelda (USA) (Rev 1) [En,Fr] [Test].n64', { regions: ['USA'], languages: ['English', 'French'], revision: '1', version: '', tags: ['Test'] }],
    ['Sonic (USA, Europe).md', { regions: ['USA', 'Europe'], languages: [], revision: '', version: '', tags: [] }],
    ['Game (J).gb', { regions: ['Japan'] }],
    ['Game (NL).gb', { regions: ['Netherlands'], languages: [] }],
    ['Game (Nl).gb', { regions: [], languages: ['Dutch'] }],
    ['Game (nl).gb', { regions: ['Netherlands'], languages: [] }],
    ['Game (NO) (No).gb', { regions: ['Norway'], languages: ['Norwegian'] }],
    ['Game (usa) (japan).gb', { regions: ['USA', 'Japan'] }],
    ['Game (english) (De).gb', { languages: ['English', 'German'] }],
    ['Game (v1.2).gb', { version: '1.2' }],
    ['Game (Version 3).gb', { version: '3' }],
    ['Game (ver-0.9b).gb', { version: '0.9b' }],
    ['Game (Rev A).gb', { revision: 'A' }],
    ['Game (Rev 1) (Rev 2).gb', { revision: '2' }],
    ['Game (Reg-PAL).gb', { regions: ['PAL'] }],
    ['Game (Reg J).gb', { regions: ['Japan'] }],
    ['Game [!] (Proto) (Beta) [T-En] (Part 1).gb', { tags: ['!', 'Proto', 'Beta', 'T-En', 'Part 1'] }],
    ['Game (nolang).gb', { languages: ['No Language'] }],
    ['Game (UNL) (PD).gb', { regions: ['Unlicensed', 'Public Domain'] }],
    ['Game (USA) (USA).gb', { regions: ['USA'] }],
    ['No tags at all.gb', { regions: [], languages: [], tags: [], version: '', revision: '' }],
  ])('%s', (name, expected) => {
    expect(parseTags(name)).toMatchObject(expected);
  });
});
