import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { hasScopes } from '../../auth/context.ts';
import { AppError } from '../../common/errors.ts';
import type { App, AppDeps } from '../deps.ts';
import { SESSION_COOKIE } from '../plugins/auth.ts';
import { bridgeScanEvents } from './scan-bridge.ts';
import { scanOptionsFromPayload } from './scan-payloads.ts';

/** RomM's socket.io path (the app is mounted at `/ws`); clients connect to `/ws/socket.io/`. */
export const SOCKET_PATH = '/ws/socket.io';
/** Sockets with a signed-in user: scan events are broadcast to them only. */
const USERS_ROOM = 'users';
/** RomM's per-user room: `sync:*` events reach the device owner's sockets only. */
const userRoom = (userId: number) => `user:${userId}`;

interface SocketData {
  /** The session cookie seen at connect; re-checked on every request so a logout takes effect at once. */
  sessionId: string | null;
  signedIn: boolean;
  /** The signed-in user at connect: activity broadcasts skip ROMs hidden from them. */
  userId: number | null;
  /** The "now playing" (user, device) this socket reported last, cleared when it disconnects. */
  activity: { userId: number; deviceId: string } | null;
}

interface ClientEvents {
  scan: (payload: unknown) => void;
  'scan:stop': () => void;
  'activity:start': (payload: unknown) => void;
  'activity:heartbeat': (payload: unknown) => void;
  'activity:stop': (payload?: unknown) => void;
}
/** Events this side emits; the scan events' payloads are in scan-payloads.ts. */
type ServerEvents = Record<string, (payload: unknown) => void>;

type ScanSocket = Socket<ClientEvents, ServerEvents, Record<string, never>, SocketData>;

/**
 * socket.io on the HTTP server, as RomM serves it: identity from the `romm_session` cookie only (bearer tokens and
 * the `auth` payload are ignored), connections never refused, `scan` and `scan:stop` gated by `tasks.run`.
 * Call before other `request` listeners are added, so they also see socket.io's polling requests.
 */
