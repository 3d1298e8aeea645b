import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { describeEachEngine } from '../helpers/engines.ts';
import { createTestApp, createUser, type TestApp, type TestUser } from '../helpers/app.ts';
import { createPlatform, createRom } from '../helpers/rom-fixtures.ts';
import { parseTags } from '../../src/library/tags.ts';
import { preferredRelease, releaseOrder, releaseQuality } from '../../src/domain/dats/one-g-one-r.ts';
import type { DatStatus } from '../../src/contract/dat-status.ts';
import type { Database } from '../../src/db/schema.ts';

describeEachEngine('GET /api/roms: group_by_dat_parent (1G1R), dat_statuses and verified from DATs', (ctx) => {
  let t: TestApp;
  let alice: TestUser;
  const byName = new Map<string, number>();
  const ids = async (query: string) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/roms?${query}&order_by=id&limit=100`, headers: { authorization: alice.basic } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: { id: number }[] }>().items.map((i) => i.id);
  };
  const names = async (query: string) => {
    const wanted = await ids(query);
    return [...byName].filter(([, id]) => wanted.includes(id)).map(([n]) => n).sort();
  };

  // [file name, DAT parent, status]; the stored quality and order come from the same rules the pure function uses.
  const LIBRARY: [string, string | null, DatStatus | null][] = [
    ['Zelda II (USA).nes', 'Zelda II', 'verified'],
    ['Zelda II (USA) (Rev 1).nes', 'Zelda II', 'verified'],
    ['Zelda II (Europe) (Rev 2).nes', 'Zelda II', 'renamed'],
    ['Zelda II (Japan) (Beta).nes', 'Zelda II', 'verified'],
    ['Metroid (USA, Europe) (Virtual Console).nes', 'Metroid', 'verified'],
    ['Metroid (Europe).nes', 'Metroid', 'verified'],
    ['Metroid (Japan).nes', 'Metroid', 'bad_dump'],
    ['Homebrew Thing.nes', null, 'unknown'],
    ['Unchecked (USA).nes', null, null],
  ];

  async function store(db: Kysely<Database>, platformId: number) {
    for (const [fsName, parent, status] of LIBRARY) {
      const tags = parseTags(fsName);
      const id = await createRom(db, { platformId, fsPath: 'roms/nes', fsName, regions: tags.regions });
      await db.updateTable('roms').set({
        dat_status: status, dat_game: parent ? fsName.replace(/\.nes$/, '') : null, dat_parent: parent,
        dat_quality: status ? releaseQuality(fsName, status) : null, dat_order: status ? releaseOrder(fsName) : null,
      }).where('id', '=', id).execute();
      byName.set(fsName, id);
    }
  }

  beforeAll(async () => {
    t = await createTestApp(ctx());
    alice = await createUser(t.services, 'viewer', 'alice');
    const db = ctx().db.kysely;
    await store(db, await createPlatform(db, 'nes'));
  });
  afterAll(async () => t.app.close());

  it('keeps one ROM per DAT parent, picked as the 1G1R rules pick it; ungrouped ROMs stay', async () => {
    const shown = await names('group_by_dat_parent=true');
    // Region comes before re-release: the USA Virtual Console dump beats the European original for a USA-first order.
    expect(shown).toEqual(['Homebrew Thing.nes', 'Metroid (USA, Europe) (Virtual Console).nes', 'Unchecked (USA).nes', 'Zelda II (USA) (Rev 1).nes']);
    // The SQL agrees with the pure selection for each group.
    for (const parent of ['Zelda II', 'Metroid']) {
      const group = LIBRARY.filter(([, p]) => p === parent).map(([name, , status]) => ({ id: byName.get(name)!, name, status: status! }));
      expect(shown).toContain(preferredRelease(group, ['us', 'wor', 'ss', 'eu', 'jp'])!.name);
    }
    // Without the flag nothing changes.
    expect((await ids('')).length).toBe(LIBRARY.length);
  });

  it('picks among the ROMs matching the other filters', async () => {
    expect(await names('group_by_dat_parent=true&regions=Japan')).toEqual(['Metroid (Japan).nes', 'Zelda II (Japan) (Beta).nes']);
    expect(await names('group_by_dat_parent=true&regions=Europe&search_term=zelda')).toEqual(['Zelda II (Europe) (Rev 2).nes']);
  });

  it('dat_statuses filters by the DAT result (unknown includes unchecked ROMs) and verified counts hash matches', async () => {
    expect(await names('dat_statuses=bad_dump')).toEqual(['Metroid (Japan).nes']);
    expect(await names('dat_statuses=unknown')).toEqual(['Homebrew Thing.nes', 'Unchecked (USA).nes']);
    expect(await names('dat_statuses=renamed&dat_statuses=bad_dump')).toEqual(['Metroid (Japan).nes', 'Zelda II (Europe) (Rev 2).nes']);
    expect((await names('dat_statuses=verified&dat_statuses_logic=none')).length).toBe(4);
    expect((await names('verified=true')).length).toBe(6);
    expect(await names('verified=false')).toEqual(['Homebrew Thing.nes', 'Metroid (Japan).nes', 'Unchecked (USA).nes']);
  });
});
