// The edge where output happens. Everything inside returns strings or emits events; only
// commands write, through this, so tests can capture output and colour is decided once.
import { createInterface } from 'node:readline';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  colour: boolean;
  interactive: boolean;
  ask(question: string): Promise<string>;
}

export function processIo(noColourFlag: boolean): Io {
  const colour = !noColourFlag && !process.env['NO_COLOR'] && process.stdout.isTTY === true && process.env['TERM'] !== 'dumb';
  return {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    colour,
    interactive: process.stdin.isTTY === true,
    ask: (question) =>
      new Promise((resolve) => {
        const rl = createInterface({ input: process.stdin, output: process.stdout });
        rl.question(question, (answer) => {
          rl.close();
          resolve(answer);
        });
      }),
  };
}
