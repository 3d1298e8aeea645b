import { Type } from 'typebox';
import { errorResponses } from '../../contract/common.ts';
import { QueryId } from '../../contract/query.ts';
import {
  SyncCompletePayload, SyncCompleteResponse, SyncNegotiatePayload, SyncNegotiateResponse, SyncSessionSchema, SyncSessionsQuery,
} from '../../contract/sync.ts';
import type { RouteModule } from '../deps.ts';
import { caller } from '../route-auth.ts';

const negotiateScopes = { auth: { scopes: ['assets.read' as const, 'devices.read' as const] } };
const read = { auth: { scopes: ['devices.read' as const] } };
const write = { auth: { scopes: ['devices.write' as const] } };
const SessionParam = Type.Object({ session_id: QueryId() });

/** RomM 5's save sync: `/api/sync/negotiate`, the sessions it creates, and the push-pull trigger. */
export const syncRoutes: RouteModule = (app, { services }) => {
  const sync = services.sync;

  app.post('/api/sync/negotiate', {
    config: negotiateScopes,
    schema: { tags: ['sync'], body: SyncNegotiatePayload, response: { 200: SyncNegotiateResponse, ...errorResponses } },
  }, async (request) => {
    const auth = caller(request);
    return sync.negotiate(auth.user.id, request.body, auth.deviceId);
  });

  app.post('/api/sync/sessions/:session_id/complete', {
    config: write,
    schema: { tags: ['sync'], params: SessionParam, body: SyncCompletePayload, response: { 200: SyncCompleteResponse, ...errorResponses } },
  }, async (request) => sync.complete(caller(request).user.id, request.params.session_id, request.body));

  app.get('/api/sync/sessions', {
    config: read,
    schema: { tags: ['sync'], querystring: SyncSessionsQuery, response: { 200: Type.Array(SyncSessionSchema), ...errorResponses } },
  }, async (request) => sync.list(caller(request).user.id, request.query));

  app.get('/api/sync/sessions/:session_id', {
    config: read,
    schema: { tags: ['sync'], params: SessionParam, response: { 200: SyncSessionSchema, ...errorResponses } },
  }, async (request) => sync.get(caller(request).user.id, request.params.session_id));

  app.post('/api/sync/devices/:device_id/push-pull', {
    config: write,
    schema: {
      tags: ['sync'], params: Type.Object({ device_id: Type.String({ maxLength: 255 }) }),
      response: { 200: SyncSessionSchema, ...errorResponses },
    },
  }, async (request) => sync.pushPull(caller(request).user.id, request.params.device_id));
};
