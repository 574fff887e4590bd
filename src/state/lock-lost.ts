// The one error a run gets when it finds that it no longer holds its lock: broken by a waiter
// that judged it stale (the run was paused: SIGSTOP, a suspended VM, a long GC), broken by
// `state unlock --force`, or its database session ended. Such a run must stop at once: another
// run may be applying the same state, and every write or cloud call from here on could undo it.
import { ImagectlError } from '../util/errors.js';

export function lockLostError(id: string, where: string, why: string): ImagectlError {
  return new ImagectlError(
    'STATE_LOCK_LOST',
    `this run no longer holds its lock ${id} on ${where}: ${why}. It stopped before writing the state or ` +
      'calling a cloud again; the operations it had journaled stay in the state, and the run that holds the lock now ' +
      '(or the next apply) resolves them.',
    { origin: 'user' },
  );
}
