import { forbidden, type AppError } from '../common/errors.ts';

/**
 * Per-item access: the one home of the "owner or public" rule that keeps private collections, smart collections
 * and notes private. Admins are ordinary viewers here: another user's private item is closed to them as well.
 */

/** Who is asking: a user id, or null for an anonymous caller. */
export type Viewer = number | null;

/** Anything with an owner and a public flag. */
export interface OwnedItem {
  ownerId: number;
  isPublic: boolean;
}

export type AccessMode = 'read' | 'write';

/** An item from a row's `user_id` and `is_public` columns (numbers, bigints or booleans as the driver gives them). */
export function ownedItem(row: { user_id: number | bigint | string; is_public: number | boolean }): OwnedItem {
  return { ownerId: Number(row.user_id), isPublic: !!Number(row.is_public) };
}

export function isOwner(viewer: Viewer, item: OwnedItem): boolean {
  return viewer !== null && viewer === item.ownerId;
}

/** Everyone may read a public item; only its owner a private one. */
export function canRead(viewer: Viewer, item: OwnedItem): boolean {
  return item.isPublic || isOwner(viewer, item);
}

/** Only the owner may change an item, public or not. */
export function canWrite(viewer: Viewer, item: OwnedItem): boolean {
  return isOwner(viewer, item);
}

export function canAccess(viewer: Viewer, item: OwnedItem, mode: AccessMode): boolean {
  return mode === 'read' ? canRead(viewer, item) : canWrite(viewer, item);
}

/**
 * Throws `denied()` unless the viewer may access the item. Each resource keeps its own answer: collections say 403,
 * notes answer the 404 of a note that does not exist so ids reveal nothing.
 */
export function requireAccess(viewer: Viewer, item: OwnedItem, mode: AccessMode, denied: () => AppError = () => forbidden()): void {
  if (!canAccess(viewer, item, mode)) throw denied();
}
