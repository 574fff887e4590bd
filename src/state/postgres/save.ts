// One write of the postgres store, as one transaction:
//   0. under a lock, check its fencing token (fence.ts): a run whose lock was taken over stops;
//   1. bump the workspace row, but only from the serial this store read (or create it, only if
//      absent): 0 rows means another run wrote meanwhile, so roll back and say STATE_CONFLICT;
//   2. upsert the resources and intents that changed, delete the ones removed;
//   3. append the generation to the history (whole, or as a delta since the previous one).
// READ COMMITTED is enough: a concurrent writer's UPDATE waits for ours to commit, then re-checks
// `serial = $read` against the committed row and matches nothing.
import type { PoolClient } from 'pg';
import { ImagectlError } from '../../util/errors.js';
import { compareSnapshots, type Difference, type Snapshot } from '../snapshot.js';
import type { StateFile } from '../types.js';
import { changeOf, deltaText, documentText, objectText, type Change, type Envelope } from './documents.js';
import { checkFence, type Fence } from './fence.js';
import { CHECKPOINT_EVERY, writerOf, type Writer } from './history.js';
import { quoteIdent } from './migrations.js';

/** What the store last read or wrote: the yardstick for changes and the serial a write expects. */
export interface Baseline {
  /** False for a workspace that has no row yet. */
  exists: boolean;
  lineage: string;
  serial: number;
  /** Serial of the newest full document in the history. */
  checkpoint: number;
  content: Snapshot;
}

export interface SaveContext {
  schema: string;
  workspace: string;
  description: string;
  writer: Writer;
  /** The exclusive lock's fencing token, when the write is made under one. */
  fence?: Fence;
}

export async function saveGeneration(
  db: PoolClient, ctx: SaveContext, base: Baseline, state: StateFile, content: Snapshot, diff: Difference,
): Promise<Baseline> {
  const s = quoteIdent(ctx.schema);
  const env: Envelope = { lineage: state.lineage, serial: state.serial, version: state.version, secret_salt: state.secret_salt };
  // A fresh row or an exact copy (migrate) starts a new chain of deltas with a full document.
  const full = !base.exists || state.serial !== base.serial + 1 || state.serial - base.checkpoint >= CHECKPOINT_EVERY;
  const checkpoint = full ? state.serial : base.checkpoint;
  // A new row gets every entry; otherwise only what changed since the baseline.
  const change = base.exists ? changeOf(base.content, content, diff) : changeOf(undefined, content, compareSnapshots(undefined, content));
  await db.query('BEGIN');
  try {
    if (ctx.fence !== undefined) await checkFence(db, ctx.schema, ctx.workspace, ctx.fence, ctx.description);
    await bumpRow(db, ctx, base, env, checkpoint);
    await applyRows(db, s, ctx.workspace, 'resources', 'address', change.resources);
    await applyRows(db, s, ctx.workspace, 'intents', 'op_id', change.pending);
    const body = full ? documentText(env, content.resources, content.pending) : deltaText(env, change);
    const w = ctx.writer;
    await db.query(
      `INSERT INTO ${s}.history (workspace, serial, lineage, kind, body, resources, pending, command, host, os_user, pid)
       VALUES ($1, $2, $3, $4, $5::json, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (workspace, serial) DO UPDATE SET lineage = EXCLUDED.lineage, kind = EXCLUDED.kind, body = EXCLUDED.body,
         resources = EXCLUDED.resources, pending = EXCLUDED.pending, saved_at = now(),
         command = EXCLUDED.command, host = EXCLUDED.host, os_user = EXCLUDED.os_user, pid = EXCLUDED.pid`,
      [ctx.workspace, state.serial, state.lineage, full ? 'full' : 'delta', body, content.resources.size, content.pending.size, w.command, w.host, w.user, w.pid],
    );
    await db.query('COMMIT');
  } catch (e) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
  return { exists: true, lineage: state.lineage, serial: state.serial, checkpoint, content };
}

async function bumpRow(db: PoolClient, ctx: SaveContext, base: Baseline, env: Envelope, checkpoint: number): Promise<void> {
  const s = quoteIdent(ctx.schema);
  const values = [ctx.workspace, env.lineage, env.serial, env.version, env.secret_salt, checkpoint];
  const r = base.exists
    ? await db.query(
        `UPDATE ${s}.workspaces SET serial = $3, format_version = $4, secret_salt = $5, checkpoint_serial = $6, updated_at = now()
          WHERE workspace = $1 AND lineage = $2 AND serial = $7`,
        [...values, base.serial],
      )
    : await db.query(
        `INSERT INTO ${s}.workspaces (workspace, lineage, serial, format_version, secret_salt, checkpoint_serial)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (workspace) DO NOTHING`,
        values,
      );
  if (r.rowCount === 1) return;
  throw await conflict(db, ctx, base);
}

/** The row moved on (or appeared) since this store read it: say what is there now and who wrote it. */
async function conflict(db: PoolClient, ctx: SaveContext, base: Baseline): Promise<ImagectlError> {
  const s = quoteIdent(ctx.schema);
  const now = (await db.query<{ lineage: string; serial: string }>(`SELECT lineage, serial FROM ${s}.workspaces WHERE workspace = $1`, [ctx.workspace])).rows[0];
  if (now !== undefined && now.lineage !== base.lineage) {
    return new ImagectlError(
      'STATE_LINEAGE_MISMATCH',
      `refusing to write state of lineage ${base.lineage} over ${ctx.description}, which now has lineage ${now.lineage}: they are different histories`,
      { origin: 'user' },
    );
  }
  const serial = now === undefined ? undefined : Number(now.serial);
  const by = serial === undefined ? undefined : await writerOf(db, ctx.schema, ctx.workspace, serial);
  const read = base.exists ? `serial ${base.serial}` : 'no state yet';
  const found = serial === undefined ? 'no state (it was removed)' : `serial ${serial}${by ? `, written by ${by}` : ''}`;
  return new ImagectlError(
    'STATE_CONFLICT',
    `${ctx.description} changed since this run read it (read ${read}, now ${found}); refusing to overwrite newer state. ` +
      'Another run wrote it while this one was working, so this run had lost its lock; nothing was written. ' +
      'Run the command again: it will start from the newer state.',
    { origin: 'user' },
  );
}

async function applyRows(db: PoolClient, s: string, workspace: string, table: string, key: string, change: Change['resources']): Promise<void> {
  if (change.put.length > 0) {
    // One statement for every changed entry: json_each splits the object server-side.
    await db.query(
      `INSERT INTO ${s}.${table} (workspace, ${key}, entry) SELECT $1, e.key, e.value FROM json_each($2::json) AS e
       ON CONFLICT (workspace, ${key}) DO UPDATE SET entry = EXCLUDED.entry`,
      [workspace, objectText(change.put)],
    );
  }
  if (change.removed.length > 0) {
    await db.query(`DELETE FROM ${s}.${table} WHERE workspace = $1 AND ${key} = ANY($2::text[])`, [workspace, change.removed]);
  }
}
