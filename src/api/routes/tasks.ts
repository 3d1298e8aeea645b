import { randomUUID } from 'node:crypto';
import { Type } from 'typebox';
import { SCAN_TYPES } from '../../scanner/types.ts';
import type { ScanStatus } from '../../jobs/scan-manager.ts';
import { isoOrNull } from '../../common/time.ts';
import { badRequest, notFound } from '../../common/errors.ts';
import type { RouteModule } from '../deps.ts';
import { errorResponses, Nullable } from '../../contract/common.ts';

const TaskStatus = Type.Object({
  task_name: Type.String(), task_id: Type.String(), status: Type.String(), task_type: Type.String(),
  created_at: Nullable(Type.String()), enqueued_at: Nullable(Type.String()), started_at: Nullable(Type.String()),
  ended_at: Nullable(Type.String()),
  meta: Type.Object({
    scan_stats: Type.Record(Type.String(), Type.Unknown()), phase: Type.Optional(Nullable(Type.String())),
    /** romshelf: the metadata pass per source (absent in RomM). */
    metadata_sources: Type.Optional(Type.Record(Type.String(), Type.Object({ matched: Type.Integer(), unmatched: Type.Integer(), errors: Type.Integer() }))),
  }),
});

const MAX_IDS = 100_000;

/** RomM's `TaskInfo`, keys in RomM's order. */
const TaskInfo = Type.Object({
  name: Type.String(), type: Type.String(), title: Type.String(), description: Type.String(), enabled: Type.Boolean(),
  manual_run: Type.Boolean(), cron_string: Type.String(),
});
const GroupedTasks = Type.Object({ scheduled: Type.Array(TaskInfo), manual: Type.Array(TaskInfo), watcher: Type.Array(TaskInfo) });

/** The tasks romshelf runs, by RomM's names; `POST /api/tasks/run/{name}` answers RomM's 404 for any other. */
const RUNNABLE_TASKS = ['scan_library', 'sync_folder_scan', 'sync_push_pull'];

/** RomM's answer to running a task: the job as enqueued (romshelf adds the result of a task it ran to completion). */
const TaskExecution = Type.Object({
  task_name: Type.String(), task_id: Type.String(), status: Type.String(), created_at: Type.String(), enqueued_at: Nullable(Type.String()),
  result: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});

const RunScanBody = Type.Object({
  /** `unidentified` is accepted for `unmatched`. */
  type: Type.Optional(Type.Union([...SCAN_TYPES, 'unidentified'].map((t) => Type.Literal(t)))),
  platform_fs_slugs: Type.Optional(Type.Array(Type.String({ maxLength: 400 }), { maxItems: 10_000 })),
  platforms: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 10_000 })),
  roms_ids: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: MAX_IDS })),
  /** Metadata sources for this scan (RomM's `apis`); unknown slugs are ignored. */
  apis: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 50 })),
});

/** RomM's job statuses: started while running, then finished, failed or canceled. */
function taskJson(s: ScanStatus) {
  const status = s.running ? 'started' : s.error ? 'failed' : s.cancelled ? 'canceled' : 'finished';
  return {
    task_name: 'Scan library', task_id: s.task_id ?? '', status, task_type: 'scan',
    created_at: isoOrNull(s.started_at), enqueued_at: isoOrNull(s.started_at), started_at: isoOrNull(s.started_at),
    ended_at: isoOrNull(s.finished_at), meta: { scan_stats: { ...s.stats }, phase: s.running ? s.phase : null, metadata_sources: s.metadata_sources },
  };
}

