import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { generateSchemaSource, SCHEMA_FILE } from '../../scripts/api-schema.ts';

// The web UI's typed client is generated from the server's own OpenAPI document; a route change without
// `npm run gen:api-client` fails here instead of drifting silently.
it('the committed web API client matches the server\'s OpenAPI document', async () => {
  const committed = await readFile(SCHEMA_FILE, 'utf8');
  const fresh = await generateSchemaSource();
  expect(committed === fresh, 'web/src/lib/api/schema.d.ts is stale: run `npm run gen:api-client` and commit it').toBe(true);
}, 60_000);
