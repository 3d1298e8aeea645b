import { fail } from '../errors.ts';
import type { SourceReader } from '../io/source-reader.ts';

/**
 * The source segment of the current window, kept in one reusable buffer. xdelta3's windows slide
 * forward through the source, so consecutive segments overlap heavily: the overlap is moved, not
 * re-read. Segments larger than the window limit are rejected by the caller.
 */
export class SegmentCache {
  private buf = Buffer.alloc(0);
  private start = 0;
  private end = 0;

  constructor(private readonly src: SourceReader) {}

  /** Returns a view of source bytes [pos, pos+len). */
  async load(pos: number, len: number): Promise<Buffer> {
    if (pos + len > this.src.size) {
      fail(`Patch reads beyond the end of the source ROM (offset ${pos + len}, ROM is ${this.src.size} bytes)`, 'source');
    }
    if (pos >= this.start && pos + len <= this.end) return this.buf.subarray(pos - this.start, pos - this.start + len);
    // Bytes [pos, end) are already here when the window slid forward (never all of them: see above).
    const overlap = pos >= this.start && pos < this.end ? this.end - pos : 0;
    if (this.buf.length < len) {
      const bigger = Buffer.allocUnsafe(len);
      if (overlap > 0) this.buf.copy(bigger, 0, pos - this.start, this.end - this.start);
      this.buf = bigger;
    } else if (overlap > 0 && pos !== this.start) {
      this.buf.copy(this.buf, 0, pos - this.start, this.end - this.start);
    }
    await this.src.readFully(pos + overlap, len - overlap, this.buf, overlap);
    this.start = pos;
    this.end = pos + len;
    return this.buf.subarray(0, len);
  }
}
