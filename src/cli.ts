/**
 * `scaling-lens` — the command line over the same core the extension uses.
 *   scaling-lens inspect FILE [--json]
 *   scaling-lens fit FILE [--law …] [--json] …
 *   scaling-lens config FILE [--json]
 *   scaling-lens sweep DIR [--json] [--law …] [--budget C]
 *   scaling-lens split FILE [--json]
 * Errors end with one clear line on stderr and a non-zero exit code, never a stack trace.
 */
import { runInspect } from './cli/inspect';
import { runFit } from './cli/fit';
import { runConfig } from './cli/config';
import { runSweep } from './cli/sweep';
import { runSplit } from './cli/split';
import { terminalSafe } from './core/escape';

const USAGE = `usage: scaling-lens <command> FILE [options]

commands:
  inspect FILE [--json]     detected format, columns and their roles, rows, problems
  fit FILE [options]        fit a scaling law (see: scaling-lens fit --help)
  config FILE [--json]      parameters, tokens, FLOPs and tokens-per-parameter of a training config
  sweep DIR [options]       find the training runs under DIR and fit a law across them (see: scaling-lens sweep --help)
  split FILE [--json]       a log holding several runs one after another (a sweep printed to one console):
                           each run written beside it in a folder of its own, STEM-runs/run-K/FILE (never
                           into an existing folder)
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'inspect':
      return runInspect(rest);
    case 'fit':
      return runFit(rest);
    case 'config':
      return runConfig(rest);
    case 'sweep':
      return runSweep(rest);
    case 'split':
      return runSplit(rest);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`scaling-lens: unknown command '${command}'\n${USAGE}`);
      return 2;
  }
}

if (require.main === module) {
  // `scaling-lens … | head` closes the pipe early: end quietly instead of an unhandled EPIPE.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (err: unknown) => {
      process.stderr.write(`scaling-lens: ${terminalSafe(err instanceof Error ? err.message : String(err))}\n`);
      process.exitCode = 1;
    },
  );
}
