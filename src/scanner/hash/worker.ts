import { parentPort } from 'node:worker_threads';
import { runHashJob } from './read.ts';
import type { HashJob } from './types.ts';

/** Worker thread: hashes the jobs it is sent, one at a time, and answers each with its result. */
const port = parentPort;
if (port) {
  port.on('message', (job: HashJob) => {
    void runHashJob(job).then((res) => port.postMessage(res));
  });
}
