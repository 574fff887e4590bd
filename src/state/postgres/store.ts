// The PostgreSQL state store: the same StateStore contract as the local file (serial grows only
// when content changes, lineage fixed, invalid states never written), for teams whose runners
// share one database. Every write is ONE transaction that bumps the workspace row only if it
// still has the serial this store read (`UPDATE ... WHERE serial = $read`): if another run wrote
// in between (this run's lock was lost or broken), nothing is written and STATE_CONFLICT says
// so; newer state is never overwritten. Resources and pending intents are rows written in that
// same transaction, so the journal of in-flight operations is as durable as the state itself and
// crash recovery works from any machine.
import { hostname, userInfo } from 'node:os';
import type { PoolClient } from 'pg';
import { ImagectlError } from '../../util/errors.js';
import { assertWritable, emptyState, parseState } from '../format.js';
import { compareSnapshots, snapshotOf } from '../snapshot.js';
import type { Generation, Lock, LockHolder, LockOptions, StateFile, StateStore, UnlockOptions } from '../types.js';
import { Connection } from './connection.js';
import { holdersOf, unlockPg, type Holders } from './holders.js';
import { listHistory, pullGeneration, type Writer } from './history.js';
import type { PgHeldLock } from './held-lock.js';
import { acquirePgLock } from './lock.js';
import { quoteIdent } from './migrations.js';
import { documentText, type Envelope } from './documents.js';
import { saveGeneration, type Baseline } from './save.js';

export interface PostgresStoreOptions {
  /** The connection URL, resolved from the config's {env}/{file} reference; never printed. */
  url: string;
  schema: string;
  workspace: string;
}

export class PostgresStateStore implements StateStore {
  readonly description: string;
  private readonly db: Connection;
  private readonly holders: Holders;
  private baseline: Baseline | undefined;
  /** The exclusive lock taken through this store, while held: writes carry its fencing token. */
  private held: PgHeldLock | undefined;
  private writer: Writer = { command: 'imagectl', host: hostname(), user: osUser(), pid: process.pid };
  /** Writes run one at a time, in call order, as in the local store. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: PostgresStoreOptions) {
    this.db = new Connection(opts.url, opts.schema);
    this.description = `postgres state ${this.db.target} (schema ${opts.schema}, workspace ${opts.workspace})`;
    this.holders = holdersOf(opts.schema, opts.workspace);
  }

  /** A missing workspace is a fresh state; its row is not created until the first write. */
  async read(): Promise<StateFile> {
    const found = await this.db.run('reading the state', (db) => this.readRows(db));
    if (found === undefined) {
      const fresh = emptyState();
      this.baseline = { exists: false, lineage: fresh.lineage, serial: 0, checkpoint: 0, content: snapshotOf(fresh) };
      return fresh;
    }
    this.baseline = found.baseline;
    return found.state;
  }

  write(state: StateFile): Promise<StateFile> {
    return this.enqueue(() => this.writeNow(state, false));
  }

  push(state: StateFile): Promise<StateFile> {
    return this.enqueue(() => this.writeNow(state, true));
  }

  async lock(opts: LockOptions): Promise<Lock> {
    await this.db.run('connecting', async () => undefined); // tables ready before the lock row is written
    const lock = await acquirePgLock(
      {
        schema: this.opts.schema, workspace: this.opts.workspace, description: this.description,
        session: () => this.db.session(), holders: this.holders, mapError: (e, what) => this.db.error(e, what),
      },
      opts,
    );
    // Generations written under this lock name its command, host and user in the history.
    this.writer = { command: opts.command, host: lock.info.host, user: lock.info.user, pid: lock.info.pid };
    if (opts.mode !== 'exclusive') return lock;
    this.held = lock;
    return {
      info: lock.info,
      assertHeld: () => lock.assertHeld(),
      release: async () => {
        if (this.held === lock) this.held = undefined;
        await lock.release();
      },
    };
  }

  unlock(id: string, opts: UnlockOptions = {}): Promise<void> {
    const ctx = { schema: this.opts.schema, workspace: this.opts.workspace, description: this.description, holders: this.holders };
    return this.db.run('releasing the lock', (db) => unlockPg(ctx, db, id, opts.force === true));
  }

  lockHolders(): Promise<LockHolder[]> {
    return this.db.run('reading the lock holders', (db) => this.holders(db));
  }

  history(): Promise<Generation[]> {
    return this.db.run('reading the history', (db) => listHistory(db, this.opts.schema, this.opts.workspace));
  }

  pull(serial: number): Promise<StateFile> {
    return this.db.run(`reading generation ${serial}`, (db) => pullGeneration(db, this.opts.schema, this.opts.workspace, serial, this.description));
  }

