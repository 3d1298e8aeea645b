import type { Writable } from 'node:stream';
import { ChunkPool } from './chunk-pool.ts';

/** Writes in flight at once: one being sent while the next is read keeps disk and socket busy. */
const WINDOW = 4;

/**
 * Sends a body produced by `open(take)` to `out`, recycling each chunk once the socket has taken it. Stops
 * reading as soon as the client goes away (the generator's `finally` closes its file at once); a read error
 * (e.g. a file changed on disk) destroys the connection so the client sees a truncated transfer, never a
 * silently corrupt one.
 */
export async function pump(out: Writable, open: (take: (size: number) => Buffer) => AsyncGenerator<Buffer>): Promise<void> {
  const pool = new ChunkPool(WINDOW + 2);
  const body = open((size) => pool.take(size));
  const inFlight: Promise<void>[] = [];
  let closed = false;
  let onClose = () => undefined as void;
  // A write callback may never fire once the socket is gone; waiting on this instead cannot hang.
  const gone = new Promise<void>((resolve) => {
    onClose = () => {
      closed = true;
      resolve();
    };
  });
  out.once('close', onClose);
  try {
    for await (const chunk of body) {
      if (closed || out.destroyed) break;
      const written = new Promise<void>((resolve, reject) => {
        out.write(chunk, (err) => {
          if (err) return reject(err);
          pool.release(chunk);
          resolve();
        });
      });
      // Awaited below unless the client left first; never an unhandled rejection.
      written.catch(() => undefined);
      inFlight.push(written);
      if (inFlight.length >= WINDOW) await Promise.race([inFlight.shift(), gone]);
    }
    await Promise.race([Promise.all(inFlight), gone]);
    if (!closed && !out.destroyed) out.end();
  } catch (err) {
    // Settle the other writes; the socket is going away either way.
    await Promise.race([Promise.allSettled(inFlight), gone]);
    if (!out.destroyed) out.destroy(err as Error);
  } finally {
    out.off('close', onClose);
    await body.return(undefined);
  }
}
