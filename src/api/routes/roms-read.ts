import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { cleanText } from '../../common/text.ts';
import type { RouteModule } from '../deps.ts';
import { errorResponses, Nullable } from '../../contract/common.ts';
import { parseQueryBool, parseQueryDateTime } from '../../contract/query.ts';
import { DetailedRomSchema, RomFileSchema, RomFiltersDict, RomListPage, SimpleRomSchema } from '../../contract/rom.ts';
import {
  ByHashQuery, ByMetadataProviderQuery, PROVIDER_ID_PARAMS, RomIdParam, RomListQuery, RomRandomQuery, type ProviderIdLookup,
} from '../../contract/rom-queries.ts';

const read = { auth: { scopes: ['roms.read' as const] } };
const download = { auth: { scopes: ['roms.read' as const], downloadEndpoint: true } };
const tags = ['roms'];

const userIdOf = (request: FastifyRequest): number | null => request.auth?.user.id ?? null;

/**
 * Large bodies (a 100k-id index, pages of 10,000 ROMs) are written with the native JSON.stringify: the mappers
 * already produce exactly the schema's fields and order, and the schema-driven serializer costs tens of ms here.
 */
function sendJson(reply: FastifyReply, body: unknown): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(body));
}

/** Booleans and dates of a query string parsed with FastAPI's rules; other values pass through. */
function normalizeQuery(query: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    if (key === 'updated_after') out[key] = parseQueryDateTime(key, value as string);
    else if (typeof value === 'string' && BOOL_KEYS.has(key)) out[key] = parseQueryBool(value);
    else out[key] = value;
  }
  return out;
}

const BOOL_KEYS = new Set([
  'matched', 'favorite', 'duplicate', 'last_played', 'playable', 'missing', 'has_ra', 'has_saves', 'has_states',
  'verified', 'has_soundtrack', 'group_by_meta_id', 'group_by_dat_parent', 'with_files', 'with_char_index', 'with_filter_values',
  'with_rom_id_index', 'with_total',
]);

export const romsReadRoutes: RouteModule = (app, { services }) => {
  const roms = services.romsRead;

  app.get('/api/roms', {
    config: read,
    schema: { tags, querystring: RomListQuery, response: { 200: RomListPage, ...errorResponses } },
  }, async (request, reply) => {
    const q = normalizeQuery(request.query);
    return sendJson(reply, await roms.list(q, {
      limit: Number(q.limit ?? 50),
      offset: Number(q.offset ?? 0),
      orderBy: cleanText(typeof q.order_by === 'string' ? q.order_by : '', 200),
      orderDir: typeof q.order_dir === 'string' ? q.order_dir : 'asc',
      groupByMetaId: q.group_by_meta_id === true,
      groupByDatParent: q.group_by_dat_parent === true,
      withCharIndex: q.with_char_index !== false,
      withFilterValues: q.with_filter_values !== false,
      withRomIdIndex: q.with_rom_id_index !== false,
      withTotal: q.with_total !== false,
      withFiles: q.with_files === true,
    }, userIdOf(request)));
  });

  app.get('/api/roms/identifiers', {
    config: read,
    schema: { tags, response: { 200: Type.Array(Type.Integer()), ...errorResponses } },
  }, async (request, reply) => sendJson(reply, await roms.identifiers(userIdOf(request))));

  app.get('/api/roms/random', {
    config: read,
    schema: { tags, querystring: RomRandomQuery, response: { 200: Nullable(SimpleRomSchema), ...errorResponses } },
  }, async (request) => roms.random(request.query, userIdOf(request)));

  app.get('/api/roms/filters', {
    config: read,
    schema: { tags, response: { 200: RomFiltersDict, ...errorResponses } },
  }, async () => roms.filters());

  app.get('/api/roms/by-metadata-provider', {
    config: download,
    schema: { tags, querystring: ByMetadataProviderQuery, response: { 200: DetailedRomSchema, ...errorResponses } },
  }, async (request) => {
    const q = request.query;
    const lookup: ProviderIdLookup = {};
    for (const key of PROVIDER_ID_PARAMS) if (q[key] !== undefined) lookup[key] = q[key];
    if (q.flashpoint_id !== undefined) lookup.flashpoint_id = cleanText(q.flashpoint_id, 100);
    return roms.byProviderIds(lookup, userIdOf(request));
  });

  app.get('/api/roms/by-hash', {
    config: download,
    schema: { tags, querystring: ByHashQuery, response: { 200: DetailedRomSchema, ...errorResponses } },
  }, async (request) => {
    const clean = (v: string | undefined) => (v === undefined ? undefined : cleanText(v, 200));
    const q = request.query;
    return roms.byHash({
      crc_hash: clean(q.crc_hash), md5_hash: clean(q.md5_hash), sha1_hash: clean(q.sha1_hash), ra_hash: clean(q.ra_hash),
    }, userIdOf(request));
  });

  app.get('/api/roms/:id', {
    config: download,
    schema: { tags, params: RomIdParam, response: { 200: DetailedRomSchema, ...errorResponses } },
  }, async (request) => roms.detailed(request.params.id, userIdOf(request)));

  app.get('/api/roms/:id/simple', {
    config: download,
    schema: { tags, params: RomIdParam, response: { 200: SimpleRomSchema, ...errorResponses } },
  }, async (request) => roms.simple(request.params.id, userIdOf(request)));

  // RomM's quirk: the id here is a RomFile id (spec §12.1).
  app.get('/api/roms/:id/files', {
    config: read,
    schema: { tags, params: RomIdParam, response: { 200: RomFileSchema, ...errorResponses } },
  }, async (request) => roms.file(request.params.id, userIdOf(request)));
};