  close(): Promise<void> {
    return this.db.close();
  }

  private enqueue(job: () => Promise<StateFile>): Promise<StateFile> {
    const result = this.queue.then(job);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async writeNow(state: StateFile, exact: boolean): Promise<StateFile> {
    // A session known to be gone stops the run before anything else; the fencing token below
    // catches the case where it is not known yet (the write's own transaction checks it).
    this.held?.assertNotLost();
    const fence = this.held?.fence;
    // A store that never read compares with the database, like the local store with its file.
    if (this.baseline === undefined || exact) await this.read();
    const base = this.baseline as Baseline;
    if (base.exists && base.lineage !== state.lineage) throw this.lineageError(state.lineage, base.lineage, exact, base.serial);
    const content = snapshotOf(state);
    // A fresh read's baseline is the fresh state, so an unchanged fresh state is stored at serial 0.
    const diff = compareSnapshots(base.content, content);
    if (exact) this.checkPush(base, state, diff.changed);
    if (exact && base.exists && base.serial === state.serial) return state; // that very generation is there already
    else if (base.exists && !diff.changed) return { ...state, serial: base.serial };
    const serial = exact ? state.serial : !diff.changed ? base.serial : Math.max(base.serial, state.serial) + 1;
    const written: StateFile = { ...state, serial };
    // Never write what read() would refuse (the same check as the local store).
    assertWritable(written, content, base.exists && !exact ? diff : undefined);
    const next = await this.db.run('writing the state', (db) =>
      saveGeneration(db, { ...this.opts, description: this.description, writer: this.writer, ...(fence ? { fence } : {}) }, base, written, content, diff),
    );
    this.baseline = next;
    return written;
  }

  /** state migrate: an exact copy may go only into an empty workspace or over an older generation. */
  private checkPush(base: Baseline, state: StateFile, changed: boolean): void {
    if (!base.exists) return;
    const refuse = (why: string): ImagectlError =>
      new ImagectlError('STATE_MIGRATE_REFUSED', `refusing to copy serial ${state.serial} into ${this.description}: ${why}`, { origin: 'user' });
    if (base.serial > state.serial) throw refuse(`it already holds a newer generation (serial ${base.serial}) of this lineage`);
    if (base.serial === state.serial && changed) throw refuse(`it holds a different state under the same serial ${base.serial}`);
  }

  private lineageError(lineage: string, current: string, exact: boolean, serial: number): ImagectlError {
    if (exact) {
      return new ImagectlError(
        'STATE_MIGRATE_REFUSED',
        `refusing to copy state of lineage ${lineage} into ${this.description}, which already holds lineage ${current} ` +
          `(serial ${serial}): they are different histories; use another workspace, or remove that one first`,
        { origin: 'user' },
      );
    }
    return new ImagectlError(
      'STATE_LINEAGE_MISMATCH',
      `refusing to write state of lineage ${lineage} over ${this.description}, which has lineage ${current}: ` +
        'they are different histories (was the workspace replaced while imagectl was running?)',
      { origin: 'user' },
    );
  }

  /** One consistent snapshot of the three tables (repeatable read), as the text a file would hold. */
  private async readRows(db: PoolClient): Promise<{ state: StateFile; baseline: Baseline } | undefined> {
    const s = quoteIdent(this.opts.schema);
    const w = [this.opts.workspace];
    await db.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      const ws = await db.query<{ lineage: string; serial: string; format_version: number; secret_salt: string; checkpoint_serial: string }>(
        `SELECT lineage, serial, format_version, secret_salt, checkpoint_serial FROM ${s}.workspaces WHERE workspace = $1`,
        w,
      );
      const row = ws.rows[0];
      if (row === undefined) return undefined;
      const entries = async (table: string, key: string): Promise<[string, string][]> =>
        (await db.query<{ k: string; e: string }>(`SELECT ${key} AS k, entry::text AS e FROM ${s}.${table} WHERE workspace = $1`, w)).rows.map((r) => [r.k, r.e]);
      const resources = await entries('resources', 'address');
      const pending = await entries('intents', 'op_id');
      const env: Envelope = { lineage: row.lineage, serial: Number(row.serial), version: row.format_version, secret_salt: row.secret_salt };
      // Parsed like a file: checked against the schema, migrated from an older format version.
      const state = parseState(documentText(env, resources, pending), this.description);
      const baseline: Baseline = {
        exists: true, lineage: state.lineage, serial: state.serial, checkpoint: Number(row.checkpoint_serial), content: snapshotOf(state),
      };
      return { state, baseline };
    } finally {
      await db.query('COMMIT').catch(() => undefined);
    }
  }
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? `uid ${process.getuid?.() ?? '?'}`;
  }
}
