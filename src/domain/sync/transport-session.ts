import type { SlottedSave, SyncSessionsRepository, TransportDevice } from '../../db/repositories/sync-sessions-repository.ts';
import type { RomVisibility } from '../roms/visibility.ts';
import type { SyncEvents } from './sync-events.ts';

export type TransportRepo = Pick<
  SyncSessionsRepository,
  'create' | 'find' | 'start' | 'complete' | 'fail' | 'transportDevice' | 'transportDevicesByMode' | 'platformIdByFsSlug' |
  'slottedSavesOfPlatform' | 'syncMarks'
>;

/**
 * One sync session a transport runs for a device, with RomM's socket events: started, progress per file, conflict,
 * error, completed. Counters follow RomM: every processed file is completed, every thrown one failed.
 */
export class TransportSession {
  completed = 0;
  failed = 0;
  planned = 0;
  private readonly errors: string[] = [];

  constructor(
    private readonly repo: TransportRepo,
    private readonly events: SyncEvents,
    readonly device: TransportDevice,
    readonly id: number,
    private readonly now: () => number,
  ) {}

  /** A new session for the device, or the pending one the push-pull route created. */
  static async open(
    repo: TransportRepo, events: SyncEvents, device: TransportDevice, mode: string, now: () => number, sessionId?: number,
  ): Promise<TransportSession> {
    const existing = sessionId === undefined ? undefined : await repo.find(device.user_id, sessionId);
    const id = existing?.id ?? (await repo.create(device.user_id, device.id, now())).id;
    events.emit(device.user_id, { name: 'sync:started', payload: { device_id: device.id, session_id: id, sync_mode: mode } });
    return new TransportSession(repo, events, device, id, now);
  }

  async start(planned: number): Promise<void> {
    this.planned = planned;
    await this.repo.start(this.device.user_id, this.id, planned, this.now());
  }

  progress(currentFile: string | null): void {
    this.events.emit(this.device.user_id, {
      name: 'sync:progress',
      payload: {
        device_id: this.device.id, session_id: this.id, operations_completed: this.completed + this.failed,
        operations_planned: this.planned, current_file: currentFile,
      },
    });
  }

  conflict(fileName: string, romId: number, reason: string): void {
    this.events.emit(this.device.user_id, {
      name: 'sync:conflict', payload: { device_id: this.device.id, session_id: this.id, file_name: fileName, rom_id: romId, reason },
    });
  }

  /** A file that could not be processed: counted as failed, its reason kept for the session's error message. */
  fileFailed(fileName: string, err: unknown): void {
    this.failed++;
    this.errors.push(`${fileName}: ${messageOf(err)}`);
  }

  async finish(): Promise<void> {
    const { user_id: userId, id: deviceId } = this.device;
    const message = this.errors.length > 0 ? this.errors.join('; ') : undefined;
    await this.repo.complete(userId, this.id, this.completed, this.failed, this.now(), message);
    if (this.failed > 0) {
      this.events.emit(userId, {
        name: 'sync:error', payload: { device_id: deviceId, session_id: this.id, error: `${this.failed} file(s) failed to process` },
      });
    }
    this.events.emit(userId, {
      name: 'sync:completed',
      payload: { device_id: deviceId, session_id: this.id, operations_completed: this.completed, operations_failed: this.failed },
    });
  }

  /** The whole run failed (no connection, no host key, …): the session records why and `sync:error` says it. */
  async abort(err: unknown): Promise<void> {
    const message = messageOf(err);
    await this.repo.fail(this.device.user_id, this.id, message, this.now());
    this.events.emit(this.device.user_id, { name: 'sync:error', payload: { device_id: this.device.id, session_id: this.id, error: message } });
  }
}

export function messageOf(err: unknown): string {
  if (err && typeof err === 'object' && 'detail' in err && typeof err.detail === 'string') return err.detail;
  return err instanceof Error ? err.message : String(err);
}

/**
 * The user's slot saves of a platform that a device file may pair with (by file name), leaving out saves of ROMs
 * hidden from the user, as negotiation does; and the device's sync marks.
 */
export async function pairableSaves(
  repo: TransportRepo, visibility: Pick<RomVisibility, 'dropHidden'>, device: TransportDevice, platformId: number,
): Promise<{ saves: SlottedSave[]; marks: Awaited<ReturnType<TransportRepo['syncMarks']>> }> {
  const all = await repo.slottedSavesOfPlatform(device.user_id, platformId);
  const visible = new Set(await visibility.dropHidden([...new Set(all.map((s) => s.rom_id))], device.user_id));
  return { saves: all.filter((s) => visible.has(s.rom_id)), marks: await repo.syncMarks(device.user_id, device.id) };
}
