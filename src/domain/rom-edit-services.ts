import type { Logger } from 'pino';
import type { Config } from '../config/config.ts';
import type { Db } from '../db/engine.ts';
import { NotesRepository } from '../db/repositories/notes-repository.ts';
import { RomEditRepository } from '../db/repositories/rom-edit-repository.ts';
import { RomUserRepository } from '../db/repositories/rom-user-repository.ts';
import { NotesService } from './notes/notes-service.ts';
import { DEFAULT_MEDIA_LIMITS, RomMedia } from './roms/edit-cover.ts';
import { RomDeleteService } from './roms/delete-service.ts';
import { RomEditService } from './roms/edit-service.ts';
import { RomPropsService } from './roms/props-service.ts';
import { ResourceStore } from './roms/resources.ts';

/** The ROM write side (edit, props, delete, notes), built for createServices. */
export function createRomWriteServices(config: Config, db: Db, logger: Logger) {
  const roms = new RomEditRepository(db);
  const resources = new ResourceStore(config.dataPath);
  const limits = { ...DEFAULT_MEDIA_LIMITS, fetch: { ...DEFAULT_MEDIA_LIMITS.fetch } };
  return {
    resources,
    romEdit: new RomEditService(roms, new RomMedia(resources, limits, logger), config.libraryPath, logger),
    romProps: new RomPropsService(roms, new RomUserRepository(db)),
    romDelete: new RomDeleteService(roms, resources, config.libraryPath, logger),
    notes: new NotesService(roms, new NotesRepository(db)),
  };
}
