import { startServer } from '../server.ts';
import { explainAndExit } from '../startup.ts';

export async function runServe(): Promise<number> {
  try {
    await startServer();
    // The process now lives until a signal closes the server.
    return await new Promise<number>(() => undefined);
  } catch (err) {
    return explainAndExit(err);
  }
}
