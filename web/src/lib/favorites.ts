import { queryString, request } from './api/client';
import type { Collection } from './api/types';

/** The caller's favourites collection (RomM: a regular collection with is_favorite), created on first use. */
export async function findFavorites(userId: number): Promise<Collection | undefined> {
  const all = await request<Collection[]>('GET', '/api/collections');
  return all.find((c) => c.is_favorite && c.user_id === userId);
}

export async function setFavorite(userId: number, romId: number, on: boolean): Promise<Collection> {
  let fav = await findFavorites(userId);
  if (!fav) {
    const form = new FormData();
    form.set('name', 'Favorites');
    form.set('description', '');
    fav = await request<Collection>('POST', `/api/collections${queryString({ is_favorite: true, is_public: false })}`, form);
  }
  return request<Collection>(on ? 'POST' : 'DELETE', `/api/collections/${fav.id}/roms`, { rom_ids: [romId] });
}
