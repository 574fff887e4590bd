// The CLI's run around plan, apply, drift and import.
// Loads the config, resolves secrets, opens the state store under a lock, connects the
// providers, and always releases and closes at the end.
import { resolveSecrets } from '../config/index.js';
import type { PlanSources } from '../plan-pipeline/make-plan.js';
import { connectProviders, providersInUse } from '../providers/connect.js';
import { fenceSessions } from '../providers/fenced-sessions.js';
import { openConfiguredStore } from '../state/configured-store.js';
import type { StateStore } from '../state/types.js';
import { traced } from '../util/trace.js';
import { durationFlag, intFlag, type Parsed } from './args.js';
import type { Io } from './io.js';
import { loadFromFlags } from './load-config.js';

/** What a command's body works with: what plans read, and the store the run holds locked. */
export interface RunContext extends PlanSources {
  store: StateStore;
}

export async function withRun<T>(
  p: Parsed,
  io: Io,
  opts: { command: string; mode: 'exclusive' | 'shared' },
  body: (ctx: RunContext) => Promise<T>,
): Promise<T> {
  // Flags first: a typo must not wait for config loading or a lock.
  const parallelism = intFlag(p, 'parallelism', 10);
  const lockTimeout = durationFlag(p, 'lock-timeout', 0);
  const config = await traced('config', () => loadFromFlags(p));
  for (const w of config.warnings) io.err(`Warning: ${w}\n`);
  const secrets = resolveSecrets(config);
  const store = openConfiguredStore(config);
  const lock = await store.lock({
    command: opts.command,
    mode: opts.mode,
    timeout_ms: lockTimeout,
    warn: (m) => io.err(`Warning: ${m}\n`),
  });
  try {
    const state = await traced('state read', () => store.read());
    const names = providersInUse(config, state);
    const connected = await traced('connect', () => connectProviders(config, secrets.providers, names, { warn: (m) => io.err(`Warning: ${m}\n`), parallelism }, secrets.imageSecrets));
    // A writer checks its lock before every mutating cloud call (its store, before every write).
    const sessions = opts.mode === 'exclusive' ? fenceSessions(connected.sessions, lock) : connected.sessions;
    try {
      const result = await body({ config, store, state, sessions, schemas: connected.schemas, secrets: secrets.imageSecrets, parallelism });
      if (opts.mode === 'exclusive') await lock.assertHeld?.(); // a run that lost its lock never reports success
      return result;
    } catch (e) {
      // Step failures caused by a lost lock are best explained by the lock itself.
      if (opts.mode === 'exclusive') await lock.assertHeld?.();
      throw e;
    } finally {
      await connected.close();
    }
  } finally {
    await lock.release();
    await store.close?.(); // a database store's connections
  }
}
