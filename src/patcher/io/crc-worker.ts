import { Worker } from 'node:worker_threads';

// Plain JavaScript so the worker needs no TypeScript loader.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const zlib = require('node:zlib');
const fd = fs.openSync(workerData.path, 'r');
const buf = Buffer.allocUnsafe(1 << 20);
let crc = 0;
let pos = 0;
for (;;) {
  const n = fs.readSync(fd, buf, 0, buf.length, pos);
  if (n === 0) break;
  crc = zlib.crc32(buf.subarray(0, n), crc);
  pos += n;
}
fs.closeSync(fd);
parentPort.postMessage(crc >>> 0);
`;

/**
 * CRC-32 of a whole file computed on a worker thread, so BPS can check its source while the main
 * thread is already building the target (the two reads overlap instead of running one after the other).
 */
export function crc32FileInWorker(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path } });
    worker.once('message', (crc: number) => resolve(crc));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`CRC worker exited with code ${code}`));
    });
  });
}
