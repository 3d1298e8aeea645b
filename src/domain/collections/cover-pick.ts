/** Cover paths of a ROM as stored (relative to the resources folder; empty when absent). */
export interface RomCover {
  id: number;
  path_cover_s: string;
  path_cover_l: string;
}

export interface PickedCovers {
  small: string[];
  large: string[];
}

/** Covers shown per collection card (RomM caps smart and virtual collections at five). */
export const MAX_COVERS = 5;
/** Leading members probed per collection in the first round; doubled for collections still short. */
const FIRST_PROBE = 8;

/**
 * The covers of the first five members (in the given id order) that have one, for many collections at once. Each
 * round looks up a few leading members of every collection still short in one batched read, so the cost follows the
 * number of collections rather than the library size, and ROMs without covers cost a doubling probe, not a scan.
 */
export async function pickCovers(
  groups: { key: string; romIds: readonly number[] }[],
  lookup: (romIds: number[]) => Promise<RomCover[]>,
): Promise<Map<string, PickedCovers>> {
  const out = new Map<string, PickedCovers & { rows: number }>();
  const known = new Map<number, RomCover | null>();
  let pending = groups.map((g) => ({ g, offset: 0, size: FIRST_PROBE }));
  while (pending.length) {
    const wanted = new Set<number>();
    for (const p of pending) for (const id of p.g.romIds.slice(p.offset, p.offset + p.size)) if (!known.has(id)) wanted.add(id);
    if (wanted.size) {
      for (const id of wanted) known.set(id, null);
      for (const c of await lookup([...wanted])) known.set(c.id, c);
    }
    const next: typeof pending = [];
    for (const p of pending) {
      const entry = out.get(p.g.key) ?? { small: [], large: [], rows: 0 };
      out.set(p.g.key, entry);
      for (const id of p.g.romIds.slice(p.offset, p.offset + p.size)) {
        const c = known.get(id);
        if (!c || entry.rows >= MAX_COVERS || (!c.path_cover_s && !c.path_cover_l)) continue;
        entry.rows++;
        if (c.path_cover_s) entry.small.push(c.path_cover_s);
        if (c.path_cover_l) entry.large.push(c.path_cover_l);
      }
      const offset = p.offset + p.size;
      if (entry.rows < MAX_COVERS && offset < p.g.romIds.length) next.push({ g: p.g, offset, size: p.size * 2 });
    }
    pending = next;
  }
  return out;
}
