import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Integration tests share the PostgreSQL and MariaDB `test` databases; each file uses its own schema
    // or prefix, so files may run in parallel.
    reporters: ['default'],
  },
});
