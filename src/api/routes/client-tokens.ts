import { Type } from 'typebox';
import { toAdminClientTokenJson, toClientTokenJson, toIssuedClientTokenJson } from '../../auth/client-token-mapper.ts';
import type { RouteModule } from '../deps.ts';
import { caller } from '../route-auth.ts';
import { Detail, Nullable } from '../../contract/common.ts';

const ClientToken = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  scopes: Type.Array(Type.String()),
  expires_at: Nullable(Type.String()),
  last_used_at: Nullable(Type.String()),
  created_at: Type.String(),
  user_id: Type.Integer(),
  device_id: Nullable(Type.String()),
});
const ClientTokenCreated = Type.Object({ ...ClientToken.properties, raw_token: Type.String() });
const ClientTokenAdmin = Type.Object({
  ...ClientToken.properties,
  username: Type.String(),
  user_avatar_path: Type.String(),
  user_updated_at: Type.String(),
});

const CreateBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 255 }),
  scopes: Type.Array(Type.String({ maxLength: 100 }), { minItems: 1, maxItems: 50 }),
  expires_in: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
});
const TokenIdParam = Type.Object({ token_id: Type.Integer({ minimum: 1 }) });

export const clientTokenRoutes: RouteModule = (app, { services }) => {
  const tokens = services.clientTokens;

  app.post('/api/client-tokens', {
    config: { auth: { scopes: ['me.write'] } },
    schema: { tags: ['client-tokens'], body: CreateBody, response: { 201: ClientTokenCreated, 400: Detail, 403: Detail } },
  }, async (request, reply) => {
    return reply.code(201).send(toIssuedClientTokenJson(await tokens.create(caller(request), request.body)));
  });

  app.get('/api/client-tokens', {
    config: { auth: { scopes: ['me.read'] } },
    schema: { tags: ['client-tokens'], response: { 200: Type.Array(ClientToken) } },
  }, async (request) => (await tokens.list(caller(request).user.id)).map(toClientTokenJson));

  app.get('/api/client-tokens/all', {
    config: { auth: { scopes: ['users.read'] } },
    schema: { tags: ['client-tokens'], response: { 200: Type.Array(ClientTokenAdmin) } },
  }, async () => (await tokens.listAll()).map(toAdminClientTokenJson));

  app.delete('/api/client-tokens/:token_id', {
    config: { auth: { scopes: ['me.write'] } },
    schema: { tags: ['client-tokens'], params: TokenIdParam, response: { 200: Type.Null(), 404: Detail } },
  }, async (request) => {
    await tokens.delete(request.params.token_id, caller(request).user.id);
    return null;
  });

  app.delete('/api/client-tokens/:token_id/admin', {
    config: { auth: { scopes: ['users.write'] } },
    schema: { tags: ['client-tokens'], params: TokenIdParam, response: { 200: Type.Null(), 404: Detail } },
  }, async (request) => {
    await tokens.delete(request.params.token_id, null);
    return null;
  });

  app.put('/api/client-tokens/:token_id/regenerate', {
    config: { auth: { scopes: ['me.write'] } },
    schema: { tags: ['client-tokens'], params: TokenIdParam, response: { 200: ClientTokenCreated, 404: Detail } },
  }, async (request) => {
    return toIssuedClientTokenJson(await tokens.regenerate(request.params.token_id, caller(request).user.id));
  });

  app.post('/api/client-tokens/:token_id/pair', {
    config: { auth: { scopes: ['me.write'] } },
    schema: {
      tags: ['client-tokens'],
      params: TokenIdParam,
      response: { 200: Type.Object({ code: Type.String(), expires_in: Type.Integer() }), 404: Detail },
    },
  }, async (request) => tokens.pair(request.params.token_id, caller(request).user.id));

  app.get('/api/client-tokens/pair/:code/status', {
    config: { auth: 'public' },
    schema: {
      tags: ['client-tokens'],
      params: Type.Object({ code: Type.String({ maxLength: 20 }) }),
      response: { 200: Type.Null(), 404: Detail, 429: Detail },
    },
  }, async (request) => {
    await tokens.pairStatus(request.params.code, request.ip);
    return null;
  });

  app.post('/api/client-tokens/exchange', {
    config: { auth: 'public' },
    schema: {
      tags: ['client-tokens'],
      body: Type.Object({ code: Type.String({ maxLength: 20 }) }),
      response: { 200: ClientTokenCreated, 404: Detail, 429: Detail },
    },
  }, async (request) => {
    return toIssuedClientTokenJson(await tokens.exchange(request.body.code, request.ip));
  });
};
