import { createHash, type Hash } from 'node:crypto';
import { detectHeader, PROBE_BYTES } from './headers/index.ts';
import { MultiHasher } from './multi-hasher.ts';
import { RA_MAX_BYTES, type RaCartridgeRule, type RaPlan } from './ra/index.ts';
import type { Hashes } from './types.ts';

export interface ExtraHashOptions {
  /** The ROM's platform slug (limits size-only header rules to their platform). */
  platform: string | null;
  /** The RA rule hashing these bytes as they stream by, if the platform has one. */
  ra: RaCartridgeRule | null;
  /** Bytes the stream will carry, when known up front (file or member size); size-only rules need it. */
  size: number | null;
}

export interface ExtraHashResult {
  /** Bytes of header left out of `headerless`; 0 when no header was found. */
  headerSkipped: number;
  headerless: Hashes | null;
  /** RetroAchievements hash; null when the platform has no rule or the rule rejects the file. */
  ra: string | null;
}

/**
 * Header-aware hashes fed from the same chunks as the file's own hashes (one read). The first PROBE_BYTES are held
 * back until the header rules and the RA rule have looked at them; after that each extra hasher sees the bytes it
 * covers. Extra hashers exist only when a header is found, or when the RA hash cannot be the file's own MD5.
 */
export class ExtraHasher {
  private head: Buffer[] = [];
  private headLength = 0;
  private decided = false;
  private pos = 0;
  private skip = 0;
  private headerless: MultiHasher | null = null;
  private ra: RaStream | null = null;
  /** The RA hash is the file's MD5 (no header to drop, no swap, at most 64 MiB). */
  private raIsMd5 = false;

  constructor(private readonly options: ExtraHashOptions) {}

  update(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.decided) { this.feed(chunk); return; }
    if (this.headLength === 0 && chunk.length >= PROBE_BYTES) { this.decide(chunk); this.feed(chunk); return; }
    // Chunks may be reused by the reader once this returns: keep a copy of the few probe bytes.
    this.head.push(Buffer.from(chunk));
    this.headLength += chunk.length;
    if (this.headLength >= PROBE_BYTES) this.flushHead();
  }

  private flushHead(): void {
    const head = Buffer.concat(this.head);
    this.head = [];
    this.decide(head);
    this.feed(head);
  }

  private decide(head: Uint8Array): void {
    this.decided = true;
    const size = this.options.size ?? (head.length < PROBE_BYTES ? head.length : null);
    const header = detectHeader(head, size, this.options.platform);
    if (header) {
      this.skip = header.skip;
      this.headerless = new MultiHasher();
    }
    const rule = this.options.ra;
    // A size rule cannot judge a stream of unknown length (a .gz); the others hash it capped as it comes.
    if (!rule || (size === null && rule.usesSize)) return;
    const plan = rule.plan(head, size ?? Number.MAX_SAFE_INTEGER);
    if (!plan) return;
    if (plan.skip === 0 && plan.swap === 0 && size !== null && size <= RA_MAX_BYTES) this.raIsMd5 = true;
    else this.ra = new RaStream(plan);
  }

  private feed(chunk: Uint8Array): void {
    const start = this.pos;
    this.pos += chunk.length;
    if (this.headerless && this.pos > this.skip) this.headerless.update(start >= this.skip ? chunk : chunk.subarray(this.skip - start));
    this.ra?.update(chunk, start);
  }

  /** `md5` is the MD5 of all the bytes (what the RA hash is when it needs no hasher of its own). */
  finish(md5: string): ExtraHashResult {
    if (!this.decided) this.flushHead();
    return {
      headerSkipped: this.headerless ? this.skip : 0,
      headerless: this.headerless ? this.headerless.digestAlways() : null,
      ra: this.raIsMd5 ? (md5 || EMPTY_MD5) : (this.ra?.digest() ?? null),
    };
  }
}

const EMPTY_MD5 = 'd41d8cd98f00b204e9800998ecf8427e';

/** MD5 of bytes [plan.skip, RA_MAX_BYTES) of a stream, byte-swapped in groups of plan.swap. */
class RaStream {
  private readonly md5: Hash = createHash('md5');
  /** Swap space reused across chunks (the reader's chunk is never changed); its first `carry` bytes are an
   * incomplete swap group left from the previous chunk. */
  private scratch: Buffer = Buffer.alloc(0);
  private carry = 0;

  constructor(private readonly plan: RaPlan) {}

  update(chunk: Uint8Array, start: number): void {
    const from = Math.max(this.plan.skip, start);
    const to = Math.min(RA_MAX_BYTES, start + chunk.length);
    if (from >= to) return;
    const part = chunk.subarray(from - start, to - start);
    if (this.plan.swap === 0) { this.md5.update(part); return; }
    const length = this.carry + part.length;
    if (this.scratch.length < length) {
      const grown = Buffer.allocUnsafe(length);
      this.scratch.copy(grown, 0, 0, this.carry);
      this.scratch = grown;
    }
    this.scratch.set(part, this.carry);
    const whole = length - (length % this.plan.swap);
    const body = this.scratch.subarray(0, whole);
    if (this.plan.swap === 2) body.swap16(); else body.swap32();
    this.md5.update(body);
    this.scratch.copy(this.scratch, 0, whole, length);
    this.carry = length - whole;
  }

  digest(): string {
    // A last group shorter than the swap width is hashed as it is.
    if (this.carry > 0) this.md5.update(this.scratch.subarray(0, this.carry));
    return this.md5.digest('hex');
  }
}
