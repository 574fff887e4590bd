// Opening the state store the configuration names: the local file (default) or PostgreSQL. The
// connection URL is read here, at the last moment and in memory only (it holds a password).
import { resolve } from 'node:path';
import type { LoadedConfig } from '../config/types.js';
import { resolveStateUrl } from '../config/state-block.js';
import { openStateStore } from '../state/index.js';
import { PostgresStateStore } from '../state/postgres/index.js';
import type { StateStore } from '../state/types.js';
import { ImagectlError } from '../util/errors.js';

/** The store `state:` selects with `backend` (local when absent). */
export function openConfiguredStore(config: LoadedConfig): StateStore {
  return config.state.backend === 'postgres' ? openPostgres(config) : openLocal(config);
}

/** The local file: `--path FILE` (relative to the working folder) or the configured path. */
export function openLocal(config: LoadedConfig, pathFlag?: string): StateStore {
  return openStateStore(pathFlag === undefined ? resolve(config.dir, config.state.path) : resolve(pathFlag));
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
