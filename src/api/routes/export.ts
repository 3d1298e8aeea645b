import { Type } from 'typebox';
import { parseQueryBool, QueryBool, QueryId, QueryList } from '../../contract/query.ts';
import { errorResponses } from '../../contract/common.ts';
import type { ExportRequest } from '../../domain/export/export-service.ts';
import type { RouteModule } from '../deps.ts';
import { caller } from '../route-auth.ts';
import type { FastifyRequest } from 'fastify';

const ExportQuery = Type.Object({
  platform_ids: Type.Optional(QueryList(QueryId({ description: 'List of platform IDs to export' }))),
  local_export: Type.Optional(QueryBool('Use local paths instead of URLs')),
});

type Query = { platform_ids?: number[] | undefined; local_export?: string | undefined };

/** The export request; the service checks the caller's role (only admins write into the library). */
function exportRequest(request: FastifyRequest, query: Query): ExportRequest {
  return {
    platformIds: query.platform_ids ?? [],
    localExport: parseQueryBool(query.local_export, false),
    baseUrl: `${request.protocol}://${request.host}`,
    callerRole: caller(request).user.role,
  };
}

/**
 * RomM's export routes: write gamelist.xml / metadata.pegasus.txt into the platforms' folders; 200 with an empty
 * body. RomM asks for roms.read only; romshelf also requires the admin role, since these write into the library.
 */
export const exportRoutes: RouteModule = (app, { services }) => {
  const schema = { tags: ['export'], querystring: ExportQuery, response: { 200: Type.String({ description: 'Empty body' }), ...errorResponses, 500: errorResponses[400] } };

  app.post('/api/export/gamelist-xml', { config: { auth: { scopes: ['roms.read'] } }, schema }, async (request, reply) => {
    await services.exports.exportGamelist(exportRequest(request, request.query));
    return reply.code(200).type('text/plain').send('');
  });

  app.post('/api/export/pegasus', { config: { auth: { scopes: ['roms.read'] } }, schema }, async (request, reply) => {
    await services.exports.exportPegasus(exportRequest(request, request.query));
    return reply.code(200).type('text/plain').send('');
  });
};