export function attachSockets(server: HttpServer, app: App, deps: AppDeps): void {
  const { services, config } = deps;
  const io = new Server<ClientEvents, ServerEvents, Record<string, never>, SocketData>(server, {
    path: SOCKET_PATH,
    serveClient: false,
    // RomM's settings: ping every 25 s, 60 s to answer, 1 MB per message.
    pingInterval: 25_000,
    pingTimeout: 60_000,
    maxHttpBufferSize: 1e6,
    // No CORS headers unless origins are listed, as for the HTTP API.
    ...(config.corsOrigins.length > 0 ? { cors: { origin: config.corsOrigins, credentials: true } } : {}),
  });

  const sessionOf = (req: IncomingMessage): string | null => {
    // A page of another origin must not act with the visitor's cookie (cross-site WebSocket hijacking): its
    // socket connects, without an identity.
    if (!sameOrigin(req, config.corsOrigins)) return null;
    const header = req.headers.cookie;
    if (!header) return null;
    return app.parseCookie(header)[SESSION_COOKIE] ?? null;
  };
  const userOf = async (socket: ScanSocket) => {
    const sessionId = socket.data.sessionId;
    if (!sessionId) return null;
    return services.auth.authenticate(undefined, sessionId, socket.handshake.address);
  };
  /** True when the socket may run scans; otherwise tells it so, with RomM's message. */
  const mayScan = async (socket: ScanSocket): Promise<boolean> => {
    if (hasScopes(await userOf(socket), ['tasks.run'])) return true;
    socket.emit('scan:done_ko', 'You are not authorized to run scans');
    return false;
  };

  // Identity is resolved before the connection completes, so the socket is in its room before it can ask for a scan.
  io.use((socket, next) => {
    socket.data.sessionId = sessionOf(socket.request);
    socket.data.signedIn = false;
    socket.data.userId = null;
    socket.data.activity = null;
    userOf(socket).then((auth) => {
      socket.data.signedIn = auth !== null;
      socket.data.userId = auth?.user.id ?? null;
      next();
    }, (err: unknown) => {
      app.log.warn({ err }, 'socket authentication failed');
      next();
    });
  });

  io.on('connection', (socket) => {
    if (socket.data.signedIn) void socket.join(USERS_ROOM);
    if (socket.data.userId !== null) void socket.join(userRoom(socket.data.userId));

    socket.on('scan', async (payload: unknown) => {
      try {
        if (!(await mayScan(socket))) return;
        await services.scans.startWhenFree(scanOptionsFromPayload(payload));
      } catch (err) {
        // "A scan is already in progress" (409) and bad options go back to the caller only, as in RomM.
        socket.emit('scan:done_ko', err instanceof AppError ? err.detail : err instanceof Error ? err.message : String(err));
      }
    });
    socket.on('scan:stop', async () => {
      try {
        if (await mayScan(socket)) services.scans.cancel();
      } catch (err) {
        app.log.warn({ err }, 'scan:stop failed');
      }
    });

    // "Now playing" from the web player: the user is the socket's session, never the payload (as in RomM).
    const report = async (payload: unknown, keepStart: boolean) => {
      try {
        const auth = await userOf(socket);
        const parsed = activityPayload(payload);
        if (!auth || !parsed.deviceId || parsed.romId === null) return;
        const entry = await services.activity.fromSocket(auth.user, parsed.romId, parsed.deviceId, keepStart);
        if (entry) socket.data.activity = { userId: auth.user.id, deviceId: parsed.deviceId };
      } catch (err) {
        app.log.warn({ err }, 'activity report failed');
      }
    };
    socket.on('activity:start', (payload: unknown) => report(payload, false));
    socket.on('activity:heartbeat', (payload: unknown) => report(payload, true));
    socket.on('activity:stop', async (payload?: unknown) => {
      try {
        const auth = await userOf(socket);
        const deviceId = activityPayload(payload).deviceId ?? socket.data.activity?.deviceId ?? null;
        if (!auth || !deviceId) return;
        await services.activity.clear(auth.user.id, deviceId);
      } catch (err) {
        app.log.warn({ err }, 'activity:stop failed');
      }
    });
    socket.on('disconnect', () => {
      const remembered = socket.data.activity;
      if (!remembered) return;
      services.activity.clear(remembered.userId, remembered.deviceId).catch((err: unknown) => app.log.warn({ err }, 'activity cleanup failed'));
    });
  });

  // activity:update / activity:clear go to every signed-in socket whose user may see the ROM (RomM broadcasts to
  // all; its REST listings drop hidden ROMs, and so do these).
  const unsubscribeActivity = services.activity.subscribe((event) => {
    const [name, payload] = event.type === 'update' ? ['activity:update', event.entry] as const : ['activity:clear', event.payload] as const;
    void (async () => {
      for (const socket of await io.in(USERS_ROOM).fetchSockets()) {
        const userId = socket.data.userId;
        if (userId !== null && (await services.romVisibility.canSeeRom(payload.rom_id, userId))) socket.emit(name, payload);
      }
    })().catch((err: unknown) => app.log.warn({ err }, 'activity broadcast failed'));
  });

  const unbridge = bridgeScanEvents(services.scans, {
    findPlatform: async (fsSlug) => (await services.platforms.list()).find((p) => p.fs_slug === fsSlug) ?? null,
    emit: (event, payload) => io.to(USERS_ROOM).emit(event, payload),
    onError: (err) => app.log.warn({ err }, 'scan event bridge failed'),
  });

  // RomM broadcasts it; each client re-reads /api/permissions/me when the id is its own.
  const unsubscribePermissions = services.permissionEvents.subscribe((userId) => {
    io.to(USERS_ROOM).emit('permissions:changed', { user_id: userId });
  });

  // Each socket's session is checked again before a sync event goes out (a logout stops them at once); one chain
  // keeps the events in the order they happened.
  let syncChain = Promise.resolve();
  const unsubscribeSync = services.syncEvents.subscribe((userId, event) => {
    syncChain = syncChain.then(async () => {
      for (const socket of await io.in(userRoom(userId)).fetchSockets()) {
        const sessionId = socket.data.sessionId;
        const auth = sessionId ? await services.auth.authenticate(undefined, sessionId, socket.handshake.address) : null;
        if (auth?.user.id === userId) socket.emit(event.name, event.payload);
      }
    }).catch((err: unknown) => app.log.warn({ err }, 'sync event broadcast failed'));
  });

  // Before Fastify closes the server: upgraded and long-polling connections would otherwise keep it open.
  app.addHook('preClose', (done) => {
    unbridge();
    unsubscribePermissions();
    unsubscribeActivity();
    unsubscribeSync();
    io.disconnectSockets(true);
    io.engine.close();
    done();
  });
}

/** `{device_id, rom_id}` of an activity event; anything malformed reads as missing. */
function activityPayload(data: unknown): { deviceId: string | null; romId: number | null } {
  if (!data || typeof data !== 'object') return { deviceId: null, romId: null };
  const { device_id: device, rom_id: rom } = data as Record<string, unknown>;
  const deviceId = typeof device === 'string' && device.length > 0 && device.length <= 255 ? device : null;
  const n = typeof rom === 'number' ? rom : typeof rom === 'string' && /^\d+$/.test(rom) ? Number(rom) : NaN;
  const romId = Number.isInteger(n) && n >= 1 && n <= 2_147_483_647 ? n : null;
  return { deviceId, romId };
}

/** No Origin (a native client), the server's own host, or a listed CORS origin. */
function sameOrigin(req: IncomingMessage, corsOrigins: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  if (corsOrigins.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
