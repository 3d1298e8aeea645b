import { describe, expect, it } from 'vitest';
import { digestsMatch, gameCompleteness, romStatus, verifyFile, type DatRomEntry, type FileForVerification } from '../../../src/dats/verify-status.ts';

const entry = (over: Partial<DatRomEntry>): DatRomEntry => ({
  datId: 1, gameId: 1, gameName: 'Super Mario Bros. (World)', romName: 'Super Mario Bros. (World).nes',
  size: 40960, crc: '3337ec46', md5: '811b027eaf99c2def7b933c5208636de', sha1: 'ea343f4e445a9050d4b4fbac2c77d0693b1d0922', status: null, ...over,
});
const file = (over: Partial<FileForVerification> = {}): FileForVerification => ({
  name: 'Super Mario Bros. (World).nes',
  digests: { size: 40960, crc: '3337EC46', md5: '811b027eaf99c2def7b933c5208636de', sha1: 'EA343F4E445A9050D4B4FBAC2C77D0693B1D0922' },
  ...over,
});

describe('digestsMatch', () => {
  it('lets the strongest shared hash decide, case-insensitively, and needs the size', () => {
    expect(digestsMatch(file().digests, entry({}))).toBe(true);
    expect(digestsMatch({ ...file().digests, size: 40961 }, entry({}))).toBe(false);
    // Same CRC but a different SHA-1: not a match.
    expect(digestsMatch({ ...file().digests, sha1: '0'.repeat(40) }, entry({}))).toBe(false);
    // A DAT with CRC only (common in MAME software lists) matches on CRC and size.
    expect(digestsMatch(file().digests, entry({ md5: null, sha1: null }))).toBe(true);
    expect(digestsMatch({ size: 40960 }, entry({}))).toBe(false);
  });
});

describe('verifyFile', () => {
  it('verified: same name, size and hashes', () => {
    expect(verifyFile(file(), [entry({})])).toMatchObject({ status: 'verified', matchedBy: 'raw', entry: { gameId: 1 } });
  });

  it('renamed: the hashes belong to an entry of another name', () => {
    expect(verifyFile(file({ name: 'smb.nes' }), [entry({})]).status).toBe('renamed');
  });

  it('bad_dump: the name is listed with other hashes, or the matching entry is a known bad dump', () => {
    const other = file({ digests: { size: 40960, crc: 'deadbeef', md5: null, sha1: '1'.repeat(40) } });
    expect(verifyFile(other, [entry({})])).toMatchObject({ status: 'bad_dump', matchedBy: null });
    expect(verifyFile(file(), [entry({ status: 'baddump' })]).status).toBe('bad_dump');
  });

  it('unknown: nothing shares a hash or the name', () => {
    expect(verifyFile(file({ name: 'Homebrew.nes', digests: { size: 1, crc: '00000000' } }), [entry({})])).toEqual({ status: 'unknown', entry: null, matchedBy: null });
    expect(verifyFile(file(), []).status).toBe('unknown');
  });

  it('a headered dump matches through its headerless hashes; a CHD through the SHA-1 in its header', () => {
    const headered = file({ digests: { size: 40976, crc: 'aaaaaaaa', md5: null, sha1: '2'.repeat(40) }, headerless: file().digests });
    expect(verifyFile(headered, [entry({})])).toMatchObject({ status: 'verified', matchedBy: 'headerless' });
    const chd = file({ name: 'Game (USA).chd', digests: { size: 5, sha1: '3'.repeat(40) }, chdSha1: '4'.repeat(40) });
    expect(verifyFile(chd, [entry({ gameName: 'Game (USA)', romName: 'Game (USA).chd', size: null, crc: null, md5: null, sha1: '4'.repeat(40) })]))
      .toMatchObject({ status: 'verified', matchedBy: 'chd' });
  });

  it('a zip named after the game verifies through its alias; the named entry wins a tie', () => {
    const member = file({ name: 'smb.nes', aliases: ['Super Mario Bros. (World).zip'] });
    expect(verifyFile(member, [entry({})]).status).toBe('verified');
    const twin = entry({ gameId: 2, gameName: 'Super Mario Bros. (Europe)', romName: 'Super Mario Bros. (Europe).nes' });
    expect(verifyFile(file(), [twin, entry({})])).toMatchObject({ status: 'verified', entry: { gameId: 1 } });
    expect(verifyFile(file({ name: 'x.nes' }), [twin, entry({})])).toMatchObject({ status: 'renamed', entry: { gameId: 1 } });
  });
});

describe('romStatus and gameCompleteness', () => {
  it('a ROM is as good as its worst known file; unlisted extras do not count', () => {
    expect(romStatus([])).toBe('unknown');
    expect(romStatus(['unknown', 'unknown'])).toBe('unknown');
    expect(romStatus(['verified', 'unknown'])).toBe('verified');
    expect(romStatus(['verified', 'renamed'])).toBe('renamed');
    expect(romStatus(['verified', 'bad_dump', 'renamed'])).toBe('bad_dump');
  });

  it('a Redump disc is complete only with its cue and every track present and good', () => {
    const names = ['Game (USA).cue', 'Game (USA) (Track 1).bin', 'Game (USA) (Track 2).bin'];
    const all = new Map([[names[0]!, 'verified' as const], [names[1]!, 'verified' as const], [names[2]!, 'renamed' as const]]);
    expect(gameCompleteness('Game (USA)', names, all)).toEqual({ gameName: 'Game (USA)', complete: true, missing: [], bad: [] });
    const partial = new Map([[names[0]!, 'verified' as const], [names[1]!, 'bad_dump' as const]]);
    expect(gameCompleteness('Game (USA)', names, partial)).toEqual({ gameName: 'Game (USA)', complete: false, missing: [names[2]], bad: [names[1]] });
  });
});
