import { Type } from 'typebox';
import { errorResponses } from '../../contract/common.ts';
import {
  HiddenEntityCreate, HiddenEntitySchema, PermissionCatalogSchema, PermissionGroupCreate, PermissionGroupSchema,
  PermissionGroupUpdate, PermissionsResponse, UserPermissionsSchema, UserPermissionsUpdate,
} from '../../contract/permissions.ts';
import type { RouteModule } from '../deps.ts';
import { caller } from '../route-auth.ts';

const tags = ['permissions'];
const usersRead = { auth: { scopes: ['users.read' as const] } };
const usersWrite = { auth: { scopes: ['users.write' as const] } };
const GroupIdParam = Type.Object({ id: Type.Integer() });
const UserIdParam = Type.Object({ user_id: Type.Integer() });

/** RomM 5's permission routes. Management needs the admin role on top of the users.* scope, as in RomM. */
export const permissionRoutes: RouteModule = (app, { services }) => {
  const perms = services.permissionsAdmin;

  app.get('/api/permissions/me', {
    config: { auth: { scopes: ['me.read'] } },
    schema: { tags, response: { 200: PermissionsResponse, ...errorResponses } },
  }, async (request) => perms.me(caller(request).permissions));

  app.get('/api/permissions/catalog', {
    config: usersRead,
    schema: { tags, response: { 200: PermissionCatalogSchema, ...errorResponses } },
  }, async (request) => perms.catalog(caller(request).permissions));

  app.get('/api/permissions/groups', {
    config: usersRead,
    schema: { tags, response: { 200: Type.Array(PermissionGroupSchema), ...errorResponses } },
  }, async (request) => perms.listGroups(caller(request).permissions));

  app.post('/api/permissions/groups', {
    config: usersWrite,
    schema: { tags, body: PermissionGroupCreate, response: { 201: PermissionGroupSchema, ...errorResponses } },
  }, async (request, reply) => reply.code(201).send(await perms.createGroup(caller(request).permissions, request.body)));

  app.put('/api/permissions/groups/:id', {
    config: usersWrite,
    schema: { tags, params: GroupIdParam, body: PermissionGroupUpdate, response: { 200: PermissionGroupSchema, ...errorResponses } },
  }, async (request) => perms.updateGroup(caller(request).permissions, request.params.id, request.body));

  app.delete('/api/permissions/groups/:id', {
    config: usersWrite,
    schema: { tags, params: GroupIdParam, response: { 200: Type.Null(), ...errorResponses } },
  }, async (request) => {
    await perms.deleteGroup(caller(request).permissions, request.params.id);
    return null;
  });

  app.get('/api/permissions/users/:user_id', {
    config: usersRead,
    schema: { tags, params: UserIdParam, response: { 200: UserPermissionsSchema, ...errorResponses } },
  }, async (request) => perms.userPermissions(caller(request).permissions, request.params.user_id));

  app.put('/api/permissions/users/:user_id', {
    config: usersWrite,
    schema: { tags, params: UserIdParam, body: UserPermissionsUpdate, response: { 200: UserPermissionsSchema, ...errorResponses } },
  }, async (request) => perms.updateUserPermissions(caller(request).permissions, request.params.user_id, request.body));

  app.post('/api/permissions/hidden', {
    config: usersWrite,
    schema: { tags, body: HiddenEntityCreate, response: { 200: HiddenEntitySchema, ...errorResponses } },
  }, async (request) => perms.hide(caller(request).permissions, request.body));

  app.delete('/api/permissions/hidden', {
    config: usersWrite,
    schema: { tags, body: HiddenEntityCreate, response: { 204: Type.Null(), ...errorResponses } },
  }, async (request, reply) => {
    await perms.unhide(caller(request).permissions, request.body);
    return reply.code(204).send(null);
  });
};
