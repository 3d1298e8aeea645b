import { api, ok, request } from './api/client';
import type { Heartbeat, User } from './api/types';

/** Who is logged in, what they may do, and whether the server still needs its first admin. */
export const session = $state<{ user: User | null; scopes: Set<string>; heartbeat: Heartbeat | null; ready: boolean }>({
  user: null,
  scopes: new Set(),
  heartbeat: null,
  ready: false,
});

/** The UI hides what the scopes do not allow; the server enforces it regardless. */
export function can(scope: string): boolean {
  return session.scopes.has(scope);
}

export async function loadSession(): Promise<void> {
  // Both at once: the heartbeat (which also sets the CSRF cookie writes need) and who is logged in.
  const [heartbeat, me] = await Promise.all([ok(api.GET('/api/heartbeat')), api.GET('/api/users/me')]);
  session.heartbeat = heartbeat;
  session.user = !heartbeat.SYSTEM.SHOW_SETUP_WIZARD && me.response.ok && me.data ? me.data : null;
  session.scopes = new Set(session.user?.oauth_scopes ?? []);
  session.ready = true;
}

export async function login(username: string, password: string): Promise<void> {
  const basic = btoa(String.fromCharCode(...new TextEncoder().encode(`${username}:${password}`)));
  const response = await fetch('/api/login', {
    method: 'POST',
    headers: { authorization: `Basic ${basic}` },
    credentials: 'same-origin',
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { detail?: string } | null;
    throw new Error(body?.detail ?? 'Login failed');
  }
  await loadSession();
}

export async function logout(): Promise<void> {
  await request('POST', '/api/logout');
  session.user = null;
  session.scopes = new Set();
  await loadSession();
}
