/** RomM's `sync:*` socket events, each for the device owner's sockets only (RomM's room `user:{id}`). */
export type SyncEvent =
  | { name: 'sync:started'; payload: { device_id: string; session_id: number; sync_mode: string } }
  | {
    name: 'sync:progress';
    payload: { device_id: string; session_id: number; operations_completed: number; operations_planned: number; current_file: string | null };
  }
  | { name: 'sync:completed'; payload: { device_id: string; session_id: number; operations_completed: number; operations_failed: number } }
  | { name: 'sync:conflict'; payload: { device_id: string; session_id: number; file_name: string; rom_id: number; reason: string } }
  | { name: 'sync:error'; payload: { device_id: string; session_id: number; error: string } };

export type SyncEventListener = (userId: number, event: SyncEvent) => void;

/** Where the sync transports announce their sessions; the socket server subscribes. */
export class SyncEvents {
  private readonly listeners = new Set<SyncEventListener>();

  subscribe(listener: SyncEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(userId: number, event: SyncEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(userId, event);
      } catch {
        // A listener's failure never stops a sync.
      }
    }
  }
}
