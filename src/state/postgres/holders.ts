// Who holds a workspace's lock, from the server's own lock table (pg_locks, readable by every
// user) joined with the rows holders write about themselves. A row without a granted advisory
// lock behind it is stale; a granted lock without a row is a holder still starting (or a session
// that is not imagectl). Also `state unlock`: clearing a stale row, or, asked to with --force,
// ending the session of a live one, since that is the only way to free an advisory lock.
import type { QueryResult, QueryResultRow } from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { ImagectlError } from '../../util/errors.js';
import type { LockHolder } from '../types.js';
import { quoteIdent } from './migrations.js';

export interface Queryable {
  query<R extends QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}

export type Holders = (db: Queryable) => Promise<LockHolder[]>;

/** The advisory lock's two keys: one per schema and one per workspace (hashed to int4 in SQL). */
export function lockKeys(schema: string, workspace: string): [string, string] {
  return [`imagectl:${schema}`, workspace];
}

interface Row {
  id: string;
  mode: string;
  backend_pid: number;
  host: string;
  os_user: string;
  pid: number;
  command: string;
  created: Date | null;
  live: boolean;
}

export function holdersOf(schema: string, workspace: string): Holders {
  const s = quoteIdent(schema);
  const sql = `
    WITH adv AS (
      SELECT pid, mode FROM pg_locks
       WHERE locktype = 'advisory' AND granted AND objsubid = 2
         AND classid = hashtext($1)::oid AND objid = hashtext($2)::oid
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))
    SELECT l.id, l.mode, l.backend_pid, l.host, l.os_user, l.pid, l.command, l.created,
           EXISTS (SELECT 1 FROM adv WHERE adv.pid = l.backend_pid) AS live
      FROM ${s}.locks l WHERE l.workspace = $3
    UNION ALL
    SELECT '', CASE WHEN adv.mode = 'ExclusiveLock' THEN 'exclusive' ELSE 'shared' END, adv.pid, '', '', 0, '', NULL, true
      FROM adv WHERE adv.pid NOT IN (SELECT backend_pid FROM ${s}.locks WHERE workspace = $3)
    ORDER BY created NULLS FIRST`;
  return async (db) => (await db.query<Row>(sql, [...lockKeys(schema, workspace), workspace])).rows.map(toHolder);
}

function toHolder(r: Row): LockHolder {
  const created = r.created === null ? '' : r.created.toISOString();
  return {
    info: {
      id: r.id, pid: r.pid, host: r.host, user: r.os_user, command: r.command, created, heartbeat: created,
      mode: r.mode === 'shared' ? 'shared' : 'exclusive',
    },
    live: r.live,
    detail: `database session ${r.backend_pid}`,
  };
}

/** "ID (exclusive): user@host, pid N, `command`, since T (database session B)". */
export function describeHolder(h: LockHolder): string {
  const { info } = h;
  const state = h.live ? '' : ', ended without releasing';
  if (info.id === '') return `${h.detail ?? 'a database session'} holds it (${info.mode}) but recorded no holder (still starting, or not imagectl)`;
  return `${info.id} (${info.mode}): ${info.user}@${info.host}, pid ${info.pid}, \`${info.command}\`, since ${info.created} (${h.detail ?? 'database session'}${state})`;
}

export interface UnlockContext {
  schema: string;
  workspace: string;
  description: string;
  holders: Holders;
}

/** `imagectl state unlock ID [--force]` for postgres. */
export async function unlockPg(ctx: UnlockContext, db: Queryable, id: string, force: boolean): Promise<void> {
  const holders = await ctx.holders(db);
  const h = holders.find((x) => x.info.id === id);
  if (h === undefined) {
    const now = holders.length === 0 ? 'it is not locked' : `it is locked by:\n${holders.map((x) => `  ${describeHolder(x)}`).join('\n')}`;
    throw new ImagectlError('LOCK_NOT_FOUND', `no lock with id ${id} on ${ctx.description}; ${now}`, { origin: 'user' });
  }
  const backend = Number(/(\d+)$/.exec(h.detail ?? '')?.[1]);
  if (h.live && !force) {
    throw new ImagectlError(
      'LOCK_HELD',
      `lock ${id} on ${ctx.description} is held by a live run: ${describeHolder(h)}.\n` +
        'A PostgreSQL advisory lock is released only when the session holding it ends, which happens by itself when that run ' +
        `finishes, crashes or loses its machine. To free it now, stop that run (pid ${h.info.pid} on ${h.info.host}), or, if it is ` +
        `stuck, run \`imagectl state unlock ${id} --force\` to end its database session (pg_terminate_backend).`,
      { origin: 'user' },
    );
  }
  if (h.live) {
    const ended = await db.query<{ ok: boolean }>('SELECT pg_terminate_backend($1) AS ok', [backend]);
    if (ended.rows[0]?.ok !== true) {
      throw new ImagectlError('LOCK_HELD', `could not end database session ${backend} holding lock ${id}: it had already ended or is not yours to end`, { origin: 'user' });
    }
    // Termination is asynchronous: wait until the server has dropped the session's locks.
    for (let i = 0; i < 50 && (await ctx.holders(db)).some((x) => x.info.id === id && x.live); i++) await sleep(100);
  }
  await db.query(`DELETE FROM ${quoteIdent(ctx.schema)}.locks WHERE workspace = $1 AND id = $2`, [ctx.workspace, id]);
}
