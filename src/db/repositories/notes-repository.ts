import type { Kysely } from 'kysely';
import type { Db, EngineCapabilities } from '../engine.ts';
import { insertReturningId } from './collections-sql.ts';
import type { Database } from '../schema.ts';
import { visibleTo } from './visibility.ts';

/** A note with its author, the shape the UserNoteSchema mapper reads. */
export interface NoteWithAuthor {
  id: number;
  rom_id: number;
  title: string;
  content: string;
  is_public: number;
  tags: string;
  created_at: number;
  updated_at: number;
  user_id: number;
  username: string;
  avatar_path: string;
  user_updated_at: number;
}

export interface NewNote {
  rom_id: number;
  user_id: number;
  title: string;
  content: string;
  is_public: number;
  tags: string;
  created_at: number;
  updated_at: number;
}

export type NoteChanges = Partial<Pick<NewNote, 'title' | 'content' | 'is_public' | 'tags'>> & { updated_at: number };

/** `rom_notes`. Every read and write that can reveal or change a note is scoped by rom and by owner or visibility. */
export class NotesRepository {
  private readonly db: Kysely<Database>;
  private readonly caps: EngineCapabilities;

  constructor(db: Db) {
    this.db = db.kysely;
    this.caps = db.caps;
  }

  private withAuthor() {
    return this.db.selectFrom('rom_notes as n').innerJoin('users as u', 'u.id', 'n.user_id').select([
      'n.id', 'n.rom_id', 'n.title', 'n.content', 'n.is_public', 'n.tags', 'n.created_at', 'n.updated_at', 'n.user_id',
      'u.username', 'u.avatar_path', 'u.updated_at as user_updated_at',
    ]);
  }

  /** The caller's notes plus everyone's public notes on the ROM (or public ones only), newest first. */
  listVisible(romId: number, userId: number, publicOnly: boolean): Promise<NoteWithAuthor[]> {
    let q = this.withAuthor().where('n.rom_id', '=', romId);
    q = q.where(visibleTo(publicOnly ? null : userId, 'n.user_id', 'n.is_public'));
    return q.orderBy('n.updated_at', 'desc').orderBy('n.id', 'desc').execute();
  }

  findOwned(romId: number, noteId: number, userId: number): Promise<NoteWithAuthor | undefined> {
    return this.withAuthor().where('n.id', '=', noteId).where('n.rom_id', '=', romId).where('n.user_id', '=', userId).executeTakeFirst();
  }

  async titleTaken(romId: number, userId: number, title: string, exceptId?: number): Promise<boolean> {
    let q = this.db.selectFrom('rom_notes').select('id').where('rom_id', '=', romId).where('user_id', '=', userId).where('title', '=', title);
    if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
    return (await q.executeTakeFirst()) !== undefined;
  }

  insert(note: NewNote): Promise<number> {
    return insertReturningId(this.caps, this.db.insertInto('rom_notes').values(note));
  }

  async updateOwned(romId: number, noteId: number, userId: number, set: NoteChanges): Promise<boolean> {
    const r = await this.db.updateTable('rom_notes').set(set)
      .where('id', '=', noteId).where('rom_id', '=', romId).where('user_id', '=', userId).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async deleteOwned(romId: number, noteId: number, userId: number): Promise<boolean> {
    const r = await this.db.deleteFrom('rom_notes').where('id', '=', noteId).where('rom_id', '=', romId).where('user_id', '=', userId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
