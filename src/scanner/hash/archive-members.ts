import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import tarStream from 'tar-stream';
import type { ReadableKindId } from '../../archive/kinds.ts';
import { buildExclusions } from '../../library/exclusions.ts';
import type { ArchiveMember, Hashes } from './types.ts';
import { MultiHasher, type Sink } from './multi-hasher.ts';
import { ExtraHasher, type ExtraHashOptions } from './extra-hashes.ts';

/** Gets the size of the stream about to be read (null when unknown) and returns where its bytes go. */
export type SinkOpener = (size: number | null) => Sink;

/**
 * Archive readers for hashing (spec §10.5), one per kind that archive/kinds.ts marks readable: zip (yauzl), tar
 * and tar.gz (tar-stream + zlib), plain .gz. The other kinds have no well-kept pure-JS reader and are hashed as
 * raw bytes by the caller.
 */

const defaultExclusions = buildExclusions();
const memberExcluded = (name: string): boolean => defaultExclusions.archiveMember(name);

async function drain(stream: AsyncIterable<unknown>, sink: Sink): Promise<void> {
  for await (const chunk of stream) sink(chunk as Buffer);
}

interface ZipMember { entry: yauzl.Entry; name: string; size: number }

function openZip(abs: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(abs, { lazyEntries: true, autoClose: false }, (err, zip) => (err ? reject(err) : resolve(zip)));
  });
}

function listZip(zip: yauzl.ZipFile): Promise<ZipMember[]> {
  return new Promise((resolve, reject) => {
    const members: ZipMember[] = [];
    zip.on('entry', (entry: yauzl.Entry) => {
      if (!entry.fileName.endsWith('/')) members.push({ entry, name: entry.fileName, size: entry.uncompressedSize });
      zip.readEntry();
    });
    zip.once('end', () => resolve(members));
    zip.once('error', reject);
    zip.readEntry();
  });
}

function zipStream(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => (err ? reject(err) : resolve(stream)));
  });
}

async function withZip<T>(abs: string, fn: (zip: yauzl.ZipFile, members: ZipMember[]) => Promise<T>): Promise<T> {
  const zip = await openZip(abs);
  try {
    return await fn(zip, await listZip(zip));
  } finally {
    zip.close();
  }
}

interface TarMember { name: string; size: number }

/** One pass over a tar; `visit` gets each regular entry and either consumes or skips its stream. */
async function tarPass(abs: string, gz: boolean, visit: (m: TarMember, s: AsyncIterable<unknown>) => Promise<void>): Promise<void> {
  const extract = tarStream.extract();
  const source = createReadStream(abs, { highWaterMark: 1024 * 1024 });
  if (gz) source.pipe(createGunzip()).pipe(extract);
  else source.pipe(extract);
  try {
    for await (const entry of extract) {
      if (entry.header.type === 'file' || entry.header.type === 'contiguous-file') {
        await visit({ name: entry.header.name, size: entry.header.size ?? 0 }, entry);
      }
      entry.resume();
    }
  } finally {
    source.destroy();
  }
}

async function listTar(abs: string, gz: boolean): Promise<TarMember[]> {
  const list: TarMember[] = [];
  await tarPass(abs, gz, async (m) => { list.push(m); });
  return list;
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Decompressed bytes of the archive's largest member into `open`'s sink; false when the archive cannot be read. */
export async function hashLargestMember(abs: string, kind: ReadableKindId, open: SinkOpener): Promise<boolean> {
  try {
    if (kind === 'zip') {
      return await withZip(abs, async (zip, members) => {
        const largest = members.reduce<ZipMember | null>((best, m) => (!best || m.size > best.size ? m : best), null);
        if (!largest) return false;
        const stream = await zipStream(zip, largest.entry);
        await drain(stream, open(largest.size));
        return true;
      });
    }
    if (kind === 'gz') return await hashGzip(abs, open(null));
    const gz = kind === 'tgz';
    const members = await listTar(abs, gz);
    const largest = members.reduce<TarMember | null>((best, m) => (!best || m.size > best.size ? m : best), null);
    if (!largest) return false;
    let done = false;
    await tarPass(abs, gz, async (m, s) => {
      if (!done && m.name === largest.name) { await drain(s, open(m.size)); done = true; }
    });
    return done;
  } catch {
    return false;
  }
}

export async function hashGzip(abs: string, sink: Sink): Promise<boolean> {
  try {
    await drain(createReadStream(abs, { highWaterMark: 1024 * 1024 }).pipe(createGunzip()), sink);
    return true;
  } catch {
    return false;
  }
}

export interface ArchiveMembersHash {
  hashes: Hashes;
  list: ArchiveMember[];
  /** RetroAchievements hash of the largest member (what RomM hands RAHasher for an archive); null when none. */
  ra: string | null;
}

/**
 * Member-by-member hashes in name order plus the composite hash of their concatenated decompressed bytes.
 * Null when the archive cannot be read in full (the caller then hashes the raw file).
 */
export async function hashArchiveMembers(abs: string, kind: ReadableKindId,
  extras: Omit<ExtraHashOptions, 'size'> = { platform: null, ra: null }): Promise<ArchiveMembersHash | null> {
  if (kind === 'gz') return null;
  const composite = new MultiHasher();
  const list: ArchiveMember[] = [];
  let ra: { size: number; hash: string | null } | null = null;
  const hashMember = async (name: string, size: number, stream: AsyncIterable<unknown>) => {
    const own = new MultiHasher();
    const extra = new ExtraHasher({ ...extras, size });
    await drain(stream, (c) => { own.update(c); composite.update(c); extra.update(c); });
    const h = own.digest();
    const x = extra.finish(h.md5);
    const member: ArchiveMember = {
      name, size, crc_hash: h.crc || '00000000', md5_hash: h.md5 || EMPTY_MD5, sha1_hash: h.sha1 || EMPTY_SHA1,
    };
    if (x.headerless) {
      Object.assign(member, {
        header_skipped: x.headerSkipped, headerless_crc_hash: x.headerless.crc, headerless_md5_hash: x.headerless.md5,
        headerless_sha1_hash: x.headerless.sha1,
      });
    }
    list.push(member);
    if (!ra || size > ra.size) ra = { size, hash: x.ra };
  };
  try {
    if (kind === 'zip') {
      await withZip(abs, async (zip, members) => {
        for (const m of members.filter((x) => !memberExcluded(x.name)).sort(byName)) {
          await hashMember(m.name, m.size, await zipStream(zip, m.entry));
        }
      });
    } else {
      const gz = kind === 'tgz';
      const members = (await listTar(abs, gz)).filter((m) => !memberExcluded(m.name));
      const sorted = [...members].sort(byName);
      const inOrder = members.every((m, i) => m.name === sorted[i]?.name);
      if (inOrder) {
        await tarPass(abs, gz, async (m, s) => { if (!memberExcluded(m.name)) await hashMember(m.name, m.size, s); });
      } else {
        // Composite order is by name; a tar stored in another order is read once per member.
        for (const target of sorted) {
          let done = false;
          await tarPass(abs, gz, async (m, s) => {
            if (!done && m.name === target.name) { await hashMember(m.name, m.size, s); done = true; }
          });
        }
      }
    }
  } catch {
    return null;
  }
  const largest = ra as { size: number; hash: string | null } | null;
  return { hashes: composite.digest(), list, ra: largest?.hash ?? null };
}

const EMPTY_MD5 = 'd41d8cd98f00b204e9800998ecf8427e';
const EMPTY_SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
