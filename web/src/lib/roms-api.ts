import { queryString, request } from './api/client';
import type { RomPage } from './api/types';
import type { ApiParams } from './view-state';

/** Sidecars off: a page fetch returns only the items (and total when asked). */
const PAGE_ONLY = { with_char_index: false, with_filter_values: false, with_rom_id_index: false };

export function fetchRomPage(params: ApiParams, offset: number, limit: number, withTotal: boolean, signal?: AbortSignal): Promise<RomPage> {
  return requestWithSignal(`/api/roms${queryString({ ...params, ...PAGE_ONLY, with_total: withTotal, offset, limit })}`, signal);
}

/** The alphabet index and filter values for a view, without items. */
export function fetchRomSidecars(params: ApiParams, signal?: AbortSignal): Promise<RomPage> {
  return requestWithSignal(
    `/api/roms${queryString({ ...params, with_char_index: true, with_filter_values: true, with_rom_id_index: false, with_total: false, offset: 0, limit: 1 })}`,
    signal,
  );
}

async function requestWithSignal<T>(url: string, signal?: AbortSignal): Promise<T> {
  if (!signal) return request<T>('GET', url);
  return Promise.race([
    request<T>('GET', url),
    new Promise<T>((_, reject) => signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')), { once: true })),
  ]);
}
