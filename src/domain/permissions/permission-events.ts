/**
 * Who must re-read their permissions. RomM broadcasts `permissions:changed` with the user id and each client
 * re-fetches `/api/permissions/me` when it is about itself; the socket server subscribes here.
 */
export class PermissionEvents {
  private readonly listeners = new Set<(userId: number) => void>();

  subscribe(listener: (userId: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(userIds: Iterable<number>): void {
    for (const id of userIds) for (const listener of this.listeners) listener(id);
  }
}
