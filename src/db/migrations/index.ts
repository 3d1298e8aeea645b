/**
 * Every migration, in name order. Listed statically so the bundled server carries them; a test fails when a file in
 * this folder is missing here.
 */
import type { Migration } from '../migrator.ts';
import { migration as m0 } from './0001-initial.ts';
import { migration as m1 } from './0010-rom-file-raw-crcs.ts';
import { migration as m2 } from './0100-scanner-indexes.ts';
import { migration as m2b } from './0101-scan-lock.ts';
import { migration as m3 } from './0200-rom-query-indexes.ts';
import { migration as m4 } from './0201-library-version.ts';
import { migration as m4b } from './0202-user-version.ts';
import { migration as m5 } from './0400-collection-names-unique.ts';
import { migration as m6 } from './0401-collections-facets-version.ts';
import { migration as m7 } from './0500-auth-throttle.ts';
import { migration as m7b } from './0501-user-token-generation.ts';
import { migration as m8 } from './0510-file-change-identity.ts';
import { migration as m9 } from './0600-metadata.ts';
import { migration as m9c } from './0602-metadata-http-cache.ts';
import { migration as m9b } from './0601-launchbox-image-order.ts';
import { migration as m10 } from './0700-device-codes.ts';
import { migration as m11 } from './0710-firmware.ts';
import { migration as m12 } from './0720-permissions.ts';
import { migration as m13 } from './0800-devices.ts';
import { migration as m14 } from './0810-saves-states.ts';
import { migration as m15 } from './0820-play-sessions.ts';
import { migration as m16 } from './0830-sync-sessions.ts';
import { migration as m17 } from './0900-dats.ts';
import { migration as m18 } from './0910-file-hashes.ts';
import { migration as m19 } from './0920-dat-status.ts';

export const MIGRATIONS: ReadonlyArray<readonly [name: string, migration: Migration]> = [
  ['0001-initial', m0],
  ['0010-rom-file-raw-crcs', m1],
  ['0100-scanner-indexes', m2],
  ['0101-scan-lock', m2b],
  ['0200-rom-query-indexes', m3],
  ['0201-library-version', m4],
  ['0202-user-version', m4b],
  ['0400-collection-names-unique', m5],
  ['0401-collections-facets-version', m6],
  ['0500-auth-throttle', m7],
  ['0501-user-token-generation', m7b],
  ['0510-file-change-identity', m8],
  ['0600-metadata', m9],
  ['0601-launchbox-image-order', m9b],
  ['0602-metadata-http-cache', m9c],
  ['0700-device-codes', m10],
  ['0710-firmware', m11],
  ['0720-permissions', m12],
  ['0800-devices', m13],
  ['0810-saves-states', m14],
  ['0820-play-sessions', m15],
  ['0830-sync-sessions', m16],
  ['0900-dats', m17],
  ['0910-file-hashes', m18],
  ['0920-dat-status', m19],
];
