import { Type } from 'typebox';
import { errorResponses } from '../../contract/common.ts';
import { DeviceCreatePayload, DeviceCreateResponse, DeviceSchema, DeviceUpdatePayload } from '../../contract/devices.ts';
import type { RouteModule } from '../deps.ts';
import { caller } from '../route-auth.ts';

const tags = ['devices'];
const read = { auth: { scopes: ['devices.read' as const] } };
const write = { auth: { scopes: ['devices.write' as const] } };
const DeviceIdParam = Type.Object({ device_id: Type.String({ maxLength: 255 }) });
const DeviceExists = Type.Object({
  detail: Type.Object({ error: Type.String(), message: Type.String(), device_id: Type.String() }),
});

/** RomM's `/api/devices`: each user sees and changes only their own devices. */
export const deviceRoutes: RouteModule = (app, { services }) => {
  const devices = services.devices;

  app.post('/api/devices', {
    config: write,
    schema: { tags, body: DeviceCreatePayload, response: { 200: DeviceCreateResponse, 201: DeviceCreateResponse, ...errorResponses, 409: DeviceExists } },
  }, async (request, reply) => {
    const { created, device } = await devices.register(caller(request).user.id, request.body);
    return reply.code(created ? 201 : 200).send(device);
  });

  app.get('/api/devices', {
    config: read,
    schema: { tags, response: { 200: Type.Array(DeviceSchema), ...errorResponses } },
  }, async (request) => devices.list(caller(request).user.id));

  app.get('/api/devices/:device_id', {
    config: read,
    schema: { tags, params: DeviceIdParam, response: { 200: DeviceSchema, ...errorResponses } },
  }, async (request) => devices.get(caller(request).user.id, request.params.device_id));

  app.put('/api/devices/:device_id', {
    config: write,
    preValidation: (request, _reply, done) => {
      request.body ??= {};
      done();
    },
    schema: { tags, params: DeviceIdParam, body: DeviceUpdatePayload, response: { 200: DeviceSchema, ...errorResponses } },
  }, async (request) => devices.update(caller(request).user.id, request.params.device_id, request.body));

  app.delete('/api/devices/:device_id', {
    config: write,
    schema: { tags, params: DeviceIdParam, response: { 204: Type.Null(), ...errorResponses } },
  }, async (request, reply) => {
    await devices.delete(caller(request).user.id, request.params.device_id);
    return reply.code(204).send(null);
  });
};
