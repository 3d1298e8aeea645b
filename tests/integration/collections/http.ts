import type { TestApp, TestUser } from '../../helpers/app.ts';

/** A multipart/form-data body as RomM's web UI sends it. */
export function multipart(fields: Record<string, string>, file?: { name: string; filename: string; type: string; bytes: Buffer }) {
  const boundary = `----romshelf${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`));
    parts.push(file.bytes, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Calls the app as `user` (HTTP Basic: no CSRF) or anonymously; returns status and parsed body. */
export async function call(t: TestApp, user: TestUser | null, method: Method, url: string, opts: { json?: unknown; form?: Record<string, string>; file?: Parameters<typeof multipart>[1] } = {}) {
  const headers: Record<string, string> = user ? { authorization: user.basic } : {};
  let payload: string | Buffer | undefined;
  if (opts.form || opts.file) {
    const m = multipart(opts.form ?? {}, opts.file);
    payload = m.payload;
    Object.assign(headers, m.headers);
  } else if (opts.json !== undefined) {
    payload = JSON.stringify(opts.json);
    headers['content-type'] = 'application/json';
  }
  const res = await t.app.inject({ method, url, headers, ...(payload !== undefined ? { payload } : {}) });
  const body = res.body ? parse(res) : null;
  return { status: res.statusCode, body };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function parse(res: { json: () => any; body: string }): any {
  try {
    return res.json();
  } catch {
    return res.body;
  }
}
