// Command `imagectl state history | pull | lock-info | unlock | migrate`.
// A store's generations and locks, and copying the state between backends.
// Each opens its own store(s) and closes them, so a database connection never outlives it.
import { openConfiguredStore, openLocal, openPostgres } from '../state/configured-store.js';
import { copyState } from '../state/copy-backend.js';
import { serializeState } from '../state/index.js';
import type { LockHolder, StateFile, StateStore } from '../state/types.js';
import { describeHolder } from '../state/postgres/index.js';
import type { LoadedConfig } from '../config/types.js';
import { ImagectlError } from '../util/errors.js';
import { bool, durationFlag, intFlag, str, type Parsed } from './args.js';
import type { Io } from './io.js';

export type StateTool = (config: LoadedConfig, p: Parsed, rest: string[], io: Io) => Promise<number>;

async function using<T>(store: StateStore, body: (s: StateStore) => Promise<T>): Promise<T> {
  try {
    return await body(store);
  } finally {
    await store.close?.();
  }
}

function unsupported(store: StateStore, what: string): ImagectlError {
  return new ImagectlError('STATE_UNSUPPORTED', `${store.description} cannot ${what}`, { origin: 'user' });
}

const history: StateTool = (config, p, _rest, io) =>
  using(openConfiguredStore(config), async (store) => {
    if (!store.history) throw unsupported(store, 'list its generations');
    const gens = await store.history();
    if (bool(p, 'json')) {
      io.out(`${JSON.stringify(gens, null, 2)}\n`);
      return 0;
    }
    if (gens.length === 0) {
      io.out(`${store.description} has no saved generations yet.\n`);
      return 0;
    }
    io.out('SERIAL  SAVED                     IMAGES  PENDING  WRITTEN BY\n');
    for (const g of gens) {
      const by = g.writer ? `${g.writer.user}@${g.writer.host} (pid ${g.writer.pid}) \`${g.writer.command}\`` : g.where;
      io.out(`${String(g.serial).padEnd(7)} ${g.saved.padEnd(25)} ${String(g.resources).padEnd(7)} ${String(g.pending).padEnd(8)} ${by}\n`);
    }
    io.out(`Lineage ${gens[0]?.lineage ?? ''}. Print one with \`imagectl state pull --serial N\`.\n`);
    return 0;
  });

/** The current state, or generation N, as the JSON a state file holds (secrets are fingerprints). */
const pull: StateTool = (config, p, _rest, io) =>
  using(openConfiguredStore(config), async (store) => {
    let state: StateFile;
    if (str(p, 'serial') === undefined) state = await store.read();
    else if (!store.pull) throw unsupported(store, 'show earlier generations');
    else state = await store.pull(intFlag(p, 'serial', 0, 0));
    io.out(serializeState(state));
    return 0;
  });

const lockInfo: StateTool = (config, p, _rest, io) =>
  using(openConfiguredStore(config), async (store) => {
    if (!store.lockHolders) throw unsupported(store, 'list its lock holders');
    const holders: LockHolder[] = await store.lockHolders();
    if (bool(p, 'json')) {
      io.out(`${JSON.stringify(holders, null, 2)}\n`);
      return 0;
    }
    if (holders.length === 0) {
      io.out(`${store.description} is not locked.\n`);
      return 0;
    }
    io.out(`${store.description} is locked by:\n`);
    for (const h of holders) io.out(`  ${describeHolder(h)}\n`);
    return 0;
  });

const unlock: StateTool = (config, p, rest, io) =>
  using(openConfiguredStore(config), async (store) => {
    const id = rest[0];
    if (!id) throw new ImagectlError('USAGE', 'usage: imagectl state unlock LOCK_ID [--force]');
    await store.unlock(id, { force: bool(p, 'force') });
    io.out(`Lock ${id} released.\n`);
    return 0;
  });

/** Copies the state between the local file and PostgreSQL (state/copy-backend.ts). */
const migrate: StateTool = async (config, p, _rest, io) => {
  const to = str(p, 'to');
  if (to !== 'postgres' && to !== 'local') throw new ImagectlError('USAGE', 'usage: imagectl state migrate --to postgres|local [--path FILE]');
  const local = openLocal(config, str(p, 'path'));
  const postgres = openPostgres(config);
  const [source, target] = to === 'postgres' ? [local, postgres] : [postgres, local];
  const lock = { command: `state migrate --to ${to}`, mode: 'exclusive' as const, timeout_ms: durationFlag(p, 'lock-timeout', 0), warn: (m: string) => io.err(`Warning: ${m}\n`) };
  try {
    const copied = await copyState({ local, postgres, to, lock });
    io.out(`Copied lineage ${copied.lineage} serial ${copied.serial} (${copied.images} images, ${copied.pending} pending) ` +
      `from ${source.description} to ${target.description}.\n`);
    if (copied.pending > 0) io.out(`It holds ${copied.pending} interrupted operation(s); the next apply resolves them.\n`);
    const active = config.state.backend ?? 'local';
    io.out(active === to
      ? `The configuration already uses the ${to} backend.\n`
      : `Now set \`backend: ${to}\` under state: in ${config.file}; ${source.description} is left as it was.\n`);
    return 0;
  } finally {
    await Promise.all([local.close?.(), postgres.close?.()]);
  }
};

export const STATE_TOOLS: Readonly<Record<string, StateTool>> = { history, pull, 'lock-info': lockInfo, unlock, migrate };
export const STATE_TOOL_FLAGS = { values: ['serial', 'to', 'path'], booleans: ['force', 'json'] } as const;
