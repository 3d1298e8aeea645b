import { runServe } from './cli/serve.ts';
import { runUserCommand } from './cli/user.ts';

const USAGE = `usage: romshelf <command>

commands:
  serve                                   start the API and web UI server (what npm start runs)
  scan [--type quick|complete|hashes|new_platforms] [--platform FS_SLUG]
                                          scan the library into the database
  dat import                              import the DAT files of DATS_PATH (new and changed ones; removed files' DATs
                                          are deleted), then verify the library against them
  dat verify                              verify the library against the imported DATs
  dat report --platform SLUG [--csv|--fixdat]
                                          a platform's verification counts and missing games (or the CSV, or a fixdat)
  user create --username U --password P --role admin|editor|viewer [--email E]
                                          create a user

All commands read the same environment variables as the server (see README).`;

export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return runServe();
    case 'scan': {
      const { runScanCommand } = await import('./cli/scan.ts');
      return runScanCommand(rest);
    }
    case 'dat': {
      const { runDatCommand } = await import('./cli/dat.ts');
      return runDatCommand(rest);
    }
    case 'user':
      return runUserCommand(rest);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      console.log(USAGE);
      return command === undefined ? 1 : 0;
    default:
      console.error(`romshelf: unknown command '${command}'\n\n${USAGE}`);
      return 2;
  }
}
