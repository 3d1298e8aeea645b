import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  ARCHIVE_KINDS, MAGIC_LENGTH, archiveKindOfHead, archiveKindOfName, isArchiveRomName, mediaTypeOf, readableKindOfHead,
  readableKindOfName,
} from '../../../src/archive/kinds.ts';

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('archive kinds by name', () => {
  it('picks the longest ending, case-insensitively', () => {
    expect(archiveKindOfName('Game (USA).tar.gz')?.id).toBe('tgz');
    expect(archiveKindOfName('Game.TGZ')?.id).toBe('tgz');
    expect(archiveKindOfName('game.gz')?.id).toBe('gz');
    expect(archiveKindOfName('game.TAR.BZ2')?.id).toBe('tbz2');
    expect(archiveKindOfName('game.bz2')?.id).toBe('bz2');
    expect(archiveKindOfName('game.tar.xz')?.id).toBe('txz');
    expect(archiveKindOfName('game.Zip')?.id).toBe('zip');
    expect(archiveKindOfName('game.7z')?.id).toBe('7z');
    expect(archiveKindOfName('game.lzma')?.id).toBe('lzma');
    expect(archiveKindOfName('game.lz')?.id).toBe('lz');
    expect(archiveKindOfName('game.Z')?.id).toBe('z');
  });

  it('ignores names that only contain an ending somewhere else', () => {
    for (const name of ['game.zipx', 'zip', 'game.gba', 'game.7zip', 'tar.gz.iso', 'x.gzip', 'game', '']) {
      expect(archiveKindOfName(name), name).toBeNull();
    }
  });

  it('marks readable only what the scanner decompresses', () => {
    expect(readableKindOfName('a.zip')).toBe('zip');
    expect(readableKindOfName('a.tar')).toBe('tar');
    expect(readableKindOfName('a.tar.gz')).toBe('tgz');
    expect(readableKindOfName('a.gz')).toBe('gz');
    for (const name of ['a.7z', 'a.rar', 'a.tar.bz2', 'a.tar.xz', 'a.xz', 'a.zst', 'a.gba']) expect(readableKindOfName(name), name).toBeNull();
  });

  it('knows which single files RomM hashes member by member', () => {
    for (const name of ['a.zip', 'a.tar', 'a.tar.gz', 'a.tgz', 'a.tar.bz2', 'a.tbz2', 'a.tar.xz', 'a.txz', 'a.7z', 'A.RAR']) {
      expect(isArchiveRomName(name), name).toBe(true);
    }
    for (const name of ['a.gz', 'a.bz2', 'a.xz', 'a.zst', 'a.iso', 'a.chd', 'zip']) expect(isArchiveRomName(name), name).toBe(false);
  });
});

describe('archive kinds by content', () => {
  it('recognises each signature', () => {
    expect(archiveKindOfHead(bytes(0x50, 0x4b, 0x03, 0x04, 0x14))?.id).toBe('zip');
    expect(archiveKindOfHead(gzipSync(Buffer.from('x')))?.id).toBe('gz');
    expect(archiveKindOfHead(Buffer.from('BZh91AY'))?.id).toBe('bz2');
    expect(archiveKindOfHead(bytes(0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c))?.id).toBe('7z');
    expect(archiveKindOfHead(bytes(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00))?.id).toBe('xz');
    expect(archiveKindOfHead(Buffer.from('Rar!\x1a\x07\x00'))?.id).toBe('rar');
    expect(archiveKindOfHead(bytes(0x28, 0xb5, 0x2f, 0xfd))?.id).toBe('zst');
    expect(archiveKindOfHead(Buffer.from('LZIP\x01'))?.id).toBe('lz');
  });

  it('needs the whole signature', () => {
    expect(archiveKindOfHead(bytes(0x50, 0x4b, 0x03))).toBeNull();
    expect(archiveKindOfHead(bytes(0x50, 0x4b, 0x05, 0x06))).toBeNull();
    expect(archiveKindOfHead(bytes(0x1f, 0x8b))).toBeNull();
    expect(archiveKindOfHead(bytes())).toBeNull();
    expect(archiveKindOfHead(Buffer.from('NES\x1a'))).toBeNull();
  });

  it('sniffs only kinds the scanner can read', () => {
    expect(readableKindOfHead(bytes(0x50, 0x4b, 0x03, 0x04))).toBe('zip');
    expect(readableKindOfHead(gzipSync(Buffer.from('x')))).toBe('gz');
    expect(readableKindOfHead(Buffer.from('BZh91AY'))).toBeNull();
    expect(readableKindOfHead(Buffer.from('Rar!\x1a\x07\x00'))).toBeNull();
  });

  it('reads enough bytes for every signature', () => {
    for (const kind of ARCHIVE_KINDS) for (const sig of kind.magic) expect(sig.length).toBeLessThanOrEqual(MAGIC_LENGTH);
    expect(MAGIC_LENGTH).toBe(4);
  });
});

describe('archive kinds table', () => {
  it('has unique ids, unique lower-case endings and no signature shared by two kinds', () => {
    const ids = ARCHIVE_KINDS.map((k) => k.id);
    expect(new Set(ids).size).toBe(ids.length);
    const suffixes = ARCHIVE_KINDS.flatMap((k) => k.suffixes);
    expect(new Set(suffixes).size).toBe(suffixes.length);
    for (const s of suffixes) expect(s).toMatch(/^\.[a-z0-9.]+$/);
    const sigs = ARCHIVE_KINDS.flatMap((k) => k.magic.map((m) => m.join(',')));
    expect(new Set(sigs).size).toBe(sigs.length);
  });

  it('gives media types', () => {
    expect(mediaTypeOf('zip')).toBe('application/zip');
    expect(mediaTypeOf('7z')).toBe('application/x-7z-compressed');
    for (const kind of ARCHIVE_KINDS) expect(kind.mediaType).toMatch(/^application\/[a-z0-9.+-]+$/);
  });
});
