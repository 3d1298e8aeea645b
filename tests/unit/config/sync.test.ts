import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config.ts';
import { loadSyncEnvironment } from '../../../src/config/sync.ts';

describe('sync transport variables', () => {
  it('has RomM\'s defaults, keys and known_hosts under DATA_PATH/sync', () => {
    expect(loadSyncEnvironment({}, '/data')).toEqual({
      root: path.join('/data', 'sync'), folderWatcher: false, folderScanDelayMinutes: 2, pushPull: false, pushPullCron: '*/30 * * * *',
      sshKeysPath: path.resolve('/data/sync/keys'), sshKnownHostsPath: path.resolve('/data/sync/known_hosts'),
    });
  });

  it('reads every variable and rejects a bad cron expression at start', () => {
    expect(loadSyncEnvironment({
      ENABLE_SYNC_FOLDER_WATCHER: 'true', SYNC_FOLDER_SCAN_DELAY: '0', ENABLE_SYNC_PUSH_PULL: '1', SYNC_PUSH_PULL_CRON: '0 */2 * * *',
      SYNC_SSH_KEYS_PATH: 'secrets/keys', SYNC_SSH_KNOWN_HOSTS_PATH: '/etc/ssh/ssh_known_hosts',
    }, '/data')).toMatchObject({
      folderWatcher: true, folderScanDelayMinutes: 0, pushPull: true, pushPullCron: '0 */2 * * *',
      sshKeysPath: path.resolve('secrets/keys'), sshKnownHostsPath: '/etc/ssh/ssh_known_hosts',
    });
    expect(() => loadSyncEnvironment({ SYNC_PUSH_PULL_CRON: 'every hour' }, '/data')).toThrow(ConfigError);
    expect(() => loadSyncEnvironment({ SYNC_FOLDER_SCAN_DELAY: '-1' }, '/data')).toThrow(ConfigError);
  });
});
