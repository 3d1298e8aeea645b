import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { MediaStore } from '../src/metadata/media-store.ts';

/**
 * `npx tsx bench/media-store.ts [--covers 400 --concurrency 4]`: time per cover of MediaStore.storeCover (read,
 * checks, both encodes, content-addressed write, hard links) on distinct generated 300x400 covers (two PNG for
 * one JPEG), then the same covers for other ROMs (deduplicated: hash and links only). Prints JSON with the load
 * average beside it, since the machines are shared.
 */
const { values } = parseArgs({ options: { covers: { type: 'string', default: '400' }, concurrency: { type: 'string', default: '4' } } });
const N = Number(values.covers);
const C = Number(values.concurrency);

const tmp = await mkdtemp(path.join(os.tmpdir(), 'bench-media-'));
const lib = path.join(tmp, 'library');
await mkdir(lib);
const [w, h] = [300, 400];
const pixels = Buffer.alloc(w * h * 3);
for (let i = 0; i < pixels.length; i++) pixels[i] = ((i * 7919) % 251) ^ ((i / 900) & 0xff);
const files: string[] = [];
for (let n = 0; n < N; n++) {
  pixels[(n * 9973) % pixels.length]! ^= 0x55; // every cover distinct
  const img = sharp(Buffer.from(pixels), { raw: { width: w, height: h, channels: 3 } }).blur(1.2);
  const file = path.join(lib, `${n}.${n % 3 === 0 ? 'jpg' : 'png'}`);
  await writeFile(file, await (n % 3 === 0 ? img.jpeg() : img.png()).toBuffer());
  files.push(file);
}

const store = new MediaStore({ resourcesRoot: path.join(tmp, 'resources') });
async function pass(platformId: number): Promise<number> {
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: C }, async () => {
      while (next < N) {
        const n = next++;
        await store.storeCover({ platformId, id: n + 1 }, { path: files[n]!, root: lib });
      }
    }),
  );
  return (performance.now() - t) / N;
}
const distinct = await pass(1);
const deduplicated = await pass(2);
await rm(tmp, { recursive: true, force: true });
console.log(
  JSON.stringify({
    covers: N,
    concurrency: C,
    msPerDistinctCover: +distinct.toFixed(2),
    projected100kDistinctSeconds: Math.round(distinct * 100),
    msPerDeduplicatedCover: +deduplicated.toFixed(2),
    loadAverage: os.loadavg()[0]!.toFixed(2),
    cpus: os.cpus().length,
  }),
);
