import { Type } from 'typebox';
import type { RouteModule } from '../deps.ts';
import { caller } from '../route-auth.ts';
import { Detail, Nullable } from '../../contract/common.ts';

const InitBody = Type.Object({
  client_device_identifier: Type.String({ minLength: 1, maxLength: 255 }),
  name: Type.String({ minLength: 1, maxLength: 255 }),
  client: Type.String({ minLength: 1, maxLength: 50 }),
  platform: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
  client_version: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
  requested_scopes: Type.Array(Type.String({ maxLength: 100 }), { minItems: 1, maxItems: 22 }),
});
const InitResponse = Type.Object({
  device_code: Type.String(),
  user_code: Type.String(),
  verification_path: Type.String(),
  verification_path_complete: Type.String(),
  expires_in: Type.Integer(),
  interval: Type.Integer(),
});
const TokenResponse = Type.Object({
  access_token: Type.String(),
  device_id: Type.String(),
  scopes: Type.Array(Type.String()),
  expires_at: Nullable(Type.String()),
});
const Pending = Type.Object({
  client_device_identifier: Type.String(),
  name: Type.String(),
  client: Type.String(),
  platform: Nullable(Type.String()),
  client_version: Nullable(Type.String()),
  requested_scopes: Type.Array(Type.String()),
  allowed_scopes: Type.Array(Type.String()),
  expires_at: Type.String(),
});
const ApproveBody = Type.Object({
  user_code: Type.String({ minLength: 1, maxLength: 32 }),
  approved_scopes: Type.Array(Type.String({ maxLength: 100 }), { minItems: 1, maxItems: 50 }),
  device_name: Type.Optional(Nullable(Type.String({ maxLength: 255 }))),
  expires_in: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
});

/** RomM's device-code authorization (RFC 8628). `init` and `token` are public and exempt from CSRF (the device has no session). */
export const deviceAuthRoutes: RouteModule = (app, { services }) => {
  const device = services.deviceAuth;

  app.post('/api/auth/device/init', {
    config: { auth: 'public' },
    schema: { tags: ['auth'], body: InitBody, response: { 201: InitResponse, 429: Detail } },
  }, async (request, reply) => reply.code(201).send(await device.init(request.body, request.ip)));

  app.post('/api/auth/device/token', {
    config: { auth: 'public' },
    schema: {
      tags: ['auth'],
      body: Type.Object({ device_code: Type.String({ minLength: 1, maxLength: 128 }) }),
      response: { 200: TokenResponse, 400: Detail, 429: Detail },
    },
  }, async (request) => device.poll(request.body.device_code, request.ip));

  app.get('/api/auth/device/pending/:user_code', {
    config: { auth: { scopes: ['me.read'] } },
    schema: {
      tags: ['auth'],
      params: Type.Object({ user_code: Type.String({ minLength: 1, maxLength: 32 }) }),
      response: { 200: Pending, 404: Detail },
    },
  }, async (request) => device.pending(caller(request), request.params.user_code));

  app.post('/api/auth/device/approve', {
    config: { auth: { scopes: ['me.write'] } },
    schema: {
      tags: ['auth'],
      body: ApproveBody,
      response: { 200: Type.Object({ device_id: Type.String(), device_name: Type.String() }), 403: Detail, 404: Detail },
    },
  }, async (request) => device.approve(caller(request), request.body));

  app.post('/api/auth/device/deny', {
    config: { auth: { scopes: ['me.write'] } },
    schema: {
      tags: ['auth'],
      body: Type.Object({ user_code: Type.String({ minLength: 1, maxLength: 32 }) }),
      response: { 200: Type.Null(), 404: Detail },
    },
  }, async (request) => {
    await device.deny(request.body.user_code);
    return null;
  });
};
