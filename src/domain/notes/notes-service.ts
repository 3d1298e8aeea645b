/**
 * ROM notes (spec §6.9): a user sees their own notes and everyone's public ones; only the author can change or
 * delete a note (others get the same 404 as for a note that does not exist, so ids reveal nothing).
 * Differences from RomM: an empty title answers 422 and a duplicate title 409 (RomM: 500 for both).
 */
import type { RomEditRepository } from '../../db/repositories/rom-edit-repository.ts';
import type { NoteChanges, NotesRepository, NoteWithAuthor } from '../../db/repositories/notes-repository.ts';
import { conflict, notFound, unprocessable } from '../../common/errors.ts';
import { toUserNoteSchema } from '../roms/mapper-detail.ts';
import type { UserNoteSchema } from '../../contract/rom.ts';
import type { NoteCreateBody, NoteDeleted, NoteUpdateBody } from '../../contract/note.ts';
import type { RomVisibility } from '../roms/visibility.ts';

export interface NoteListQuery {
  publicOnly: boolean;
  search?: string | undefined;
  tags?: string[] | undefined;
}

const NOT_OWNED = 'Note not found or not owned by user';

export class NotesService {
  constructor(
    private readonly roms: RomEditRepository,
    private readonly repo: NotesRepository,
    private readonly visibility: Pick<RomVisibility, 'assertRom'>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The ROM exists and is not hidden from the caller (a hidden one answers the same 404). */
  private async requireRom(romId: number, userId: number): Promise<void> {
    if (!(await this.roms.findRom(romId))) throw notFound(`Rom with id '${romId}' not found`);
    await this.visibility.assertRom(romId, userId);
  }

  async list(romId: number, userId: number, q: NoteListQuery): Promise<UserNoteSchema[]> {
    await this.requireRom(romId, userId);
    const notes = await this.repo.listVisible(romId, userId, q.publicOnly);
    const search = q.search?.toLowerCase();
    const tags = q.tags ?? [];
    return notes
      .filter((n) => !search || n.title.toLowerCase().includes(search) || n.content.toLowerCase().includes(search))
      .filter((n) => tags.length === 0 || tags.every((t) => noteTags(n).includes(t)))
      .map(toUserNoteSchema);
  }

  async identifiers(romId: number, userId: number): Promise<number[]> {
    await this.requireRom(romId, userId);
    return (await this.repo.listVisible(romId, userId, false)).map((n) => Number(n.id));
  }

  async create(romId: number, userId: number, input: NoteCreateBody): Promise<UserNoteSchema> {
    await this.requireRom(romId, userId);
    const title = checkTitle(input.title);
    if (await this.repo.titleTaken(romId, userId, title)) throw duplicate();
    const now = this.now();
    let id: number;
    try {
      id = await this.repo.insert({
        rom_id: romId, user_id: userId, title, content: input.content ?? '', is_public: input.is_public ? 1 : 0,
        tags: JSON.stringify(input.tags ?? []), created_at: now, updated_at: now,
      });
    } catch (err) {
      if (await this.repo.titleTaken(romId, userId, title)) throw duplicate();
      throw err;
    }
    return this.owned(romId, id, userId);
  }

  async update(romId: number, noteId: number, userId: number, input: NoteUpdateBody): Promise<UserNoteSchema> {
    await this.requireRom(romId, userId);
    const set: NoteChanges = { updated_at: this.now() };
    if (input.title !== undefined) {
      set.title = checkTitle(input.title);
      if (await this.repo.titleTaken(romId, userId, set.title, noteId)) throw duplicate();
    }
    if (input.content !== undefined) set.content = input.content;
    if (input.is_public !== undefined) set.is_public = input.is_public ? 1 : 0;
    if (input.tags !== undefined) set.tags = JSON.stringify(input.tags);
    if (!(await this.repo.updateOwned(romId, noteId, userId, set))) throw notFound(NOT_OWNED);
    return this.owned(romId, noteId, userId);
  }

  async delete(romId: number, noteId: number, userId: number): Promise<NoteDeleted> {
    await this.requireRom(romId, userId);
    if (!(await this.repo.deleteOwned(romId, noteId, userId))) throw notFound(NOT_OWNED);
    return { message: 'Note deleted successfully' };
  }

  private async owned(romId: number, noteId: number, userId: number): Promise<UserNoteSchema> {
    const note = await this.repo.findOwned(romId, noteId, userId);
    if (!note) throw notFound(NOT_OWNED);
    return toUserNoteSchema(note);
  }
}

function checkTitle(title: string): string {
  if (!title.trim()) throw unprocessable('Note title cannot be empty');
  return title;
}

const duplicate = () => conflict('A note with this title already exists for this ROM');

function noteTags(n: NoteWithAuthor): string[] {
  try {
    const v: unknown = JSON.parse(n.tags);
    return Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}
