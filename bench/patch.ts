import { spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { crc32 } from '../src/patcher/checksum.ts';
import { applyPatch } from '../src/patcher/index.ts';

/**
 * `npm run bench:patch [-- --sizes 64,1024 --dir DIR]`: apply throughput (MiB of ROM per second) and peak
 * RSS per patch format, on generated ROMs of each size, with `xdelta3 -d` on the same VCDIFF files in the
 * same run. Each apply runs in its own process so its peak RSS is its own; each measurement is repeated
 * `--runs` times and the best time is reported (the machines are shared), with the median beside it.
 * Prints JSON.
 */
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '64,1024' },
    dir: { type: 'string', default: path.join(os.tmpdir(), 'romshelf-bench-patch') },
    child: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    runs: { type: 'string', default: '5' },
  },
  allowPositionals: true,
});

const MiB = 1 << 20;

if (values.child) {
  // Child: apply one patch and report time and peak RSS.
  const [sourcePath, patchPath, targetPath] = process.argv.slice(-3) as [string, string, string];
  const start = performance.now();
  const result = await applyPatch({ sourcePath, patchPath, targetPath });
  const ms = performance.now() - start;
  process.stdout.write(JSON.stringify({ ms, maxRssKb: process.resourceUsage().maxRSS, result }));
  process.exit(0);
}

interface Edit {
  offset: number;
  bytes: Buffer;
  old: Buffer;
}

/** A random ROM of `mib` MiB and a same-size target with an edit of 1-200 bytes about every 256 KiB. */
function makeRomPair(dir: string, mib: number): { src: string; tgt: string; edits: Edit[] } {
  const src = path.join(dir, `rom-${mib}.bin`);
  const tgt = path.join(dir, `rom-${mib}-patched.bin`);
  const size = mib * MiB;
  if (!existsSync(src) || statSync(src).size !== size) {
    const fd = openSync(src, 'w');
    const chunk = Buffer.allocUnsafe(MiB);
    for (let i = 0; i < mib; i++) writeSync(fd, randomFillSync(chunk));
    closeSync(fd);
  }
  let seed = 12345;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed % n;
  };
  const edits: Edit[] = [];
  const fd = openSync(src, 'r');
  for (let base = 4096; base + 1024 < size; base += 256 * 1024) {
    const offset = base + rand(64 * 1024);
    const len = 1 + rand(200);
    const old = Buffer.alloc(len);
    readSync(fd, old, 0, len, offset);
    const bytes = Buffer.from(old.map((b) => b ^ (1 + rand(255)))); // every byte differs (UPS needs it)
    edits.push({ offset, bytes, old });
  }
  closeSync(fd);
  copyFileSync(src, tgt);
  const out = openSync(tgt, 'r+');
  for (const e of edits) writeSync(out, e.bytes, 0, e.bytes.length, e.offset);
  closeSync(out);
  return { src, tgt, edits };
}

function fileCrc(file: string): number {
  const fd = openSync(file, 'r');
  const buf = Buffer.allocUnsafe(4 * MiB);
  let crc = 0;
  let n: number;
  let pos = 0;
  while ((n = readSync(fd, buf, 0, buf.length, pos)) > 0) {
    crc = crc32(buf.subarray(0, n), crc);
    pos += n;
  }
  closeSync(fd);
  return crc;
}

function beatVarint(n: number): Buffer {
  const out: number[] = [];
  for (;;) {
    const x = n % 128;
    n = Math.floor(n / 128);
    if (n === 0) {
      out.push(0x80 | x);
      return Buffer.from(out);
    }
    out.push(x);
    n--;
  }
}

function beatFooter(parts: Buffer[], srcCrc: number, tgtCrc: number): Buffer {
  const f = Buffer.alloc(8);
  f.writeUInt32LE(srcCrc, 0);
  f.writeUInt32LE(tgtCrc, 4);
  const body = Buffer.concat([...parts, f]);
  const p = Buffer.alloc(4);
  p.writeUInt32LE(crc32(body));
  return Buffer.concat([body, p]);
}

