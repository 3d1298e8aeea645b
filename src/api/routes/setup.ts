import { Type } from 'typebox';
import type { RouteModule } from '../deps.ts';
import { errorResponses, Nullable } from '../../contract/common.ts';
import { PlatformSchema } from '../../contract/platform.ts';
import { hasScopes } from '../../auth/context.ts';

const SetupLibrary = Type.Object({
  detected_structure: Nullable(Type.Union([Type.Literal('struct_a'), Type.Literal('struct_b')])),
  existing_platforms: Type.Array(Type.Object({ fs_slug: Type.String(), rom_count: Type.Integer() })),
  supported_platforms: Type.Array(PlatformSchema),
});

const CreatePlatforms = Type.Object({ success: Type.Boolean(), created_count: Type.Integer(), message: Type.String() });

export const setupRoutes: RouteModule = (app, { services }) => {
  // Public while no admin exists (the wizard runs before anyone can log in); the service asks for the scope after.
  app.get('/api/setup/library', {
    config: { auth: 'public' },
    schema: { tags: ['system'], response: { 200: SetupLibrary, ...errorResponses } },
  }, async (request) => services.setup.libraryInfo(hasScopes(request.auth, ['platforms.read'])));

  app.post('/api/setup/platforms', {
    config: { auth: 'public' },
    schema: {
      tags: ['system'],
      body: Type.Array(Type.String({ maxLength: 255 }), { maxItems: 1000 }),
      response: { 201: CreatePlatforms, ...errorResponses },
    },
  }, async (request, reply) => {
    const result = await services.setup.createPlatforms(hasScopes(request.auth, ['platforms.write']), request.body);
    return reply.code(201).send(result);
  });
};
