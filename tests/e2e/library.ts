import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A small on-disk library for browser tests: a few platforms, a hostile file name and a patchable ROM. */
export interface E2ELibrary {
  root: string;
  romCount: number;
  xssName: string;
  patchable: { romName: string; romPath: string; patchName: string; patchPath: string; expected: Buffer };
  sample: { fsName: string; path: string };
}

const TITLES = [
  'Alpha Quest', 'Blaster Zone', 'Castle Climber', 'Dungeon Diver', 'Echo Racer', 'Frost Fighter', 'Galaxy Golf',
  'Harbor Hero', 'Iron Island', 'Jungle Jump', 'Kart Kings', 'Lava Lords', 'Moon Maze', 'Ninja Night', 'Ocean Odyssey',
  'Pixel Pirates', 'Quiz Quest', 'Robo Rally', 'Sky Striker', 'Tank Tactics', 'Urban Unit', 'Volt Valley', 'Wizard Woods',
  'Xeno Xpress', 'Yeti Yard', 'Zelda-like Zone',
];
const REGIONS = ['(USA)', '(Europe)', '(Japan)', '(USA, Europe)', '(World)'];
const PLATFORMS: Array<[string, string]> = [['snes', 'sfc'], ['gba', 'gba'], ['n64', 'z64']];

function romBytes(seed: string, size: number): Buffer {
  const out = Buffer.alloc(size);
  let block = createHash('sha256').update(seed).digest();
  for (let i = 0; i < size; i += block.length) {
    block.copy(out, i);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

/** IPS patch writing `data` at `offset` (3-byte offset, 2-byte length records, "EOF"). */
export function ipsPatch(offset: number, data: Buffer): Buffer {
  const head = Buffer.from([(offset >> 16) & 0xff, (offset >> 8) & 0xff, offset & 0xff, (data.length >> 8) & 0xff, data.length & 0xff]);
  return Buffer.concat([Buffer.from('PATCH'), head, data, Buffer.from('EOF')]);
}

export async function generateE2ELibrary(root: string, perPlatform = 40, { hostile = true } = {}): Promise<E2ELibrary> {
  let count = 0;
  for (const [platform, ext] of PLATFORMS) {
    const dir = path.join(root, 'roms', platform);
    await mkdir(dir, { recursive: true });
    for (let i = 0; i < perPlatform; i++) {
      const title = TITLES[i % TITLES.length] ?? 'Game';
      const name = `${title}${i >= TITLES.length ? ` ${Math.floor(i / TITLES.length) + 1}` : ''} ${REGIONS[i % REGIONS.length]}.${ext}`;
      await writeFile(path.join(dir, name), romBytes(`${platform}/${name}`, 512 + ((i * 997) % 8192)));
      count++;
    }
  }
  const snes = path.join(root, 'roms', 'snes');
  // A file name that is an HTML payload: the UI must show it as text and never run it.
  const xssName = '<img src=x onerror=window.__xss=1> (USA).sfc';
  if (hostile) {
    await writeFile(path.join(snes, xssName), romBytes('xss', 1024));
    count++;
  }

  const romName = 'Patchable Game (USA).sfc';
  const original = romBytes('patchable', 4096);
  const patchData = Buffer.from('ROMSHELF PATCHED');
  const expected = Buffer.from(original);
  patchData.copy(expected, 0x100);
  const patchName = 'Patchable Game Translation.ips';
  await writeFile(path.join(snes, romName), original);
  const patchPath = path.join(root, 'patches', patchName);
  await mkdir(path.dirname(patchPath), { recursive: true });
  await writeFile(patchPath, ipsPatch(0x100, patchData));
  count++;

  const sampleName = 'Alpha Quest (USA).sfc';
  return {
    root, romCount: count, xssName,
    patchable: { romName, romPath: path.join(snes, romName), patchName, patchPath, expected },
    sample: { fsName: sampleName, path: path.join(snes, sampleName) },
  };
}