/** Patches built straight from the edit list (the ROMs are too big to diff in memory). */
function buildPatches(dir: string, mib: number, pair: { src: string; tgt: string; edits: Edit[] }): Record<string, string> {
  const size = mib * MiB;
  const srcCrc = fileCrc(pair.src);
  const tgtCrc = fileCrc(pair.tgt);
  const file = (name: string, data: Buffer): string => {
    const p = path.join(dir, `${mib}-${name}`);
    writeFileSync(p, data);
    return p;
  };
  const ips: Buffer[] = [Buffer.from('IPS32')];
  const ups: Buffer[] = [Buffer.from('UPS1'), beatVarint(size), beatVarint(size)];
  const bps: Buffer[] = [Buffer.from('BPS1'), beatVarint(size), beatVarint(size), beatVarint(0)];
  const ppf: Buffer[] = [Buffer.alloc(56, 0x20), Buffer.from([0, 0, 0, 0])];
  ppf[0]!.write('PPF30', 0, 'latin1');
  ppf[0]![5] = 2;
  let upsPos = 0;
  let bpsPos = 0;
  for (const e of pair.edits) {
    const head = Buffer.alloc(6);
    head.writeUInt32BE(e.offset, 0);
    head.writeUInt16BE(e.bytes.length, 4);
    ips.push(head, e.bytes);
    ups.push(beatVarint(e.offset - upsPos), Buffer.from(e.bytes.map((b, i) => b ^ e.old[i]!)), Buffer.from([0]));
    upsPos = e.offset + e.bytes.length + 1;
    bps.push(beatVarint((e.offset - bpsPos - 1) * 4), beatVarint((e.bytes.length - 1) * 4 + 1), e.bytes);
    bpsPos = e.offset + e.bytes.length;
    const off = Buffer.alloc(9);
    off.writeBigUInt64LE(BigInt(e.offset));
    off[8] = e.bytes.length;
    ppf.push(off, e.bytes);
  }
  ips.push(Buffer.from('EEOF'));
  bps.push(beatVarint((size - bpsPos - 1) * 4));
  const patches: Record<string, string> = {
    ips32: file('patch.ips', Buffer.concat(ips)),
    ups: file('patch.ups', beatFooter(ups, srcCrc, tgtCrc)),
    bps: file('patch.bps', beatFooter(bps, srcCrc, tgtCrc)),
    ppf3: file('patch.ppf', Buffer.concat(ppf)),
  };
  if (hasTool('xdelta3')) {
    for (const [name, args] of [
      ['vcdiff', ['-S', 'none']],
      ['vcdiff-lzma', ['-S', 'lzma']], // xdelta3's default secondary compressor
    ] as Array<[string, string[]]>) {
      const p = path.join(dir, `${mib}-${name}.xdelta`);
      run('xdelta3', ['-e', '-f', ...args, '-s', pair.src, pair.tgt, p]);
      patches[name] = p;
    }
  }
  return patches;
}

function hasTool(tool: string): boolean {
  return spawnSync(tool, ['-V'], { stdio: 'ignore' }).error === undefined;
}

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * MiB });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

function sameFile(a: string, b: string): boolean {
  return spawnSync('cmp', ['-s', a, b]).status === 0;
}

interface Row {
  sizeMiB: number;
  format: string;
  tool: 'romshelf' | 'xdelta3';
  seconds: number;
  medianSeconds: number;
  mibPerSec: number;
  peakRssMB: number | null;
  identical: boolean;
}

const dir = values.dir;
const runs = Math.max(1, Number(values.runs));

function applyOurs(src: string, patch: string, out: string): Sample {
  const child = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--child', src, patch, out], {
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`apply ${patch} failed: ${child.stderr}`);
  const r = JSON.parse(child.stdout) as { ms: number; maxRssKb: number };
  return { seconds: r.ms / 1000, rssKb: r.maxRssKb };
}

function applyXdelta3(src: string, patch: string, out: string): Sample {
  const start = performance.now();
  const x = spawnSync('/usr/bin/time', ['-f', '%M', 'xdelta3', '-d', '-f', '-s', src, patch, out], { encoding: 'utf8' });
  const seconds = (performance.now() - start) / 1000;
  if (x.status !== 0) throw new Error(`xdelta3 -d ${patch} failed: ${x.stderr}`);
  const rssKb = Number(x.stderr.trim().split('\n').pop());
  return { seconds, rssKb: Number.isFinite(rssKb) ? rssKb : null };
}

interface Sample {
  seconds: number;
  rssKb: number | null;
}

