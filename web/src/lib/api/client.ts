import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

/** An API failure carrying the server's `detail` (RomM's error body) and status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'ApiError';
  }
}

/** The CSRF token the server issues in a readable cookie; writes echo it in a header (double submit). */
export function csrfToken(cookie = typeof document === 'undefined' ? '' : document.cookie): string {
  for (const part of cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === 'romm_csrftoken') return decodeURIComponent(rest.join('='));
  }
  return '';
}

/** Text of an error body: `detail` as a string, or FastAPI's 422 list joined. */
export function detailOf(body: unknown, fallback: string): string {
  if (body && typeof body === 'object' && 'detail' in body) {
    const detail: unknown = body.detail;
    if (typeof detail === 'string') return detail;
    if (Array.isArray(detail)) {
      return detail.map((d: { msg?: string; loc?: unknown[] }) => `${(d.loc ?? []).join('.')}: ${d.msg ?? ''}`).join('; ');
    }
  }
  return fallback;
}

let onUnauthorized: () => void = () => {};
/** Called when the server answers 401 (session expired): the app sends the user to the login page. */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

const csrf: Middleware = {
  onRequest({ request }) {
    if (!['GET', 'HEAD', 'OPTIONS'].includes(request.method)) request.headers.set('x-csrftoken', csrfToken());
    return request;
  },
  onResponse({ response }) {
    // The session probe (users/me) answering 401 is how the app learns nobody is logged in, not an expiry.
    if (response.status === 401 && !/\/api\/(login|users\/me)$/.test(new URL(response.url).pathname)) onUnauthorized();
    return response;
  },
};

/** Typed client generated from the server's OpenAPI document (`npm run gen:api-client`). */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(csrf);

/** Unwraps an openapi-fetch result: the data, or an ApiError with the server's detail. */
export async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok || error !== undefined) {
    throw new ApiError(response.status, detailOf(error, `${response.status} ${response.statusText}`));
  }
  return data as T;
}

/**
 * Raw fetch for routes whose bodies the generated types cannot express (multipart forms, endpoints added after
 * the last generation); same cookies, CSRF header and error mapping.
 */
export async function request<T>(method: string, url: string, body?: BodyInit | object | null): Promise<T> {
  const headers: Record<string, string> = {};
  if (!['GET', 'HEAD'].includes(method)) headers['x-csrftoken'] = csrfToken();
  let payload: BodyInit | undefined;
  if (body instanceof FormData || body instanceof URLSearchParams || body instanceof Blob || typeof body === 'string') {
    payload = body;
  } else if (body !== undefined && body !== null) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const response = await fetch(url, { method, headers, body: payload ?? null, credentials: 'same-origin' });
  if (response.status === 401 && !url.endsWith('/api/login')) onUnauthorized();
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  if (!response.ok) throw new ApiError(response.status, detailOf(json, text || `${response.status} ${response.statusText}`));
  return json as T;
}

/** A query string with repeated keys for lists (`genres=a&genres=b`), as RomM expects. */
export function queryString(params: Record<string, string | number | boolean | Array<string | number> | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const v of value) search.append(key, String(v));
    else search.append(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
