import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalMediaFinder } from '../../../../src/metadata/launchbox/local-media.ts';
import { loadLocalPlatformXml, localPlatformXmlPath, windowsBaseName } from '../../../../src/metadata/launchbox/local-platform-xml.ts';
import type { MetadataIssueKind } from '../../../../src/metadata/types.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../../../fixtures/metadata/launchbox/LaunchBox');

const collect = (): { list: MetadataIssueKind[]; add: (k: MetadataIssueKind) => void } => {
  const list: MetadataIssueKind[] = [];
  return { list, add: (k) => list.push(k) };
};

describe('local platform XML', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'romshelf-lb-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('takes the file name of a Windows ApplicationPath', () => {
    expect(windowsBaseName('..\\Games\\SNES\\Super Mario World (USA).sfc')).toBe('Super Mario World (USA).sfc');
    expect(windowsBaseName('D:\\Roms\\x.zip')).toBe('x.zip');
    expect(windowsBaseName('C:x.zip')).toBe('x.zip');
    expect(windowsBaseName('roms/snes/y.sfc')).toBe('y.sfc');
  });

  it('indexes games by application file name, its stems and title', async () => {
    const issues = collect();
    const index = await loadLocalPlatformXml(localPlatformXmlPath(FIXTURE, 'Super Nintendo Entertainment System'), issues);
    expect(issues.list).toEqual([]);
    expect(index?.find('Super Mario World (USA).sfc')?.DatabaseID).toBe('2000');
    expect(index?.find('super mario world (usa).7z')?.DatabaseID).toBe('2000');
    expect(index?.find('Super Mario World (Japan).sfc')?.DatabaseID).toBe('2000');
    expect(index?.find('Chrono Trigger (USA).sfc')?.Title).toBe('Chrono Trigger');
    expect(index?.find('Chrono Trigger (USA).zip')?.ApplicationPath).toBe('D:\\Roms\\SNES\\Chrono Trigger (USA).zip');
    // An AdditionalApplication is not a game.
    expect(index?.find('Play Super Mario World (Europe)...')).toBeNull();
    expect(index?.find('Unknown.sfc')).toBeNull();
    expect(index?.find('  ')).toBeNull();
  });

  it('reports a malformed file and an absent one gives nothing', async () => {
    const bad = path.join(dir, 'bad.xml');
    await writeFile(bad, '<LaunchBox><Game><Title>x</Title></Game><Game>');
    const issues = collect();
    expect(await loadLocalPlatformXml(bad, issues)).toBeNull();
    expect(issues.list).toEqual(['source-malformed']);
    const none = collect();
    expect(await loadLocalPlatformXml(path.join(dir, 'none.xml'), none)).toBeNull();
    expect(none.list).toEqual([]);
    const entity = path.join(dir, 'entity.xml');
    await writeFile(entity, '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><LaunchBox><Game><Title>&e;</Title></Game></LaunchBox>');
    const ent = collect();
    expect(await loadLocalPlatformXml(entity, ent)).toBeNull();
    expect(ent.list).toEqual(['source-malformed']);
  });

  it('never looks outside the LaunchBox folder for media', async () => {
    const root = path.join(dir, 'lb');
    const outside = path.join(dir, 'outside');
    await mkdir(path.join(outside, 'Box - Front'), { recursive: true });
    await writeFile(path.join(outside, 'Box - Front', 'Game.png'), 'x');
    await mkdir(path.join(root, 'Images', 'Nintendo 64', 'Box - Front'), { recursive: true });
    // A region hint or title shaped like a path stays a name.
    const finder = new LocalMediaFinder(root, 'Nintendo 64');
    const m = await finder.find({ fsName: 'Game.z64', title: '../../../outside/Box - Front/Game', regionHint: '../../../outside' });
    expect(m).toEqual({ cover: null, screenshots: [], manual: null, video: null, images: [] });
    const escaping = new LocalMediaFinder(root, '../../outside');
    expect((await escaping.find({ fsName: 'Game.z64', title: 'Game', regionHint: null })).cover).toBeNull();
  });
});
