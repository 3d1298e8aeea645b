import { SerializerSelector, type SerializerFactory, type Serializer } from '@fastify/fast-json-stringify-compiler';

/**
 * Fastify's serializer factory, compiling each distinct response schema once. Hundreds of routes answer the same
 * shapes (RomM's ROM, save and error schemas); each compiled serializer keeps its generated source and code in the
 * heap, which made up a large part of an idle server's memory.
 */
export function sharedSerializerFactory(): SerializerFactory {
  const base = SerializerSelector();
  const compiled = new Map<string, Serializer>();
  return (externalSchemas, serializerOpts) => {
    const compile = base(externalSchemas, serializerOpts);
    const context = JSON.stringify([externalSchemas ?? null, serializerOpts ?? null]);
    return (route) => {
      // Symbol-keyed TypeBox markers drop out of the key; the serializer ignores them too.
      const key = `${context}\n${JSON.stringify(route.schema)}`;
      let serializer = compiled.get(key);
      if (!serializer) {
        serializer = compile(route);
        compiled.set(key, serializer);
      }
      return serializer;
    };
  };
}
