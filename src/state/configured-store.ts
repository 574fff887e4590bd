// Opening the state store the configuration names: the local file (default) or PostgreSQL. The
// connection URL is read here, at the last moment and in memory only (it holds a password).
// The one arrow between state/ and config/ runs from here to config/ (its types and the state
// block's URL reader); config/ imports nothing from state/. Not re-exported by state/index.ts,
// so that importing the state format does not load the PostgreSQL client.
import { resolve } from 'node:path';
import type { LoadedConfig } from '../config/types.js';
import { resolveStateUrl } from '../config/rules/state-block.js';
import { ImagectlError } from '../util/errors.js';
import { openStateStore } from './index.js';
import { DEFAULT_LOCK_TUNING, type LockTuning } from './lock-file.js';
import { PostgresStateStore } from './postgres/index.js';
import type { StateStore } from './types.js';

/** The store `state:` selects with `backend` (local when absent). */
export function openConfiguredStore(config: LoadedConfig): StateStore {
  return config.state.backend === 'postgres' ? openPostgres(config) : openLocal(config);
}

/** The local file: `--path FILE` (relative to the working folder) or the configured path. */
export function openLocal(config: LoadedConfig, pathFlag?: string): StateStore {
  const lock = lockTuningFromEnv(process.env['IMAGECTL_LOCK_TUNING']);
  return openStateStore(pathFlag === undefined ? resolve(config.dir, config.state.path) : resolve(pathFlag), lock ? { lock } : {});
}

/**
 * `IMAGECTL_LOCK_TUNING=heartbeat_ms=1000,stale_ms=10000,poll_ms=100`: the local lock's intervals
 * (defaults 5 s, 30 s, 200 ms). The tests shorten them; a team whose runners pause for long
 * (suspended VMs) may lengthen stale_ms. It must stay well above heartbeat_ms.
 */
export function lockTuningFromEnv(text: string | undefined): Partial<LockTuning> | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const out: Partial<LockTuning> = {};
  for (const part of text.split(',')) {
    const [key = '', value = ''] = part.split('=').map((x) => x.trim());
    const n = Number(value);
    if (!(key in DEFAULT_LOCK_TUNING) || !/^\d+$/.test(value) || n <= 0) {
      throw new ImagectlError('USAGE', `IMAGECTL_LOCK_TUNING: expected heartbeat_ms=N,stale_ms=N,poll_ms=N (positive milliseconds), got "${part}"`);
    }
    out[key as keyof LockTuning] = n;
  }
  const t = { ...DEFAULT_LOCK_TUNING, ...out };
  if (t.stale_ms < 2 * t.heartbeat_ms) {
    throw new ImagectlError('USAGE', `IMAGECTL_LOCK_TUNING: stale_ms (${t.stale_ms}) must be at least twice heartbeat_ms (${t.heartbeat_ms}), or live runs look stale`);
  }
  return out;
}

export function openPostgres(config: LoadedConfig): StateStore {
  const pg = config.state.postgres;
  if (pg === undefined) {
    throw new ImagectlError(
      'STATE_BACKEND_UNCONFIGURED',
      `${config.file} configures no PostgreSQL state: add under state: url: {env: IMAGECTL_PG_URL} (and optionally schema and workspace)`,
      { origin: 'user' },
    );
  }
  return new PostgresStateStore({ url: resolveStateUrl(pg.url, config.dir), schema: pg.schema, workspace: pg.workspace });
}
