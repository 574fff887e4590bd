// Splitting a plugin's output into lines, with a ceiling on a line's length. readline has none:
// a plugin that wrote a 700 MB line made it throw RangeError (a string past V8's limit) out of
// an event handler, a crash with a stack trace instead of a plugin error. Here bytes are held
// only up to `maxBytes`; past it the line is reported once and skipped to its end.
import type { Readable } from 'node:stream';

/** Longest protocol message: a list answer for tens of thousands of images fits many times over. */
export const MAX_LINE_BYTES = 32 * 1024 * 1024;

export interface LineHandlers {
  line(text: string): void;
  /** The current line passed `maxBytes`: it is dropped up to its newline. */
  tooLong(): void;
}

const NL = 0x0a;

export function readLines(stream: Readable, maxBytes: number, on: LineHandlers): void {
  let parts: Buffer[] = [];
  let held = 0;
  let skipping = false;
  const emit = (last: Buffer): void => {
    const buf = parts.length === 0 ? last : Buffer.concat([...parts, last]);
    parts = [];
    held = 0;
    // \r\n is one line end, as readline's crlfDelay: Infinity reads it.
    const end = buf.length > 0 && buf[buf.length - 1] === 0x0d ? buf.length - 1 : buf.length;
    on.line(buf.toString('utf8', 0, end));
  };
  stream.on('data', (chunk: Buffer) => {
    let start = 0;
    for (let nl = chunk.indexOf(NL, start); nl !== -1; nl = chunk.indexOf(NL, start)) {
      if (skipping) skipping = false;
      else if (held + (nl - start) > maxBytes) on.tooLong();
      else emit(chunk.subarray(start, nl));
      parts = [];
      held = 0;
      start = nl + 1;
    }
    if (skipping || start === chunk.length) return;
    const rest = chunk.subarray(start);
    if (held + rest.length > maxBytes) {
      parts = [];
      held = 0;
      skipping = true;
      on.tooLong();
      return;
    }
    parts.push(rest);
    held += rest.length;
  });
  stream.on('end', () => {
    if (!skipping && held > 0) emit(Buffer.alloc(0));
  });
}
