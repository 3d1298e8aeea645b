/**
 * PUT /api/roms/{id}/props (spec §6.5): the caller's own `rom_user` row, created on first write. The row is
 * always found by (rom id, caller id), so no request can reach another user's props. Does not touch
 * `roms.updated_at`.
 */
import type { RomEditRepository } from '../../db/repositories/rom-edit-repository.ts';
import type { RomUserRepository, RomUserSet } from '../../db/repositories/rom-user-repository.ts';
import { badRequest, notFound } from '../../common/errors.ts';
import { toRomUserSchema } from './mapper-parts.ts';
import type { RomUserSchema } from '../../contract/rom.ts';
import type { RomPropsBody } from '../../contract/rom-edit.ts';
import type { RomVisibility } from './visibility.ts';

export interface LastPlayedFlags {
  updateLastPlayed: boolean;
  removeLastPlayed: boolean;
}

const FLAGS = ['is_main_sibling', 'backlogged', 'now_playing', 'hidden'] as const;
const NUMBERS = ['rating', 'difficulty', 'completion'] as const;

export class RomPropsService {
  constructor(
    private readonly roms: RomEditRepository,
    private readonly repo: RomUserRepository,
    private readonly visibility: Pick<RomVisibility, 'assertRom'>,
    private readonly now: () => number = Date.now,
  ) {}

  async update(romId: number, userId: number, data: RomPropsBody, flags: LastPlayedFlags): Promise<RomUserSchema> {
    if (!(await this.roms.findRom(romId))) throw notFound(`Rom with id '${romId}' not found`);
    // A ROM hidden from the caller reads as missing (RomM 5), before anything is written.
    await this.visibility.assertRom(romId, userId);
    const now = this.now();
    // RomM creates the row before it checks the flags; keep that order so the observable state matches.
    await this.repo.findOrCreate(romId, userId, now);
    if (flags.updateLastPlayed && flags.removeLastPlayed) {
      throw badRequest('update_last_played and remove_last_played are mutually exclusive.');
    }

    const set: RomUserSet = { updated_at: now };
    // Explicit nulls on NOT NULL columns are ignored (RomM answers them with a database error).
    for (const k of FLAGS) if (typeof data[k] === 'boolean') set[k] = data[k] ? 1 : 0;
    for (const k of NUMBERS) if (typeof data[k] === 'number') set[k] = data[k];
    if ('status' in data && data.status !== undefined) set.status = data.status;
    if (flags.updateLastPlayed) set.last_played = now;
    else if (flags.removeLastPlayed) set.last_played = null;

    await this.repo.update(romId, userId, set);
    if (data.is_main_sibling === true) {
      await this.repo.clearMainSibling(userId, await this.repo.siblingIds(romId), now);
    }
    const row = await this.repo.find(romId, userId);
    return toRomUserSchema(row, now);
  }
}
