/**
 * Download throughput over loopback (npm run bench:download).
 * Measures, in one run and interleaved: a 2 GiB single file and a 2 GiB multi-file zip from romshelf, next to a
 * reference server (nginx with sendfile, or cat to a socket) sending the same 2 GiB file; then romshelf's peak
 * RSS while it streams a 10 GiB zip. Prints JSON. Options (env): BENCH_ROUNDS (3), BENCH_DIR (a temp dir).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { seedDatabase, startReference, writeDataFile, writeSparseFile, type BenchRom } from './lib/download-setup.ts';

const run = promisify(execFile);
const GiB = 1024 ** 3;
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Sample { bytes: number; seconds: number; mbps: number }

/** curl, the same client for every server, discarding the body. */
async function fetchWithCurl(url: string): Promise<Sample> {
  const { stdout } = await run('curl', ['-sS', '--fail', '-o', '/dev/null', '-w', '%{size_download} %{time_total}', url], { maxBuffer: 1024 * 1024 });
  const [bytes = 0, seconds = 0] = stdout.trim().split(' ').map(Number);
  return { bytes, seconds, mbps: bytes / seconds / 1e6 };
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      const res = await fetch(url, { method: 'HEAD' });
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${url} did not come up`);
}

async function rssKb(pid: number): Promise<{ rss: number; hwm: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

const best = (xs: Sample[]) => Math.max(...xs.map((x) => x.mbps));
const median = (xs: Sample[]) => {
  const s = xs.map((x) => x.mbps).sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};
const round1 = (x: number) => Math.round(x * 10) / 10;
const ratio = (a: number, b: number) => Math.round((a / b) * 1000) / 1000;

async function main(): Promise<void> {
  const dir = process.env.BENCH_DIR ?? (await mkdtemp(path.join(os.tmpdir(), 'romshelf-bench-dl-')));
  const library = path.join(dir, 'library');
  const data = path.join(dir, 'data');
  const roms: BenchRom[] = [];
  const psx = 'roms/psx';

  process.stderr.write('writing 2 GiB single file, 4 x 512 MiB multi-file ROM, 5 x 2 GiB sparse ROM...\n');
  const singleRel = `${psx}/Gran Turismo 2 (USA).bin`;
  roms.push({ fsPath: psx, fsName: 'Gran Turismo 2 (USA).bin', files: [{ rel: singleRel, size: 2 * GiB, crc: await writeDataFile(path.join(library, singleRel), 2 * GiB) }] });
  const multiFiles = [];
  for (let i = 1; i <= 4; i++) {
    const rel = `${psx}/Final Fantasy VIII (USA)/Final Fantasy VIII (USA) (Disc ${i}).bin`;
    multiFiles.push({ rel, size: GiB / 2, crc: await writeDataFile(path.join(library, rel), GiB / 2) });
  }
  roms.push({ fsPath: psx, fsName: 'Final Fantasy VIII (USA)', files: multiFiles });
  const hugeFiles = [];
  for (let i = 1; i <= 5; i++) {
    const rel = `${psx}/Huge Set/Part ${i}.iso`;
    hugeFiles.push({ rel, size: 2 * GiB, crc: await writeSparseFile(path.join(library, rel), 2 * GiB) });
  }
  roms.push({ fsPath: psx, fsName: 'Huge Set', files: hugeFiles });
  const [singleId, multiId, hugeId] = await seedDatabase(path.join(data, 'romshelf.db'), library, roms);

  const port = 18000 + Math.floor(Math.random() * 2000);
  const server = spawn(process.execPath, ['bin/romshelf', 'serve'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env, PORT: String(port), HOST: '127.0.0.1', LIBRARY_PATH: library, DATA_PATH: data, DATABASE_URL: '',
      AUTH_SECRET: 'bench-secret-0123456789abcdef0123456789', DISABLE_DOWNLOAD_ENDPOINT_AUTH: 'true', SCAN_ON_START: 'false', LOG_LEVEL: 'warn',
    },
  });
  const ref = await startReference(library, dir, port + 1, path.join(library, singleRel));
  try {
    const base = `http://127.0.0.1:${port}`;
    const singleUrl = `${base}/api/roms/${singleId}/content/gt2.bin`;
    const zipUrl = `${base}/api/roms/${multiId}/content/Final%20Fantasy%20VIII`;
    const hugeUrl = `${base}/api/roms/${hugeId}/content/Huge`;
    await waitFor(`${base}/api/heartbeat`);
    await waitFor(ref.url);
    // Warm-up: page cache, JIT, and the raw-CRC cache of the zips.
    for (const url of [ref.url, singleUrl, zipUrl, hugeUrl]) await run('curl', ['-sS', '-o', '/dev/null', '-r', '0-1048575', url]);

    const samples = { reference: [] as Sample[], single: [] as Sample[], zip: [] as Sample[] };
    for (let r = 0; r < rounds; r++) {
      samples.reference.push(await fetchWithCurl(ref.url));
      samples.single.push(await fetchWithCurl(singleUrl));
      samples.zip.push(await fetchWithCurl(zipUrl));
      process.stderr.write(`round ${r + 1}/${rounds}: ref ${round1(samples.reference[r]?.mbps ?? 0)} MB/s, single ${round1(samples.single[r]?.mbps ?? 0)}, zip ${round1(samples.zip[r]?.mbps ?? 0)}\n`);
    }

    const pid = server.pid ?? 0;
    const idle = await rssKb(pid);
    let peakRss = 0;
    const poll = setInterval(() => void rssKb(pid).then((m) => (peakRss = Math.max(peakRss, m.rss)), () => undefined), 50);
    const huge = await fetchWithCurl(hugeUrl);
    clearInterval(poll);
    const { hwm } = await rssKb(pid);

    const ref0 = best(samples.reference);
    const result = {
      bench: 'download',
      command: 'npm run bench:download',
      node: process.version,
      cpus: os.cpus().length,
      loadavg: os.loadavg().map(round1),
      rounds,
      reference: ref.name,
      client: 'curl -o /dev/null',
      throughput_MBps: {
        reference_2GiB_file: { best: round1(ref0), median: round1(median(samples.reference)) },
        romshelf_2GiB_single_file: { best: round1(best(samples.single)), median: round1(median(samples.single)) },
        romshelf_2GiB_multi_file_zip: { best: round1(best(samples.zip)), median: round1(median(samples.zip)), bytes: samples.zip[0]?.bytes },
      },
      ratio_vs_reference: {
        single_file: ratio(best(samples.single), ref0),
        zip: ratio(best(samples.zip), ref0),
        single_file_median: ratio(median(samples.single), median(samples.reference)),
        zip_median: ratio(median(samples.zip), median(samples.reference)),
        targets: { single_file: 0.9, zip: 0.8 },
      },
      memory_10GiB_zip: {
        bytes: huge.bytes,
        MBps: round1(huge.mbps),
        rss_MB_before_download: round1(idle.rss / 1024),
        peak_rss_MB_during_download: round1(peakRss / 1024),
        download_overhead_MB: round1((peakRss - idle.rss) / 1024),
        process_peak_rss_MB_since_start: round1(hwm / 1024),
        target_MB: 150,
      },
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    server.kill('SIGTERM');
    ref.proc.kill('SIGTERM');
    await sleep(300);
    if (!process.env.BENCH_DIR) await rm(dir, { recursive: true, force: true });
  }
}

await main();
