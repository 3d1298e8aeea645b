import { ApiError } from './api/client';

export interface Toast { id: number; text: string; kind: 'error' | 'info' }

/** Messages shown in the corner; errors carry the server's `detail`. */
export const toasts = $state<Toast[]>([]);
let next = 1;

export function notify(text: string, kind: Toast['kind'] = 'info'): void {
  const id = next++;
  toasts.push({ id, text, kind });
  setTimeout(() => dismiss(id), kind === 'error' ? 8000 : 4000);
}

export function dismiss(id: number): void {
  const i = toasts.findIndex((t) => t.id === id);
  if (i >= 0) toasts.splice(i, 1);
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.detail;
  if (error instanceof Error) return error.message;
  return String(error);
}

export function notifyError(error: unknown): void {
  notify(errorText(error), 'error');
}
