import { describe, expect, it } from 'vitest';
import { compareSaveState } from '../../../src/domain/sync/sync-service.ts';

describe('compareSaveState (RomM compare_save_state)', () => {
  const T = 1_700_000_000_000;
  it.each([
    ['identical hashes win over everything', ['h', T + 5, 'h', T + 9, T], 'no_op', 'Content is identical'],
    ['both changed since the sync', ['a', T + 1, 'b', T + 1, T], 'conflict', 'Both sides changed since last sync'],
    ['only the client changed', ['a', T + 1, 'b', T, T], 'upload', 'Client save is newer than last sync'],
    ['only the server changed', ['a', T - 1, 'b', T + 1, T], 'download', 'Server save is newer than last sync'],
    ['neither changed', ['a', T, 'b', T - 5, T], 'no_op', 'No changes since last sync'],
    ['no history, client newer', ['a', T + 1, 'b', T, null], 'upload', 'Client save is newer (no sync history)'],
    ['no history, server newer', ['a', T, 'b', T + 1, null], 'download', 'Server save is newer (no sync history)'],
    ['no history, same time, other hash', ['a', T, 'b', T, null], 'conflict', 'Same timestamp but different content'],
    ['no history, same time, one hash missing', [null, T, 'b', T, null], 'conflict', 'Same timestamp but different content'],
    ['no history, same time, empty versus missing hash', ['', T, null, T, null], 'conflict', 'Same timestamp but different content'],
    ['no history, same time, no hashes', [null, T, null, T, null], 'no_op', 'Saves appear identical'],
    ['no history, same time, both empty hashes', ['', T, '', T, null], 'no_op', 'Saves appear identical'],
  ] as const)('%s', (_name, args, action, reason) => {
    const [clientHash, clientAt, serverHash, serverAt, syncedAt] = args;
    expect(compareSaveState(clientHash, clientAt, serverHash, serverAt, syncedAt)).toEqual({ action, reason });
  });
});
