import { Type } from 'typebox';
import type { RouteModule } from '../deps.ts';
import { errorResponses } from '../../contract/common.ts';

const StreamingConfig = Type.Object({
  enabled: Type.Boolean(),
  containers: Type.Array(Type.Object({
    platform: Type.String(), host: Type.String(), label: Type.String(),
    capabilities: Type.Object({}, { additionalProperties: true }),
  })),
});

export const streamingRoutes: RouteModule = (app) => {
  // romshelf runs no streaming containers: RomM's answer for `streaming.enabled: false`, so clients hide the feature.
  app.get('/api/streaming/config', {
    config: { auth: { scopes: ['roms.read'] } },
    schema: { tags: ['streaming'], response: { 200: StreamingConfig, ...errorResponses } },
  }, async () => ({ enabled: false, containers: [] }));
};
