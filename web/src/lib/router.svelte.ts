/** A small history-API router: the current path and query as reactive state. */
export const location = $state({ path: window.location.pathname, search: window.location.search });

function sync(): void {
  location.path = window.location.pathname;
  location.search = window.location.search;
}

window.addEventListener('popstate', sync);

/** Go to an in-app URL; `replace` rewrites the current history entry (view-state updates). */
export function navigate(url: string, { replace = false } = {}): void {
  if (url === window.location.pathname + window.location.search) return;
  if (replace) history.replaceState(history.state, '', url);
  else history.pushState(null, '', url);
  sync();
  if (!replace) window.scrollTo(0, 0);
}

/** Intercept plain left clicks on same-origin links so navigation stays in the app. */
export function interceptLinks(root: HTMLElement): () => void {
  const onClick = (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = (event.target as Element | null)?.closest('a');
    if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
    const url = new URL(anchor.href, window.location.href);
    if (url.origin !== window.location.origin || url.pathname.startsWith('/api/') || url.pathname.startsWith('/assets/')) return;
    event.preventDefault();
    navigate(url.pathname + url.search);
  };
  root.addEventListener('click', onClick);
  return () => root.removeEventListener('click', onClick);
}

export interface Match {
  name: string;
  params: Record<string, string>;
}

/** First route whose pattern (`/rom/:id`) matches the path. */
export function matchRoute(path: string, routes: Array<[string, string]>): Match | null {
  const parts = path.replace(/\/+$/, '').split('/').slice(1);
  for (const [pattern, name] of routes) {
    const want = pattern.replace(/\/+$/, '').split('/').slice(1);
    if (want.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let matched = true;
    for (let i = 0; i < want.length; i++) {
      const w = want[i] ?? '';
      const p = parts[i] ?? '';
      if (w.startsWith(':')) params[w.slice(1)] = decodeURIComponent(p);
      else if (w !== p) matched = false;
    }
    if (matched) return { name, params };
  }
  return null;
}