export const taskRoutes: RouteModule = (app, { services, config }) => {
  const scans = services.scans;

  app.get('/api/tasks', {
    config: { auth: { scopes: ['tasks.run'] } },
    schema: { tags: ['tasks'], response: { 200: GroupedTasks, ...errorResponses } },
  }, async () => ({
    // RomM's scheduled rescan is romshelf's periodic quick scan (an interval, not a cron string); unlike RomM it can
    // also be run by hand, which is what the task's run button does.
    scheduled: [{
      name: 'scan_library', type: 'scan', title: 'Scheduled rescan', description: 'Rescans the entire library',
      enabled: config.scan.intervalSeconds > 0, manual_run: true, cron_string: '',
    }, {
      // Listed by romshelf (RomM schedules it without listing it).
      name: 'sync_push_pull', type: 'sync', title: 'Push-Pull Sync', description: 'Sync saves with devices via SSH/SFTP',
      enabled: config.sync.pushPull, manual_run: config.sync.pushPull, cron_string: config.sync.pushPullCron,
    }],
    manual: [{
      name: 'sync_folder_scan', type: 'sync', title: 'Sync Folder Scan', description: 'Scan device sync folders for new save files',
      enabled: config.sync.folderWatcher, manual_run: config.sync.folderWatcher, cron_string: '',
    }],
    // No file-system watcher: the periodic scan also sees changes on network shares, which a watcher misses.
    watcher: [{
      name: 'filesystem_watcher', type: 'watcher', title: 'Rescan on filesystem change',
      description: 'Runs a scan when a change is detected in the library path', enabled: false, manual_run: false,
      cron_string: '',
    }],
  }));

  // Every task romshelf knows of (the current or last scan), newest first, as RomM lists its queues.
  app.get('/api/tasks/status', {
    config: { auth: { scopes: ['tasks.run'] } },
    schema: { tags: ['tasks'], response: { 200: Type.Array(TaskStatus), ...errorResponses } },
  }, async () => {
    const s = scans.status();
    return s.task_id ? [taskJson(s)] : [];
  });

  // Static `run/scan_library` below wins over this parameter route (Fastify prefers static segments).
  app.post('/api/tasks/run/:task_name', {
    config: { auth: { scopes: ['tasks.run'] } },
    schema: {
      tags: ['tasks'], params: Type.Object({ task_name: Type.String({ maxLength: 200 }) }),
      body: Type.Optional(Nullable(Type.Object({}, { additionalProperties: true }))),
      response: { ...errorResponses },
    },
  }, async (request) => {
    throw notFound(`Task '${request.params.task_name}' not found, available tasks are ${RUNNABLE_TASKS.join(', ')}`);
  });

  const cannotRun = (name: string) => badRequest(`Task '${name}' cannot be run`);

  // Runs to completion: the answer carries what was processed.
  app.post('/api/tasks/run/sync_folder_scan', {
    config: { auth: { scopes: ['tasks.run'] } },
    schema: { tags: ['tasks'], body: Type.Optional(Nullable(Type.Object({}, { additionalProperties: true }))), response: { 200: TaskExecution, ...errorResponses } },
  }, async () => {
    if (!config.sync.folderWatcher) throw cannotRun('sync_folder_scan');
    const created = new Date().toISOString();
    const result = await services.syncFolder.scanAll();
    return { task_name: 'Sync Folder Scan', task_id: randomUUID(), status: 'finished', created_at: created, enqueued_at: created, result };
  });

  // SSH runs can take minutes: started in the background; each device's progress is its sync session.
  app.post('/api/tasks/run/sync_push_pull', {
    config: { auth: { scopes: ['tasks.run'] } },
    schema: { tags: ['tasks'], body: Type.Optional(Nullable(Type.Object({}, { additionalProperties: true }))), response: { 200: TaskExecution, ...errorResponses } },
  }, async () => {
    if (!config.sync.pushPull) throw cannotRun('sync_push_pull');
    const created = new Date().toISOString();
    services.pushPull.runAll().catch((err: unknown) => app.log.error({ err }, 'push-pull run failed'));
    return { task_name: 'Push-Pull Sync', task_id: randomUUID(), status: 'started', created_at: created, enqueued_at: created };
  });

  app.post('/api/tasks/run/scan_library', {
    config: { auth: { scopes: ['tasks.run'] } },
    schema: { tags: ['tasks'], body: Type.Optional(RunScanBody), response: { 200: TaskStatus, 409: errorResponses[400], ...errorResponses } },
  }, async (request) => {
    const body = request.body ?? {};
    const type = body.type === 'unidentified' ? 'unmatched' : (body.type ?? 'quick');
    return taskJson(await scans.startWhenFree({
      type, platformFsSlugs: body.platform_fs_slugs ?? [], platformIds: body.platforms ?? [], romIds: body.roms_ids ?? [],
      ...(body.apis ? { metadataSources: body.apis } : {}),
    }));
  });

  app.get('/api/tasks/scan_library/status', {
    config: { auth: { scopes: ['tasks.run'] } },
    schema: { tags: ['tasks'], response: { 200: TaskStatus, ...errorResponses } },
  }, async () => taskJson(scans.status()));

  app.post('/api/tasks/scan_library/cancel', {
    config: { auth: { scopes: ['tasks.run'] } },
    schema: { tags: ['tasks'], response: { 200: TaskStatus, ...errorResponses } },
  }, async () => {
    scans.cancel();
    return taskJson(scans.status());
  });

  app.get('/api/tasks/:task_id', {
    config: { auth: { scopes: ['tasks.run'] } },
    schema: { tags: ['tasks'], params: Type.Object({ task_id: Type.String() }), response: { 200: TaskStatus, ...errorResponses } },
  }, async (request) => {
    const s = scans.status();
    if (!s.task_id || s.task_id !== request.params.task_id) throw notFound(`Task with ID '${request.params.task_id}' not found`);
    return taskJson(s);
  });

  // Server-Sent Events: `progress` while a scan runs, then `done`; the stream stays open for the next scan.
  app.get('/api/tasks/scan_library/events', {
    config: { auth: { scopes: ['tasks.run'] } },
    schema: { tags: ['tasks'], produces: ['text/event-stream'] },
  }, (request, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    // The HEAD twin shares this handler: Node sends no headers for a bodiless response until it ends, so a HEAD
    // that stayed open like the stream would never be answered.
    if (request.method === 'HEAD') {
      res.end();
      return;
    }
    const send = (event: string, s: ScanStatus) => res.write(`event: ${event}\ndata: ${JSON.stringify(taskJson(s))}\n\n`);
    send('status', scans.status());
    const onProgress = (s: ScanStatus) => send('progress', s);
    const onDone = (_r: unknown, s: ScanStatus) => send('done', s);
    const onError = (_e: unknown, s: ScanStatus) => send('failed', s);
    scans.on('progress', onProgress);
    scans.on('done', onDone);
    scans.on('error', onError);
    const ping = setInterval(() => res.write(': ping\n\n'), 15000);
    request.raw.on('close', () => {
      clearInterval(ping);
      scans.off('progress', onProgress);
      scans.off('done', onDone);
      scans.off('error', onError);
    });
  });
};
