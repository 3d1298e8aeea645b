import Fastify from 'fastify';
import { expect, it } from 'vitest';
import { sharedSerializerFactory } from '../../../src/api/plugins/shared-serializers.ts';

it('compiles each distinct response schema once and still serializes each route by its own schema', async () => {
  let compiled = 0;
  const factory = sharedSerializerFactory();
  const counting: typeof factory = (external, opts) => {
    const compile = factory(external, opts);
    return (route) => {
      const s = compile(route);
      if (!seen.has(s)) { seen.add(s); compiled++; }
      return s;
    };
  };
  const seen = new Set<unknown>();
  const app = Fastify({ schemaController: { compilersFactory: { buildSerializer: counting } } });
  const item = { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } } } as const;
  const error = { type: 'object', properties: { detail: { type: 'string' } } } as const;
  for (const url of ['/a', '/b', '/c']) {
    app.get(url, { schema: { response: { 200: item, 404: error } } }, async (req, reply) =>
      (url === '/c' ? reply.code(404).send({ detail: 'gone', extra: 1 }) : { id: '7', name: url, secret: 'x' }));
  }
  app.get('/d', { schema: { response: { 200: { type: 'object', properties: { id: { type: 'string' } } } } } }, async () => ({ id: 7, name: 'n' }));
  await app.ready();
  // Three distinct schemas (item, error, /d's) for seven route/status pairs.
  expect(compiled).toBe(3);
  expect((await app.inject('/a')).json()).toEqual({ id: 7, name: '/a' });
  expect((await app.inject('/c')).json()).toEqual({ detail: 'gone' });
  expect((await app.inject('/d')).json()).toEqual({ id: '7' });
  await app.close();
});
