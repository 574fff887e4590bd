// The only place that catches errors and picks the exit code. Everything below throws
// ImagectlError with a message written for the user; anything else is a bug, reported as
// such without a stack trace unless IMAGECTL_DEBUG is set.
import { createRequire } from 'node:module';
import { COMMON_HELP, HELP } from './commands/help.js';
import { processIo, type Io } from './commands/io.js';
import { closest } from './util/suggest.js';
import { ImagectlError, errorMessage } from './util/errors.js';

type Command = (argv: readonly string[], io: Io) => Promise<number>;

// Loaded on demand: `validate` must not pay for the drivers' HTTP stacks, the simulators, the
// renderers and the applier it never uses (start-up time is most of a CI validate job).
const commands: Record<string, () => Promise<Command>> = {
  validate: async () => (await import('./commands/validate.js')).validateCommand,
  plan: async () => (await import('./commands/plan.js')).planCommand,
  apply: async () => (await import('./commands/apply.js')).applyCommand,
  drift: async () => (await import('./commands/drift.js')).driftCommand,
  import: async () => (await import('./commands/import.js')).importCommand,
  state: async () => (await import('./commands/state.js')).stateCommand,
  simulate: async () => (await import('./commands/simulate.js')).simulateCommand,
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

/** package.json's version: ../package.json is the package root from both src/ and dist/. */
function version(): string {
  const pkg = createRequire(import.meta.url)('../package.json') as { version?: unknown };
  return String(pkg.version);
}

export async function main(argv: readonly string[], io: Io = processIo(argv.includes('--no-color'))): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') return help(io, undefined);
  if (name === 'help') return help(io, rest[0]);
  if (name === '--version' || name === '-v' || name === 'version') {
    io.out(`imagectl ${version()}\n`);
    return 0;
  }
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) {
    const guess = closest(name, [...Object.keys(commands), 'help', 'version']);
    const hint = guess === undefined ? '' : ` (did you mean '${guess}'?)`;
    io.err(`imagectl: unknown command '${name}'${hint}. Commands: ${Object.keys(commands).join(', ')}\n`);
    return 1;
  }
  if (rest.includes('--help') || rest.includes('-h')) return help(io, name);
  try {
    const command = await load();
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
