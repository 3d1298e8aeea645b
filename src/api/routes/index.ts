import type { RouteModule } from '../deps.ts';
import { authRoutes } from './auth.ts';
import { clientTokenRoutes } from './client-tokens.ts';
import { deviceAuthRoutes } from './device-auth.ts';
import { collectionRoutes } from './collections.ts';
import { downloadRoutes } from './downloads.ts';
import { heartbeatRoutes } from './heartbeat.ts';
import { romsReadRoutes } from './roms-read.ts';
import { romsWriteRoutes } from './roms-write.ts';
import { noteRoutes } from './notes.ts';
import { assetRoutes } from './assets.ts';
import { userRoutes } from './users.ts';
import { platformRoutes } from './platforms.ts';
import { firmwareRoutes } from './firmware.ts';
import { datReportRoutes } from './dat-reports.ts';
import { datRoutes } from './dats.ts';
import { taskRoutes } from './tasks.ts';
import { statsRoutes } from './stats.ts';
import { userAdminRoutes } from './users-admin.ts';
import { webUiRoutes } from './web-ui.ts';
import { patchRoutes } from './patch.ts';
import { metadataRoutes } from './metadata.ts';
import { exportRoutes } from './export.ts';
import { searchCoverRoutes } from './search-cover.ts';
import { searchRoutes } from './search.ts';
import { configRoutes } from './config.ts';
import { setupRoutes } from './setup.ts';
import { streamingRoutes } from './streaming.ts';
import { permissionRoutes } from './permissions.ts';
import { deviceRoutes } from './devices.ts';
import { playSessionRoutes } from './play-sessions.ts';
import { syncRoutes } from './sync.ts';
import { saveRoutes } from './saves.ts';
import { stateRoutes } from './states.ts';

/** Every route module of the API. Add one line per module. */
export const routeModules: RouteModule[] = [
  heartbeatRoutes,
  authRoutes,
  userRoutes,
  clientTokenRoutes,
  deviceAuthRoutes,
  collectionRoutes,
  romsReadRoutes,
  romsWriteRoutes,
  noteRoutes,
  assetRoutes,
  downloadRoutes,
  platformRoutes,
  firmwareRoutes,
  datReportRoutes,
  datRoutes,
  taskRoutes,
  statsRoutes,
  userAdminRoutes,
  patchRoutes,
  metadataRoutes,
  exportRoutes,
  searchCoverRoutes,
  searchRoutes,
  configRoutes,
  setupRoutes,
  streamingRoutes,
  permissionRoutes,
  deviceRoutes,
  playSessionRoutes,
  syncRoutes,
  saveRoutes,
  stateRoutes,
  webUiRoutes,
];
