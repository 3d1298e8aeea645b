import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';
import { png, writeTree } from '../helpers/rom-edit-fixtures.ts';

describeEachEngine('GET /assets/romm/resources/*', (ctx) => {
  let t: TestApp;
  let resources: string;
  const get = (url: string, method: 'GET' | 'HEAD' = 'GET') => t.app.inject({ method, url });

  beforeAll(async () => {
    t = await createTestApp(ctx());
    resources = path.join(t.config.dataPath, 'resources');
    await writeTree(resources, 'roms/1/2/cover/big.png', await png(10, 10));
    await writeTree(resources, 'roms/1/2/manual/2.pdf', '%PDF-1.4');
    await writeTree(resources, 'roms/1/2/evil.html', '<script>alert(1)</script>');
    await writeTree(resources, 'roms/1/2/evil.svg', '<svg onload="alert(1)"/>');
    await writeTree(resources, 'roms/1/2/.hidden.png', 'x');
    await writeTree(t.config.dataPath, 'secret.txt', 'secret');
    await writeTree(path.dirname(t.config.dataPath), 'outside.png', 'outside');
    await symlink(path.join(t.config.dataPath, 'secret.txt'), path.join(resources, 'roms/1/2/link.png'));
  });
  afterAll(async () => t.app.close());

  it('serves images publicly with the right type and nosniff', async () => {
    const res = await get('/assets/romm/resources/roms/1/2/cover/big.png?ts=2026-01-01 00:00:00+00:00');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain('sandbox');
    expect(res.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    const head = await get('/assets/romm/resources/roms/1/2/cover/big.png', 'HEAD');
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-length']).toBe(String(res.rawPayload.length));
    expect((await get('/assets/romm/resources/roms/1/2/manual/2.pdf')).headers['content-type']).toBe('application/pdf');
  });

  it('serves anything that is not a known media type as an attachment', async () => {
    for (const name of ['evil.html', 'evil.svg']) {
      const res = await get(`/assets/romm/resources/roms/1/2/${name}`);
      expect(res.headers['content-type']).toBe('application/octet-stream');
      expect(res.headers['content-disposition']).toBe('attachment');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it.each([
    '/assets/romm/resources/../secret.txt',
    '/assets/romm/resources/..%2fsecret.txt',
    '/assets/romm/resources/%2e%2e/secret.txt',
    '/assets/romm/resources/%252e%252e/secret.txt',
    '/assets/romm/resources/roms/..%2f..%2f..%2fsecret.txt',
    '/assets/romm/resources/..%5csecret.txt',
    '/assets/romm/resources/%2fetc%2fpasswd',
    '/assets/romm/resources//etc/passwd',
    '/assets/romm/resources/roms/1/2/cover/big.png%00.txt',
    '/assets/romm/resources/roms/1/2/link.png',
    '/assets/romm/resources/roms/1/2/.hidden.png',
    '/assets/romm/resources/roms/1/2/cover',
    '/assets/romm/resources/roms/1/2/cover/',
    '/assets/romm/resources/',
    '/assets/romm/resources/roms/9/9/cover/big.png',
  ])('never serves a file outside the resources directory for %s', async (url) => {
    const res = await get(url);
    // A path that normalises out of /assets/romm/resources reaches the web UI's shell, not a file.
    if (res.statusCode === 200) expect(res.headers['content-type']).toMatch(/^text\/html/);
    else expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain('secret');
    expect(res.body).not.toContain('root:');
  });
});
