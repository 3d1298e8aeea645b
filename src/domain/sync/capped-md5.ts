import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import { AppError } from '../../common/errors.ts';

export interface CappedMd5 {
  /** Pass-through: hashes what flows and fails with a 413 once more than `maxBytes` went by. */
  stream: Transform;
  size(): number;
  /** The MD5 of everything that went through (call once the stream has ended). */
  md5(): string;
}

/** What both sync transports put between a device's file and the staged copy (0: no limit). */
export function cappedMd5(maxBytes: number): CappedMd5 {
  const hash = createHash('md5');
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (maxBytes > 0 && size > maxBytes) {
        done(new AppError(413, `Save file exceeds the maximum allowed size of ${maxBytes} bytes`));
        return;
      }
      hash.update(chunk);
      done(null, chunk);
    },
  });
  return { stream, size: () => size, md5: () => hash.digest('hex') };
}
