import { notFound } from '../../common/errors.ts';
import { isoFromMs, nowMs } from '../../common/time.ts';
import type { ActivityClearSchema, ActivityEntrySchema } from '../../contract/play-sessions.ts';
import type { DevicesRepository } from '../../db/repositories/devices-repository.ts';
import type { ActivityRomInfo, PlaySessionsRepository } from '../../db/repositories/play-sessions-repository.ts';
import type { UserRow } from '../../db/repositories/users-repository.ts';
import { parseObject, parseStringArray, RESOURCES_PREFIX } from '../roms/mapper-parts.ts';
import type { RomVisibility } from '../roms/visibility.ts';

/** RomM's TTL of a "now playing" entry; devices repeat their heartbeat well within it. */
export const ACTIVITY_TTL_MS = 90_000;

/** The `download_path` of the screenshot of the player's latest save of a ROM, when saves have one. */
export type LatestSaveScreenshot = (userId: number, romId: number) => Promise<string | null>;

export type ActivityEvent =
  | { type: 'update'; entry: ActivityEntrySchema }
  | { type: 'clear'; payload: ActivityClearSchema };

/**
 * RomM 5's live "now playing" board. RomM keeps it in Redis with a TTL; here each (user, device) is a database row
 * with `expires_at`, so every process sharing the database sees the same board. Entries name their user, ROM and
 * platform as they are when read. Changes are announced to subscribers (the socket server broadcasts them).
 */
export class ActivityService {
  private readonly listeners = new Set<(event: ActivityEvent) => void>();

  constructor(
    private readonly repo: PlaySessionsRepository,
    private readonly devices: DevicesRepository,
    private readonly visibility: RomVisibility,
    private readonly latestSaveScreenshot: LatestSaveScreenshot = () => Promise.resolve(null),
    private readonly ttlMs = ACTIVITY_TTL_MS,
  ) {}

  subscribe(listener: (event: ActivityEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every live entry of every user, minus those whose ROM is hidden from the caller (RomM's `_visible_activity`). */
  async list(viewerId: number, romId?: number): Promise<ActivityEntrySchema[]> {
    const rows = await this.repo.listActivity(nowMs(), romId);
    const visible = new Set(await this.visibility.dropHidden([...new Set(rows.map((r) => Number(r.rom_id)))], viewerId));
    const roms = new Map<number, ActivityRomInfo | undefined>();
    const out: ActivityEntrySchema[] = [];
    for (const row of rows) {
      const rid = Number(row.rom_id);
      if (!visible.has(rid)) continue;
      if (!roms.has(rid)) roms.set(rid, await this.repo.romInfo(rid));
      const rom = roms.get(rid);
      if (!rom) continue;
      const userId = Number(row.user_id);
      out.push(toEntry(
        { id: userId, username: row.username, avatar_path: row.avatar_path },
        rom, row.device_id, row.device_type, row.started_at, await this.latestSaveScreenshot(userId, rid),
      ));
    }
    return out;
  }

  /** POST /api/activity/heartbeat: the device must be the caller's; the ROM must exist and be visible to them. */
  async heartbeat(user: UserRow, romId: number, deviceId: string): Promise<ActivityEntrySchema> {
    const rom = await this.visibleRom(user.id, romId);
    if (!rom) throw notFound(`ROM ${romId} not found`);
    const device = await this.devices.find(user.id, deviceId);
    if (!device) throw notFound(`Device ${deviceId} not found for this user`);
    const entry = await this.store(user, rom, device.id, device.client || 'unknown', true);
    await this.devices.update(user.id, device.id, { last_seen: nowMs() });
    return entry;
  }

  /**
   * `activity:start` / `activity:heartbeat` from a signed-in socket: unknown or hidden ROMs are ignored (null), the
   * device need not be registered (then it shows as `web`).
   */
  async fromSocket(user: UserRow, romId: number, deviceId: string, keepStart: boolean): Promise<ActivityEntrySchema | null> {
    const rom = await this.visibleRom(user.id, romId);
    if (!rom) return null;
    const device = await this.devices.find(user.id, deviceId);
    return this.store(user, rom, deviceId, device?.client || 'web', keepStart);
  }

  /** Ends the (user, device) entry now; announces it when one was live. */
  async clear(userId: number, deviceId: string): Promise<void> {
    const romId = await this.repo.clearActivity(userId, deviceId, nowMs());
    if (romId !== null) this.emit({ type: 'clear', payload: { user_id: userId, device_id: deviceId, rom_id: romId } });
  }

  private async visibleRom(userId: number, romId: number): Promise<ActivityRomInfo | undefined> {
    if (!(await this.visibility.canSeeRom(romId, userId))) return undefined;
    return this.repo.romInfo(romId);
  }

  private async store(user: UserRow, rom: ActivityRomInfo, deviceId: string, deviceType: string, keepStart: boolean): Promise<ActivityEntrySchema> {
    const now = nowMs();
    const existing = keepStart ? await this.repo.findActivity(user.id, deviceId, now) : undefined;
    const startedAt = existing?.started_at ?? isoFromMs(now);
    await this.repo.putActivity({
      user_id: user.id, device_id: deviceId, rom_id: rom.id, device_type: deviceType, started_at: startedAt, expires_at: now + this.ttlMs,
    }, now);
    const entry = toEntry(user, rom, deviceId, deviceType, startedAt, await this.latestSaveScreenshot(user.id, rom.id));
    this.emit({ type: 'update', entry });
    return entry;
  }

  private emit(event: ActivityEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

function toEntry(
  user: { id: number; username: string; avatar_path: string | null }, rom: ActivityRomInfo, deviceId: string, deviceType: string,
  startedAt: string, saveScreenshot: string | null,
): ActivityEntrySchema {
  return {
    user_id: Number(user.id),
    username: user.username,
    avatar_path: user.avatar_path || '',
    rom_id: rom.id,
    rom_name: rom.name || rom.fs_name,
    rom_cover_path: rom.path_cover_s || '',
    screenshot_path: saveScreenshot || screenshotPath(rom),
    platform_slug: rom.platform_slug || '',
    platform_name: rom.platform_custom_name || rom.platform_name || '',
    device_id: deviceId,
    device_type: deviceType,
    started_at: startedAt,
  };
}

/** RomM's "where they are" image after the latest save's screenshot: the title screen from ScreenScraper or gamelist.xml, else the first screenshot. */
function screenshotPath(rom: ActivityRomInfo): string {
  const title = parseObject(rom.ss_metadata)?.title_screen_path || parseObject(rom.gamelist_metadata)?.title_screen_path;
  if (typeof title === 'string' && title) return `${RESOURCES_PREFIX}/${title}`;
  const first = parseStringArray(rom.path_screenshots)[0];
  return first ? `${RESOURCES_PREFIX}/${first}` : '';
}
