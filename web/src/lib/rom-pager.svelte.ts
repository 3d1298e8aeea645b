import type { RomPage, SimpleRom } from './api/types';
import { fetchRomPage, fetchRomSidecars } from './roms-api';
import type { ApiParams } from './view-state';

export const PAGE_SIZE = 100;

/**
 * The gallery's rows, fetched a page at a time as they scroll into view. Only loaded pages are kept; `tick`
 * changes when one arrives so views re-read `get()`.
 */
export class RomPager {
  total = $state<number | null>(null);
  tick = $state(0);
  charIndex = $state<Record<string, number>>({});
  filterValues = $state<RomPage['filter_values'] | null>(null);
  error = $state('');
  private items = new Map<number, SimpleRom>();
  private pending = new Set<number>();
  private generation = 0;
  private params: ApiParams = {};

  /** Start over for new parameters; `around` is the index the view wants first (restored position). */
  reset(params: ApiParams, around = 0): void {
    this.generation++;
    this.params = params;
    this.items = new Map();
    this.pending = new Set();
    this.total = null;
    this.error = '';
    this.charIndex = {};
    this.filterValues = null;
    this.tick++;
    const gen = this.generation;
    const firstPage = Math.floor(around / PAGE_SIZE);
    // The alphabet and filter values wait for the first page, so the cards the user sees come first.
    this.load(firstPage, true)
      .then(() => (gen === this.generation ? fetchRomSidecars(params) : Promise.reject(new Error('stale'))))
      .then((page) => {
        if (gen !== this.generation) return;
        this.charIndex = page.char_index;
        this.filterValues = page.filter_values;
      })
      .catch(() => undefined);
  }

  get(index: number): SimpleRom | undefined {
    return this.items.get(index);
  }

  /** Make sure the rows from..to (exclusive) are loaded or loading. */
  ensure(from: number, to: number): void {
    if (this.total === null) return;
    const last = Math.min(to, this.total) - 1;
    for (let page = Math.floor(Math.max(0, from) / PAGE_SIZE); page <= Math.floor(last / PAGE_SIZE); page++) {
      if (!this.pending.has(page) && !this.items.has(page * PAGE_SIZE)) void this.load(page, false);
    }
  }

  /** Drop one ROM from what is loaded (after a delete or removal), without refetching everything. */
  refresh(): void {
    this.reset(this.params);
  }

  private async load(page: number, withTotal: boolean): Promise<void> {
    const gen = this.generation;
    this.pending.add(page);
    try {
      const result = await fetchRomPage(this.params, page * PAGE_SIZE, PAGE_SIZE, withTotal);
      if (gen !== this.generation) return;
      result.items.forEach((rom, i) => this.items.set(page * PAGE_SIZE + i, rom));
      if (withTotal) this.total = result.total ?? result.items.length;
      this.tick++;
    } catch (e) {
      if (gen === this.generation) this.error = e instanceof Error ? e.message : String(e);
    } finally {
      if (gen === this.generation) this.pending.delete(page);
    }
  }
}
