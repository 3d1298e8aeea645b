import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';

/**
 * A small, valid PNG unique to a key (a thumbnail name): 120x160 RGB, two colours from the key's hash in bands, so
 * the media store sees distinct images (as many objects as a real server would give it) at a few hundred bytes each.
 */
export function pngFor(key: string, width = 120, height = 160): Buffer {
  const h = createHash('sha1').update(key).digest();
  const row = Buffer.alloc(1 + width * 3);
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const c = y < height / 2 ? 0 : 3;
    for (let x = 0; x < width; x++) {
      const o = 1 + x * 3;
      row[o] = h[c] as number; row[o + 1] = h[c + 1] as number; row[o + 2] = (h[c + 2] as number) ^ (x < 4 ? h[6] as number : 0);
    }
    rows.push(Buffer.from(row));
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed) >>> 0);
  return Buffer.concat([len, typed, crc]);
}
