import { Readable } from 'node:stream';
import { errorResponses } from '../../contract/common.ts';
import { DatFileResponse, DatPlatformQuery, DatRenameQuery, DatRenameResultSchema, DatReportSchema, DatVerifyResultSchema } from '../../contract/dat-reports.ts';
import type { RouteModule } from '../deps.ts';
import type { RouteAuth } from '../route-auth.ts';

const tags = ['dats'];
const read: RouteAuth = { scopes: ['platforms.read'] };
const write: RouteAuth = { scopes: ['platforms.write'] };

/** Verification results of a platform against its DATs (docs/dats.md). */
export const datReportRoutes: RouteModule = (app, { services }) => {
  const reports = services.datReports;

  app.get('/api/dats/report', {
    config: { auth: read },
    schema: { tags, querystring: DatPlatformQuery, response: { 200: DatReportSchema, ...errorResponses } },
  }, async (request) => reports.report(await services.romVisibility.visiblePlatform(request.auth?.user.id ?? null, request.query.platform_id)));

  app.get('/api/dats/report.csv', {
    config: { auth: read },
    schema: { tags, querystring: DatPlatformQuery, response: { 200: DatFileResponse, ...errorResponses } },
  }, async (request, reply) => {
    const platformId = await services.romVisibility.visiblePlatform(request.auth?.user.id ?? null, request.query.platform_id);
    const { fileName, chunks } = await reports.csv(platformId);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${fileName}"`).send(Readable.from(chunks) as never);
  });

  app.get('/api/dats/fixdat', {
    config: { auth: read },
    schema: { tags, querystring: DatPlatformQuery, response: { 200: DatFileResponse, ...errorResponses } },
  }, async (request, reply) => {
    const platformId = await services.romVisibility.visiblePlatform(request.auth?.user.id ?? null, request.query.platform_id);
    const { fileName, chunks } = await reports.fixdat(platformId);
    return reply.type('application/xml; charset=utf-8').header('content-disposition', `attachment; filename="${fileName}"`).send(Readable.from(chunks) as never);
  });

  app.post('/api/dats/rename', {
    config: { auth: write },
    schema: { tags, querystring: DatRenameQuery, response: { 200: DatRenameResultSchema, ...errorResponses } },
  }, async (request) => {
    const platformId = await services.romVisibility.visiblePlatform(request.auth?.user.id ?? null, request.query.platform_id);
    const result = await reports.renameToDat(platformId, request.query.dry_run !== false);
    if (!result.dry_run && result.renames.length > 0) await services.datVerification.run({ platformIds: [platformId] });
    return result;
  });

  app.post('/api/dats/verify', {
    config: { auth: write },
    schema: { tags, response: { 200: DatVerifyResultSchema, ...errorResponses } },
  }, async () => services.datVerification.run());
};
