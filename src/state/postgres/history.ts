// Every generation of a workspace's state, kept in the history table: what Terraform's pg backend
// lacks (it keeps only the latest state, so a bad apply cannot be looked back at). A generation
// is stored whole every CHECKPOINT_EVERY serials and as a delta in between; `pull` replays the
// deltas since the nearest full one.
import { ImagectlError } from '../../util/errors.js';
import { isObject, type JsonObject } from '../../util/json.js';
import { parseState } from '../format.js';
import type { Generation, StateFile } from '../types.js';
import { applyDelta } from './documents.js';
import type { Queryable } from './holders.js';
import { quoteIdent } from './migrations.js';

/** Full documents this many serials apart at most: a pull replays fewer than this many deltas. */
export const CHECKPOINT_EVERY = 32;

export interface Writer {
  command: string;
  host: string;
  user: string;
  pid: number;
}

interface Row {
  serial: string;
  lineage: string;
  saved_at: Date;
  resources: number;
  pending: number;
  command: string | null;
  host: string | null;
  os_user: string | null;
  pid: number | null;
}

export async function listHistory(db: Queryable, schema: string, workspace: string): Promise<Generation[]> {
  const r = await db.query<Row>(
    `SELECT serial, lineage, saved_at, resources, pending, command, host, os_user, pid
       FROM ${quoteIdent(schema)}.history WHERE workspace = $1 ORDER BY serial DESC`,
    [workspace],
  );
  return r.rows.map((row) => ({
    serial: Number(row.serial),
    lineage: row.lineage,
    saved: row.saved_at.toISOString(),
    resources: row.resources,
    pending: row.pending,
    ...(row.command !== null
      ? { writer: { command: row.command, host: row.host ?? '', user: row.os_user ?? '', pid: row.pid ?? 0 } }
      : {}),
    where: 'history',
  }));
}

/** Who wrote generation `serial`, for a conflict message; undefined when not recorded. */
export async function writerOf(db: Queryable, schema: string, workspace: string, serial: number): Promise<string | undefined> {
  const r = await db.query<Row>(
    `SELECT command, host, os_user, pid, saved_at FROM ${quoteIdent(schema)}.history WHERE workspace = $1 AND serial = $2`,
    [workspace, serial],
  );
  const row = r.rows[0];
  if (row?.command == null) return undefined;
  return `\`${row.command}\` by ${row.os_user ?? '?'}@${row.host ?? '?'} (pid ${row.pid ?? '?'}) at ${row.saved_at.toISOString()}`;
}

/** Generation `serial` rebuilt from the nearest full document and the deltas after it. */
export async function pullGeneration(db: Queryable, schema: string, workspace: string, serial: number, description: string): Promise<StateFile> {
  const s = quoteIdent(schema);
  const r = await db.query<{ serial: string; kind: string; body: unknown }>(
    `SELECT serial, kind, body FROM ${s}.history
      WHERE workspace = $1 AND serial <= $2
        AND serial >= (SELECT max(serial) FROM ${s}.history WHERE workspace = $1 AND kind = 'full' AND serial <= $2)
      ORDER BY serial`,
    [workspace, serial],
  );
  const last = r.rows.at(-1);
  if (last === undefined || Number(last.serial) !== serial) throw await notFound(db, schema, workspace, serial, description);
  let doc: JsonObject | undefined;
  for (const row of r.rows) {
    if (!isObject(row.body)) continue;
    doc = row.kind === 'full' || doc === undefined ? row.body : applyDelta(doc, row.body, Number(row.serial));
  }
  return parseState(JSON.stringify({ ...doc, serial }), `${description} generation ${serial}`);
}

async function notFound(db: Queryable, schema: string, workspace: string, serial: number, description: string): Promise<ImagectlError> {
  const r = await db.query<{ lo: string | null; hi: string | null; n: string }>(
    `SELECT min(serial) AS lo, max(serial) AS hi, count(*) AS n FROM ${quoteIdent(schema)}.history WHERE workspace = $1`,
    [workspace],
  );
  const row = r.rows[0];
  const kept = row?.lo == null ? 'it has no saved generations yet' : `it keeps ${row.n} generations, serials ${row.lo} to ${row.hi} (see \`imagectl state history\`)`;
  return new ImagectlError('STATE_GENERATION_NOT_FOUND', `${description} has no generation with serial ${serial}; ${kept}`, { origin: 'user' });
}