/** Runs each function `n` times, interleaved; checks every output against the expected file. */
function sample(n: number, fns: Array<() => Sample>, out: string, expected: string): Array<{ samples: Sample[]; identical: boolean }> {
  const results = fns.map(() => ({ samples: [] as Sample[], identical: true }));
  for (let i = 0; i < n; i++) {
    fns.forEach((fn, k) => {
      const r = results[k]!;
      r.samples.push(fn());
      r.identical &&= sameFile(out, expected);
      rmSync(out, { force: true });
    });
  }
  return results;
}

function summarise(r: { samples: Sample[]; identical: boolean }, what: Pick<Row, 'sizeMiB' | 'format' | 'tool'>): Row {
  const times = r.samples.map((x) => x.seconds).sort((a, b) => a - b);
  const best = times[0]!;
  const rss = r.samples.map((x) => x.rssKb).filter((x): x is number => x !== null);
  return {
    ...what,
    seconds: best,
    medianSeconds: times[Math.floor(times.length / 2)]!,
    mibPerSec: what.sizeMiB / best,
    peakRssMB: rss.length > 0 ? Math.max(...rss) / 1024 : null,
    identical: r.identical,
  };
}

mkdirSync(dir, { recursive: true });
const rows: Row[] = [];
for (const mib of values.sizes.split(',').map(Number)) {
  const pair = makeRomPair(dir, mib);
  const patches = buildPatches(dir, mib, pair);
  const out = path.join(dir, `${mib}-out.bin`);
  for (const [format, patch] of Object.entries(patches)) {
    const ours = (): Sample => applyOurs(pair.src, patch, out);
    if (!format.startsWith('vcdiff')) {
      rows.push(summarise(sample(runs, [ours], out, pair.tgt)[0]!, { sizeMiB: mib, format, tool: 'romshelf' }));
      continue;
    }
    // Alternate romshelf and xdelta3 runs so both see the same load on a shared machine.
    const [a, b] = sample(runs, [ours, () => applyXdelta3(pair.src, patch, out)], out, pair.tgt);
    rows.push(summarise(a!, { sizeMiB: mib, format, tool: 'romshelf' }));
    rows.push(summarise(b!, { sizeMiB: mib, format, tool: 'xdelta3' }));
  }
  if (!values.keep) for (const p of [pair.tgt, ...Object.values(patches)]) rmSync(p, { force: true });
}

const round = (x: number | null): number | null => (x === null ? null : Math.round(x * 10) / 10);
const ratio = (mib: number, format: string): number | null => {
  const ours = rows.find((r) => r.sizeMiB === mib && r.format === format && r.tool === 'romshelf');
  const ref = rows.find((r) => r.sizeMiB === mib && r.format === format && r.tool === 'xdelta3');
  return ours && ref ? Math.round((ours.mibPerSec / ref.mibPerSec) * 100) / 100 : null;
};
const sizes = [...new Set(rows.map((r) => r.sizeMiB))];
console.log(
  JSON.stringify(
    {
      benchmark: 'patch',
      node: process.version,
      cpus: os.cpus().length,
      runs,
      dir,
      results: rows.map((r) => ({
        ...r,
        seconds: Math.round(r.seconds * 1000) / 1000,
        medianSeconds: Math.round(r.medianSeconds * 1000) / 1000,
        mibPerSec: round(r.mibPerSec),
        peakRssMB: round(r.peakRssMB),
      })),
      vcdiffSpeedVsXdelta3: Object.fromEntries(
        sizes.flatMap((mib) => ['vcdiff', 'vcdiff-lzma'].map((f) => [`${mib}MiB ${f}`, ratio(mib, f)])),
      ),
      targets: {
        'ips/bps/ups/ppf > 200 MiB/s': rows
          .filter((r) => r.tool === 'romshelf' && !r.format.startsWith('vcdiff'))
          .every((r) => r.mibPerSec > 200),
        'vcdiff >= 0.5 x xdelta3': sizes.every((mib) => (ratio(mib, 'vcdiff') ?? 1) >= 0.5),
        'peak RSS < 200 MB at 1 GiB': rows
          .filter((r) => r.tool === 'romshelf' && r.sizeMiB >= 1024)
          .every((r) => (r.peakRssMB ?? 0) < 200),
        'all outputs identical': rows.every((r) => r.identical),
      },
    },
    null,
    2,
  ),
);
