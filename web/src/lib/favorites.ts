import { queryString, request } from './api/client';
import type { RegularCollection } from './api/types';

/** The caller's favourites collection (RomM: a regular collection with is_favorite), created on first use. */
export async function findFavorites(userId: number): Promise<RegularCollection | undefined> {
  const all = await request<RegularCollection[]>('GET', '/api/collections');
  return all.find((c) => c.is_favorite && c.user_id === userId);
}

export async function setFavorite(userId: number, romId: number, on: boolean): Promise<RegularCollection> {
  let fav = await findFavorites(userId);
  if (!fav) {
    const form = new FormData();
    form.set('name', 'Favorites');
    form.set('description', '');
    fav = await request<RegularCollection>('POST', `/api/collections${queryString({ is_favorite: true, is_public: false })}`, form);
  }
  return request<RegularCollection>(on ? 'POST' : 'DELETE', `/api/collections/${fav.id}/roms`, { rom_ids: [romId] });
}
