import { Type } from 'typebox';
import type { RouteModule } from '../deps.ts';
import { caller } from '../route-auth.ts';
import { errorResponses } from '../../contract/common.ts';
import { NoteCreateBody, NoteDeleted, NoteListQuery, NoteParams, NoteUpdateBody } from '../../contract/note.ts';
import { parseQueryBool } from '../../contract/query.ts';
import { RomIdParam } from '../../contract/rom-queries.ts';
import { UserNoteSchema } from '../../contract/rom.ts';

const tags = ['roms'];
const conflictResponses = { ...errorResponses, 409: errorResponses[400] };

/** Notes on a ROM (spec §6.9): everyone reads their own and public notes; only the author writes. */
export const noteRoutes: RouteModule = (app, { services }) => {
  const notes = services.notes;

  app.get('/api/roms/:id/notes', {
    config: { auth: { scopes: ['roms.read'] } },
    schema: { tags, params: RomIdParam, querystring: NoteListQuery, response: { 200: Type.Array(UserNoteSchema), ...errorResponses } },
  }, async (request) => notes.list(request.params.id, caller(request).user.id, {
    publicOnly: parseQueryBool(request.query.public_only, false),
    search: request.query.search,
    tags: request.query.tags,
  }));

  app.get('/api/roms/:id/notes/identifiers', {
    config: { auth: { scopes: ['roms.read'] } },
    schema: { tags, params: RomIdParam, response: { 200: Type.Array(Type.Integer()), ...errorResponses } },
  }, async (request) => notes.identifiers(request.params.id, caller(request).user.id));

  app.post('/api/roms/:id/notes', {
    config: { auth: { scopes: ['roms.user.write'] } },
    schema: { tags, params: RomIdParam, body: NoteCreateBody, response: { 200: UserNoteSchema, ...conflictResponses } },
  }, async (request) => notes.create(request.params.id, caller(request).user.id, request.body));

  app.put('/api/roms/:id/notes/:note_id', {
    config: { auth: { scopes: ['roms.user.write'] } },
    schema: { tags, params: NoteParams, body: NoteUpdateBody, response: { 200: UserNoteSchema, ...conflictResponses } },
  }, async (request) => notes.update(request.params.id, request.params.note_id, caller(request).user.id, request.body));

  app.delete('/api/roms/:id/notes/:note_id', {
    config: { auth: { scopes: ['roms.user.write'] } },
    schema: { tags, params: NoteParams, response: { 200: NoteDeleted, ...errorResponses } },
  }, async (request) => notes.delete(request.params.id, request.params.note_id, caller(request).user.id));
};
