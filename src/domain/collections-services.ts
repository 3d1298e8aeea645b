import path from 'node:path';
import type { Config } from '../config/config.ts';
import type { Db } from '../db/engine.ts';
import { CollectionsRepository } from '../db/repositories/collections-repository.ts';
import { SmartCollectionsRepository } from '../db/repositories/collections-smart-repository.ts';
import { VirtualCollectionsRepository } from '../db/repositories/collections-virtual-repository.ts';
import { DEFAULT_REGION_PRIORITY } from '../db/rom-query/group.ts';
import { RomQueryRepository } from '../db/rom-query/rom-query-repository.ts';
import { DiskCollectionCovers } from './collections/covers.ts';
import { CollectionsService } from './collections/collections-service.ts';
import { SmartCollectionsService } from './collections/smart-service.ts';
import { VirtualCollectionsService } from './collections/virtual-service.ts';

export interface CollectionsServices {
  regular: CollectionsService;
  smart: SmartCollectionsService;
  virtual: VirtualCollectionsService;
}

/** Regular, smart and virtual collections, wired together (smart ones follow regular membership changes). */
export function createCollectionsServices(db: Db, config: Config): CollectionsServices {
  const regular = new CollectionsService(new CollectionsRepository(db), new DiskCollectionCovers(path.join(config.dataPath, 'resources')));
  const smart = new SmartCollectionsService(
    new SmartCollectionsRepository(db),
    new RomQueryRepository(db.kysely),
    regular,
    (userId) => ({ userId, regionPriority: DEFAULT_REGION_PRIORITY }),
  );
  regular.onMembershipChange((c) => smart.refreshForCollection(c));
  const virtual = new VirtualCollectionsService(new VirtualCollectionsRepository(db));
  return { regular, smart, virtual };
}
