import { Type } from 'typebox';
import { errorResponses } from '../../contract/common.ts';
import {
  ActivityEntrySchema, DeviceHeartbeatPayload, PlaySessionIngestPayload, PlaySessionIngestResponse, PlaySessionQuery, PlaySessionSchema,
} from '../../contract/play-sessions.ts';
import { QueryId } from '../../contract/query.ts';
import type { RouteModule } from '../deps.ts';
import { caller } from '../route-auth.ts';

const read = { auth: { scopes: ['roms.user.read' as const] } };
const write = { auth: { scopes: ['roms.user.write' as const] } };

/** RomM 5's `/api/play-sessions` (each user's own) and `/api/activity` (everyone's live "now playing"). */
export const playSessionRoutes: RouteModule = (app, { services }) => {
  const sessions = services.playSessions;
  const activity = services.activity;

  app.post('/api/play-sessions', {
    config: write,
    schema: { tags: ['play-sessions'], body: PlaySessionIngestPayload, response: { 201: PlaySessionIngestResponse, ...errorResponses } },
  }, async (request, reply) => {
    const auth = caller(request);
    return reply.code(201).send(await sessions.ingestPayload(auth.user.id, request.body, auth.deviceId));
  });

  app.get('/api/play-sessions', {
    config: read,
    schema: { tags: ['play-sessions'], querystring: PlaySessionQuery, response: { 200: Type.Array(PlaySessionSchema), ...errorResponses } },
  }, async (request) => {
    const auth = caller(request);
    return sessions.list(auth.user.id, request.query, auth.deviceId);
  });

  app.delete('/api/play-sessions/:session_id', {
    config: write,
    schema: { tags: ['play-sessions'], params: Type.Object({ session_id: QueryId() }), response: { 204: Type.Null(), ...errorResponses } },
  }, async (request, reply) => {
    await sessions.delete(caller(request).user.id, request.params.session_id);
    return reply.code(204).send(null);
  });

  app.get('/api/activity', {
    config: read,
    schema: { tags: ['activity'], response: { 200: Type.Array(ActivityEntrySchema), ...errorResponses } },
  }, async (request) => activity.list(caller(request).user.id));

  app.get('/api/activity/rom/:rom_id', {
    config: read,
    schema: { tags: ['activity'], params: Type.Object({ rom_id: QueryId() }), response: { 200: Type.Array(ActivityEntrySchema), ...errorResponses } },
  }, async (request) => activity.list(caller(request).user.id, request.params.rom_id));

  app.post('/api/activity/heartbeat', {
    config: write,
    schema: { tags: ['activity'], body: DeviceHeartbeatPayload, response: { 200: ActivityEntrySchema, ...errorResponses } },
  }, async (request) => activity.heartbeat(caller(request).user, request.body.rom_id, request.body.device_id));

  app.delete('/api/activity/heartbeat', {
    config: write,
    schema: {
      tags: ['activity'], querystring: Type.Object({ device_id: Type.String({ maxLength: 255 }) }),
      response: { 204: Type.Null(), ...errorResponses },
    },
  }, async (request, reply) => {
    await activity.clear(caller(request).user.id, request.query.device_id);
    return reply.code(204).send(null);
  });
};
