// The CLI's input and output: the edge where output happens.
// Everything inside returns strings or emits events; only commands write, through this, so
// tests can capture output and colour is decided once.
import { createInterface } from 'node:readline';
import { ImagectlError } from '../util/errors.js';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  colour: boolean;
  interactive: boolean;
  /** Rejects with INTERRUPTED on Ctrl-C at the prompt or when `signal` aborts (SIGINT, SIGTERM). */
  ask(question: string, signal?: AbortSignal): Promise<string>;
}

export const interrupted = (): ImagectlError => new ImagectlError('INTERRUPTED', 'interrupted: nothing was changed', { exitCode: 1 });

/**
 * A reader that went away (`imagectl plan | head -1`) is not an error of ours: the rest of the
 * output is dropped and the command finishes as usual, so its lock is released. Without a
 * listener, EPIPE is an unhandled 'error' event: a stack trace, and the lock left behind.
 */
function writer(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  // EPIPE in practice; any write error means nobody reads this stream any more.
  stream.on('error', () => void (closed = true));
  return (text) => {
    if (!closed) stream.write(text);
  };
}

/** The prompt's answer; an interrupt rejects it whether or not `io` listens to the signal. */
export async function askOrInterrupt(io: Io, question: string, signal: AbortSignal): Promise<string> {
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(interrupted());
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([io.ask(question, signal), aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

function ask(question: string, signal: AbortSignal | undefined): Promise<string> {
  if (signal?.aborted) return Promise.reject(interrupted());
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    const stop = (): void => {
      rl.close();
      process.stdout.write('\n');
      reject(interrupted());
    };
    // In a terminal, readline takes Ctrl-C itself and, with no listener, only pauses: the prompt
    // hung, and the run kept its lock.
    rl.on('SIGINT', stop);
    signal?.addEventListener('abort', stop, { once: true });
    rl.question(question, (answer) => {
      signal?.removeEventListener('abort', stop);
      rl.close();
      resolve(answer);
    });
  });
}

/**
 * Colour, decided once: `--no-color` always wins; then FORCE_COLOR (any value but '0' or 'false'
 * turns it on where there is no terminal, as CI logs that render ANSI want; '0' turns it off);
 * then NO_COLOR (any value, no-color.org); then a terminal on stdout that is not TERM=dumb.
 */
export function wantsColour(noColourFlag: boolean, env: NodeJS.ProcessEnv, stdoutIsTty: boolean): boolean {
  if (noColourFlag) return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env['NO_COLOR']) return false;
  return stdoutIsTty && env['TERM'] !== 'dumb';
}

export function processIo(noColourFlag: boolean): Io {
  return {
    out: writer(process.stdout),
    err: writer(process.stderr),
    colour: wantsColour(noColourFlag, process.env, process.stdout.isTTY === true),
    interactive: process.stdin.isTTY === true,
    ask,
  };
}
