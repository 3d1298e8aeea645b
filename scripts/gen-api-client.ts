import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateSchemaSource, SCHEMA_FILE } from './api-schema.ts';

// Regenerates the web UI's typed API client from the routes' schemas; CI fails when the committed copy is stale.
const source = await generateSchemaSource();
await mkdir(path.dirname(SCHEMA_FILE), { recursive: true });
await writeFile(SCHEMA_FILE, source);
console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)} (${source.length} bytes)`);
process.exit(0);
