import type { NoteWithAuthor } from '../../db/repositories/notes-repository.ts';
import type { RomRow } from '../../db/repositories/roms-read-repository.ts';
import { parseJson } from './mapper-parts.ts';
import { datFields, toRomSchema, type RomExtras } from './mapper.ts';
import { isoFromMs } from '../../common/time.ts';
import type { DetailedRomSchema, UserCollectionSchema, UserNoteSchema } from '../../contract/rom.ts';

/** `DetailedRomSchema` (spec §5.2): RomSchema with every file, plus the caller's collections and notes. */

/** A note with its author, as the notes and ROM-detail queries return it. */
export type NoteRow = Omit<NoteWithAuthor, 'rom_id'>;

export function toUserNoteSchema(n: NoteRow): UserNoteSchema {
  const tags = parseJson(n.tags);
  return {
    id: Number(n.id),
    title: n.title,
    content: n.content,
    is_public: !!n.is_public,
    tags: Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : null,
    created_at: isoFromMs(Number(n.created_at)),
    updated_at: isoFromMs(Number(n.updated_at)),
    user_id: Number(n.user_id),
    username: n.username,
    user_avatar_path: n.avatar_path ?? '',
    user_updated_at: isoFromMs(Number(n.user_updated_at)),
  };
}

/** The caller's own saves, states and screenshots of a ROM, newest first (spec §6.8). */
export interface UserAssets {
  saves: readonly object[];
  states: readonly object[];
  screenshots: readonly object[];
  /** The caller's and other users' public rows, with their owners. */
  allSaves: readonly object[];
  allStates: readonly object[];
  allScreenshots: readonly object[];
}

export const EMPTY_ASSETS: UserAssets = Object.freeze({ saves: [], states: [], screenshots: [], allSaves: [], allStates: [], allScreenshots: [] });

export function toDetailedRomSchema(
  rom: RomRow, extras: RomExtras, notes: NoteRow[], collections: UserCollectionSchema[], assets: UserAssets = EMPTY_ASSETS,
): DetailedRomSchema {
  return {
    ...toRomSchema(rom, extras, extras.files),
    user_saves: [...assets.saves],
    user_states: [...assets.states],
    all_user_saves: [...assets.allSaves],
    all_user_states: [...assets.allStates],
    user_screenshots: [...assets.screenshots],
    all_user_screenshots: [...assets.allScreenshots],
    user_collections: collections,
    all_user_notes: notes.map(toUserNoteSchema),
    ...datFields(rom),
  };
}
