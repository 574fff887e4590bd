// The only place that catches errors and picks the exit code. Everything below throws
// ImagectlError with a message written for the user; anything else is a bug, reported as
// such without a stack trace unless IMAGECTL_DEBUG is set.
import { applyCommand } from './commands/apply.js';
import { driftCommand } from './commands/drift.js';
import { importCommand } from './commands/import.js';
import { COMMON_HELP, HELP } from './commands/help.js';
import { processIo, type Io } from './commands/io.js';
import { planCommand } from './commands/plan.js';
import { simulateCommand } from './commands/simulate.js';
import { stateCommand } from './commands/state.js';
import { validateCommand } from './commands/validate.js';
import { ImagectlError, errorMessage } from './util/errors.js';

type Command = (argv: readonly string[], io: Io) => Promise<number>;

const commands: Record<string, Command> = {
  validate: validateCommand,
  plan: planCommand,
  apply: applyCommand,
  drift: driftCommand,
  import: importCommand,
  state: stateCommand,
  simulate: simulateCommand,
};

function help(io: Io, topic: string | undefined): number {
  const text = topic === undefined ? HELP['main'] : HELP[topic];
  if (text === undefined) {
    io.err(`imagectl: no help for '${topic}'\n`);
    return 1;
  }
  io.out(text + (topic === undefined ? '' : `\n${COMMON_HELP}\n`));
  return 0;
}

export async function main(argv: readonly string[], io: Io = processIo(argv.includes('--no-color'))): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') return help(io, undefined);
  if (name === 'help') return help(io, rest[0]);
  if (name === '--version') {
    io.out('imagectl 0.1.0\n');
    return 0;
  }
  const command = commands[name];
  if (!command) {
    io.err(`imagectl: unknown command '${name}'. Commands: ${Object.keys(commands).join(', ')}\n`);
    return 1;
  }
  if (rest.includes('--help') || rest.includes('-h')) return help(io, name);
  try {
    return await command(rest, io);
  } catch (e) {
    if (e instanceof ImagectlError) {
      io.err(`Error: ${e.message}\n`);
      return e.exitCode;
    }
    io.err(`Error: internal error: ${errorMessage(e)}\n`);
    if (process.env['IMAGECTL_DEBUG'] && e instanceof Error && e.stack) io.err(e.stack + '\n');
    return 1;
  }
}
