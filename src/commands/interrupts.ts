// The CLI's Ctrl-C for apply: the first SIGINT/SIGTERM stops new work and waits a grace period
// for calls in flight; a second one stops the wait (the journal keeps those calls for the next
// apply). The applier only sees the two signals; the messages and the process are the CLI's.
import type { ApplyResult } from '../apply/apply.js';
import type { Io } from './io.js';

export interface Interrupts {
  /** Aborted by the first interrupt: no new work starts, prompts give way. */
  stop: AbortSignal;
  /** From here on, an interrupt explains that calls in flight are being waited for. */
  applying(): void;
  /** Wait for the run; once interrupted, wait at most the grace period more, not at all once forced. */
  withGrace(run: Promise<ApplyResult>): Promise<ApplyResult | 'timeout'>;
  /** Stop listening for the signals. */
  dispose(): void;
}

export function trapInterrupts(io: Io, graceMs: number): Interrupts {
  const stop = new AbortController();
  // A second interrupt stops the wait for calls in flight: the journal keeps them for the next apply.
  const force = new AbortController();
  let interrupted = false;
  let applying = false;
  const onSignal = (): void => {
    if (interrupted) {
      if (applying && !force.signal.aborted) io.err('\nSecond interrupt: no longer waiting; calls in flight are journaled and the next apply resolves them.\n');
      force.abort();
      return;
    }
    interrupted = true;
    stop.abort();
    if (applying) io.err(`\nInterrupt received: no new work starts; waiting up to ${Math.round(graceMs / 1000)}s for calls in flight, then saving state (interrupt again to stop waiting).\n`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    stop: stop.signal,
    applying: () => void (applying = true),
    withGrace: (run) => withGrace(run, stop.signal, graceMs, force.signal),
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

async function withGrace(run: Promise<ApplyResult>, stop: AbortSignal, graceMs: number, force: AbortSignal): Promise<ApplyResult | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<'timeout'>((resolve) => {
    const arm = (): void => void (timer = setTimeout(() => resolve('timeout'), graceMs));
    if (stop.aborted) arm();
    else stop.addEventListener('abort', arm, { once: true });
    if (force.aborted) resolve('timeout');
    else force.addEventListener('abort', () => resolve('timeout'), { once: true });
  });
  try {
    return await Promise.race([run, grace]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}
