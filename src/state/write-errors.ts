// How a local state write that cannot happen is told: one line each, no stack, and always what
// became of the state (nothing was written; the file still holds the generation it held).
import { ImagectlError, errorMessage } from '../util/errors.js';

/** The file on disk is no longer the generation this run read: another run wrote it meanwhile. */
export function stateConflictError(where: string, read: number | undefined, now: number | undefined): ImagectlError {
  const was = read === undefined ? 'no state yet' : `serial ${read}`;
  const is = now === undefined ? 'no state (it was removed)' : `serial ${now}`;
  return new ImagectlError(
    'STATE_CONFLICT',
    `${where} changed since this run read it (read ${was}, now ${is}); refusing to overwrite newer state. ` +
      'Another run wrote it while this one was working, so this run had lost its lock; nothing was written. ' +
      'Run the command again: it will start from the newer state.',
    { origin: 'user' },
  );
}

/** Disk full, permissions, I/O error: the atomic write left the previous file in place. */
export function stateWriteError(where: string, serial: number | undefined, cause: unknown): ImagectlError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const hint = code === 'ENOSPC' || code === 'EDQUOT'
    ? 'free some space'
    : code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? "fix the folder's permissions" : 'fix the cause';
  const kept = serial === undefined ? 'no state file was created' : `it still holds the previous state (serial ${serial})`;
  const reason = errorMessage(cause).split('\n')[0] ?? '';
  return new ImagectlError(
    'STATE_WRITE_FAILED',
    `cannot write ${where}: ${reason}. Nothing was lost: ${kept}; ${hint} and run the command again.`,
    { origin: 'user', cause },
  );
}
