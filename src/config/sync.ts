import path from 'node:path';
import { CronError, parseCron } from '../common/cron.ts';
import { bool, ConfigError, int, str, type Env } from './env-values.ts';

/** RomM 5's save-sync transports: the sync folder watcher (file transfer) and push-pull over SSH. */
export interface SyncEnvironment {
  /** `DATA_PATH/sync`: one folder per file-transfer device (`incoming/`, `outgoing/`, `conflicts/`). */
  root: string;
  /** ENABLE_SYNC_FOLDER_WATCHER: ingest files devices drop in `incoming/`; also enables the manual folder scan. */
  folderWatcher: boolean;
  /** SYNC_FOLDER_SCAN_DELAY: minutes a file's size and mtime must stay unchanged before it is ingested (RomM: 2). */
  folderScanDelayMinutes: number;
  /** ENABLE_SYNC_PUSH_PULL: the periodic push-pull run over SSH. */
  pushPull: boolean;
  /** SYNC_PUSH_PULL_CRON: when the periodic push-pull runs (five-field cron, server local time). */
  pushPullCron: string;
  /** SYNC_SSH_KEYS_PATH: private keys, one `<device_id>.pem` per device. */
  sshKeysPath: string;
  /** SYNC_SSH_KNOWN_HOSTS_PATH: the host keys a device must present; push-pull refuses to connect without it. */
  sshKnownHostsPath: string;
}

export function loadSyncEnvironment(env: Env, dataPath: string): SyncEnvironment {
  const root = path.join(dataPath, 'sync');
  const pushPullCron = str(env, 'SYNC_PUSH_PULL_CRON', '*/30 * * * *');
  try {
    parseCron(pushPullCron);
  } catch (err) {
    if (err instanceof CronError) throw new ConfigError(`SYNC_PUSH_PULL_CRON=${err.message}`);
    throw err;
  }
  return {
    root,
    folderWatcher: bool(env, 'ENABLE_SYNC_FOLDER_WATCHER', false),
    folderScanDelayMinutes: int(env, 'SYNC_FOLDER_SCAN_DELAY', 2, 0, 24 * 60),
    pushPull: bool(env, 'ENABLE_SYNC_PUSH_PULL', false),
    pushPullCron,
    sshKeysPath: path.resolve(str(env, 'SYNC_SSH_KEYS_PATH', path.join(root, 'keys'))),
    sshKnownHostsPath: path.resolve(str(env, 'SYNC_SSH_KNOWN_HOSTS_PATH', path.join(root, 'known_hosts'))),
  };
}
