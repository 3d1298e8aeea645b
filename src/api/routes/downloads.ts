import { sendDownload } from '../download-reply.ts';
import { truthy } from '../../domain/downloads/names.ts';
import type { RouteModule } from '../deps.ts';
import { caller, type RouteAuth } from '../route-auth.ts';
import { BulkDownloadQuery, RomContentParams, RomContentQuery, RomFileContentParams, downloadResponses } from '../../contract/downloads.ts';

const contentAuth: RouteAuth = { scopes: ['roms.read'], downloadEndpoint: true };
const bulkAuth: RouteAuth = { scopes: ['roms.read'] };

/**
 * Spec §6.1-6.3. HEAD routes are declared before their GET twins so Fastify does not derive them from the GET
 * handler (a HEAD of a zip needs its layout, not its CRCs).
 */
export const downloadRoutes: RouteModule = (app, { services }) => {
  const downloads = services.downloads;
  const tags = ['roms'];

  for (const method of ['HEAD', 'GET'] as const) {
    const head = method === 'HEAD';

    app.route({
      method,
      url: '/api/roms/:id/content/:file_name',
      config: { auth: contentAuth },
      schema: { tags, params: RomContentParams, querystring: RomContentQuery, response: downloadResponses },
      handler: async (request, reply) =>
        sendDownload(request, reply, head, await downloads.romContent({
          userId: request.auth?.user.id ?? null,
          romId: request.params.id,
          fileName: request.params.file_name,
          fileIds: request.query.file_ids,
          hiddenFolder: truthy(request.query.hidden_folder),
          withCrcs: !head,
        })),
    });

    app.route({
      method,
      url: '/api/roms/:id/files/content/:file_name',
      config: { auth: contentAuth },
      schema: { tags, params: RomFileContentParams, response: downloadResponses },
      handler: async (request, reply) => sendDownload(request, reply, head, await downloads.romFile(request.params.id, request.auth?.user.id ?? null)),
    });

    app.route({
      method,
      url: '/api/roms/download',
      config: { auth: bulkAuth },
      schema: { tags, querystring: BulkDownloadQuery, response: downloadResponses },
      handler: async (request, reply) => {
        const q = request.query;
        return sendDownload(request, reply, head, await downloads.bulk({
          userId: caller(request).user.id,
          romIds: q.rom_ids,
          platformId: q.platform_id,
          collectionId: q.collection_id,
          virtualCollectionId: q.virtual_collection_id,
          smartCollectionId: q.smart_collection_id,
          filename: q.filename,
          withCrcs: !head,
        }));
      },
    });
  }
};
