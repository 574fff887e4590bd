// Locking a workspace across machines with a session-level advisory lock, plus a row saying who
// holds it. The advisory lock is the lock; the row is only the label on it:
// - it lives exactly as long as the holder's database session, so a runner that is SIGKILLed or
//   loses its machine frees it by itself (the server notices the dead connection; the session sets
//   TCP keepalives so that takes seconds, not the OS default of two hours) — no stale lock to
//   break by hand, the complaint of terraform#16652 and #28710;
// - a row whose session no longer holds the lock is stale by definition (pg_locks says so) and is
//   cleared by the next holder, or by `state unlock ID`.
// Waiting uses the server's lock queue (pg_advisory_lock under lock_timeout) rather than polling
// pg_try_advisory_lock: the queue is first come first served and hands the lock over the instant
// it is released, so a writer waiting behind a stream of read-only `plan`s cannot starve.
import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import type { Client } from 'pg';
import { ImagectlError } from '../../util/errors.js';
import type { LockHolder, LockInfo, LockOptions } from '../types.js';
import { drawGeneration } from './fence.js';
import { PgHeldLock } from './held-lock.js';
import { describeHolder, lockKeys, type Holders } from './holders.js';
import { quoteIdent } from './migrations.js';

export interface LockContext {
  schema: string;
  workspace: string;
  /** "postgres state db.example:5432/ci (workspace prod)". */
  description: string;
  /** A new dedicated session: the lock lives as long as it does. */
  session(): Promise<Client>;
  holders: Holders;
  mapError(e: unknown, what: string): ImagectlError;
}

export async function acquirePgLock(ctx: LockContext, opts: LockOptions): Promise<PgHeldLock> {
  const now = new Date().toISOString();
  const info: LockInfo = {
    id: randomUUID(), pid: process.pid, host: hostname(), user: currentUser(),
    command: opts.command, created: now, heartbeat: now, mode: opts.mode,
  };
  const client = await ctx.session();
  let generation: string | undefined;
  try {
    await take(ctx, client, opts);
    await label(ctx, client, info, opts);
    // Only writers need a fencing token: from now on, writes of any earlier holder are refused.
    if (opts.mode === 'exclusive') generation = await drawGeneration(client, ctx.schema, ctx.workspace);
  } catch (e) {
    await client.end().catch(() => undefined);
    throw e instanceof ImagectlError ? e : ctx.mapError(e, 'taking the lock');
  }
  return new PgHeldLock(ctx, client, info, generation, opts.warn ?? (() => undefined));
}

const fn = (mode: LockOptions['mode'], kind: 'try' | 'wait' | 'unlock'): string =>
  `pg_${kind === 'try' ? 'try_' : ''}advisory_${kind === 'unlock' ? 'un' : ''}lock${mode === 'shared' ? '_shared' : ''}`;

async function take(ctx: LockContext, client: Client, opts: LockOptions): Promise<void> {
  const keys = lockKeys(ctx.schema, ctx.workspace);
  const tried = await client.query<{ ok: boolean }>(`SELECT ${fn(opts.mode, 'try')}(hashtext($1), hashtext($2)) AS ok`, keys);
  if (tried.rows[0]?.ok === true) return;
  const holders = await ctx.holders(client);
  if (opts.timeout_ms <= 0) throw lockedError(ctx, holders, undefined);
  opts.warn?.(`${ctx.description} is locked by ${holders.map(describeHolder).join('; ') || 'another session'}; waiting up to ${secs(opts.timeout_ms)}`);
  await client.query(`SET lock_timeout = ${Math.max(1, Math.round(opts.timeout_ms))}`);
  try {
    await client.query(`SELECT ${fn(opts.mode, 'wait')}(hashtext($1), hashtext($2))`, keys);
  } catch (e) {
    if ((e as { code?: string }).code !== '55P03') throw e; // lock_not_available: the timeout
    throw lockedError(ctx, await ctx.holders(client), opts.timeout_ms);
  } finally {
    await client.query('SET lock_timeout = 0').catch(() => undefined);
  }
}

/** Clears rows whose session is gone (warning about each), then records this holder. */
async function label(ctx: LockContext, client: Client, info: LockInfo, opts: LockOptions): Promise<void> {
  const s = quoteIdent(ctx.schema);
  const stale = (await ctx.holders(client)).filter((h) => !h.live && h.info.id !== '');
  // A row naming this very session is stale too: its pid was reused after that session died.
  const cleared = await client.query<{ id: string }>(
    `DELETE FROM ${s}.locks WHERE workspace = $1 AND (id = ANY($2::text[]) OR backend_pid = pg_backend_pid()) RETURNING id`,
    [ctx.workspace, stale.map((h) => h.info.id)],
  );
  for (const row of cleared.rows) {
    const h = stale.find((x) => x.info.id === row.id);
    opts.warn?.(`cleared the lock record of a run that ended without releasing it: ${h ? describeHolder(h) : row.id}`);
  }
  await client.query(
    `INSERT INTO ${s}.locks (workspace, id, mode, backend_pid, host, os_user, pid, command, created)
     VALUES ($1, $2, $3, pg_backend_pid(), $4, $5, $6, $7, $8)`,
    [ctx.workspace, info.id, info.mode, info.host, info.user, info.pid, info.command, info.created],
  );
}

function lockedError(ctx: LockContext, holders: LockHolder[], waitedMs: number | undefined): ImagectlError {
  const live = holders.filter((h) => h.live);
  const lines = (live.length > 0 ? live : holders).map((h) => `  ${describeHolder(h)}`).join('\n') || '  (a database session that recorded no holder)';
  const waited = waitedMs === undefined ? 'locked' : `still locked after waiting ${secs(waitedMs)}`;
  const id = live[0]?.info.id;
  return new ImagectlError(
    'STATE_LOCKED',
    `${ctx.description} is ${waited} by another imagectl run:\n${lines}\n` +
      'The lock is freed as soon as that run ends, even if it crashes or its machine goes away' +
      (id ? ` (\`imagectl state lock-info\` shows it; \`imagectl state unlock ${id} --force\` ends a stuck one)` : '') +
      '; wait for it with --lock-timeout.',
    { origin: 'user' },
  );
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
}

/** userInfo() throws when the uid has no passwd entry, as in some containers. */
function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? process.env['USERNAME'] ?? `uid ${process.getuid?.() ?? '?'}`;
  }
}
