import { parseArgs } from 'node:util';
import pino from 'pino';
import { resolveAuthSecret } from '../auth/secret.ts';
import { AppError } from '../common/errors.ts';
import { composeServices } from '../compose.ts';
import { ensureWritableDir, explainAndExit, loadConfigOrExplain, openConfiguredDatabase } from '../startup.ts';

export async function runUserCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'create') {
    console.error('usage: romshelf user create --username U --password P --role admin|user|editor|viewer [--email E]');
    return 2;
  }
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: { username: { type: 'string' }, password: { type: 'string' }, role: { type: 'string' }, email: { type: 'string' } },
      strict: true,
    }));
  } catch (err) {
    console.error(`romshelf user create: ${(err as Error).message}`);
    return 2;
  }
  if (!values.username || !values.password || !values.role) {
    console.error('romshelf user create: --username, --password and --role are required');
    return 2;
  }
  try {
    const config = loadConfigOrExplain();
    await ensureWritableDir(config.dataPath, 'DATA_PATH');
    const db = await openConfiguredDatabase(config);
    try {
      const services = composeServices(config, db, await resolveAuthSecret(config.authSecret, config.dataPath), pino({ level: 'silent' }));
      const user = await services.users.createFromCli({ username: values.username, password: values.password, role: values.role, email: values.email ?? null });
      console.log(`created ${values.role.trim().toLowerCase()} '${user.username}' (id ${user.id})`);
      return 0;
    } finally {
      await db.destroy();
    }
  } catch (err) {
    if (err instanceof AppError) {
      console.error(`romshelf user create: ${err.detail}`);
      return 1;
    }
    return explainAndExit(err);
  }
}
