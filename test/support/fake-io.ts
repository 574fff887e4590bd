// A fake terminal for running the CLI in process: captures output; `answer` makes it
// interactive and is what every prompt gets.
import type { Io } from '../../src/commands/io.js';

export type FakeIo = Io & { stdout: string; stderr: string; asked: number };

export function fakeIo(answer?: string): FakeIo {
  const io: FakeIo = {
    stdout: '',
    stderr: '',
    asked: 0,
    colour: false,
    interactive: answer !== undefined,
    out: (s: string) => void (io.stdout += s),
    err: (s: string) => void (io.stderr += s),
    ask: async () => {
      io.asked++;
      return answer ?? '';
    },
  };
  return io;
}
