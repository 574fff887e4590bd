// Reading a file the user named, with a ceiling. `{file: /dev/zero}` as a secret read 2.1 GB
// and a 50 MB YAML scalar took 25 s to reject: every file read for the configuration goes
// through here and reads at most limit + 1 bytes, whatever stat says (device files and pipes
// report a size of 0), so a wrong path fails at once with the file's name and the limit.
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';

export const MiB = 1024 * 1024;

/** Limits, with the reason for each: a configuration is text a person reviews; a secret is a short value. */
export const LIMITS = {
  /** The configuration file and each included file: room for tens of thousands of images. */
  config: 8 * MiB,
  /** A secret ({file: PATH}), a CA bundle. */
  secret: 1 * MiB,
} as const;

export class FileTooLargeError extends Error {
  constructor(readonly file: string, readonly limit: number) {
    super(`${file} is larger than ${describeLimit(limit)} (the limit for this kind of file; is it the right file?)`);
    this.name = 'FileTooLargeError';
  }
}

export function describeLimit(bytes: number): string {
  return bytes % MiB === 0 ? `${bytes / MiB} MiB` : `${bytes} bytes`;
}

const CHUNK = 64 * 1024;

/** The file's text, or FileTooLargeError once more than `limit` bytes have been read. */
export function readTextSync(file: string, limit: number, shownAs: string = file): string {
  const fd = openSync(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, limit + 1 - total));
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > limit) throw new FileTooLargeError(shownAs, limit);
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** As readTextSync, without blocking the event loop. */
export async function readText(file: string, limit: number, shownAs: string = file): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK * 16, limit + 1 - total));
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      total += bytesRead;
      if (total > limit) throw new FileTooLargeError(shownAs, limit);
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    await handle.close();
  }
}
