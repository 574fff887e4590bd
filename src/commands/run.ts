// What plan, apply and drift share: load and validate the config, resolve secrets, open the
// state store under a lock, connect the providers, and always release and close at the end.
import { resolveSecrets } from '../config/index.js';
import type { LoadedConfig } from '../config/types.js';
import { connectProviders, type Connected } from '../providers/connect.js';
import type { StateFile, StateStore } from '../state/types.js';
import { durationFlag, intFlag, str, type Parsed } from './args.js';
import { loadFromFlags } from './load-config.js';
import type { Io } from './io.js';
import { fenceSessions } from '../providers/fenced-sessions.js';
import { openConfiguredStore } from './state-stores.js';
import { traced } from '../util/trace.js';

export interface RunContext {
  config: LoadedConfig;
  store: StateStore;
  state: StateFile;
  connected: Connected;
  imageSecrets: Record<string, Record<string, string>>;
  parallelism: number;
}

export { loadFromFlags };

export function storeFor(config: LoadedConfig): StateStore {
  return openConfiguredStore(config);
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
  const store = storeFor(config);
  const lock = await store.lock({
    command: opts.command,
    mode: opts.mode,
    timeout_ms: lockTimeout,
    warn: (m) => io.err(`Warning: ${m}\n`),
  });
  try {
    const state = await traced('state read', () => store.read());
    const names = new Set([
      ...Object.values(config.images).map((i) => i.provider),
      ...Object.values(state.resources).map((r) => r.provider),
      // A deposed image may live on the provider its address moved away from.
      ...Object.values(state.resources).flatMap((r) => (r.deposed ?? []).map((d) => d.provider)),
      ...Object.values(state.pending).map((i) => i.provider),
    ]);
    const connected = await traced('connect', () => connectProviders(config, secrets.providers, [...names], { warn: (m) => io.err(`Warning: ${m}\n`), parallelism }, secrets.imageSecrets));
    // A writer checks its lock before every mutating cloud call (its store, before every write).
    const run = opts.mode === 'exclusive' ? { ...connected, sessions: fenceSessions(connected.sessions, lock) } : connected;
    try {
      const result = await body({ config, store, state, connected: run, imageSecrets: secrets.imageSecrets, parallelism });
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
