import { Type, type Static } from 'typebox';
import { QueryBool, QueryId, QueryList } from './query.ts';

/** Request schemas of the note routes (spec §6.9); responses use UserNoteSchema from rom.ts. */

export const NoteParams = Type.Object({ id: QueryId(), note_id: QueryId() });

export const NoteListQuery = Type.Object({
  public_only: Type.Optional(QueryBool('Only return public notes')),
  search: Type.Optional(Type.String({ maxLength: 1000, description: 'Search notes by title or content' })),
  tags: Type.Optional(QueryList(Type.String({ maxLength: 200 }))),
});

// An empty or blank title is a 422 (RomM answers 500).
const Title = Type.String({ minLength: 1, maxLength: 400, pattern: '\\S' });
const Content = Type.String({ maxLength: 200_000 });
const Tags = Type.Array(Type.String({ maxLength: 200 }), { maxItems: 200 });

export const NoteCreateBody = Type.Object({
  title: Title,
  content: Type.Optional(Content),
  is_public: Type.Optional(Type.Boolean()),
  tags: Type.Optional(Tags),
});

export const NoteUpdateBody = Type.Object({
  title: Type.Optional(Title),
  content: Type.Optional(Content),
  is_public: Type.Optional(Type.Boolean()),
  tags: Type.Optional(Tags),
});

export const NoteDeleted = Type.Object({ message: Type.String() });

export type NoteCreateBody = Static<typeof NoteCreateBody>;
export type NoteUpdateBody = Static<typeof NoteUpdateBody>;
export type NoteDeleted = Static<typeof NoteDeleted>;
