// Fencing tokens. The advisory lock says who may write now, but a run whose session was ended
// (`state unlock --force`, a network cut) does not learn it until it tries something, and it
// may be in the middle of an apply. So every exclusive lock draws the next generation of its
// workspace from `lock_generations`, and every write made under it checks, inside its own
// transaction, that the generation is still that one. Once a newer holder has drawn its
// generation, an older holder's writes are refused (STATE_LOCK_LOST) and the newer holder's
// accepted, whatever their serials say.
//
// Ordering: the write takes the generation row FOR SHARE, the newer holder's UPDATE takes it
// exclusively. Either the old write commits first (the new holder reads after drawing its
// generation, so it sees that write) or the new generation is committed first (the old write sees
// it and is refused). No interleaving lets an old write land after the new holder read.
import { lockLostError } from '../lock-lost.js';
import type { Queryable } from './holders.js';
import { quoteIdent } from './migrations.js';

/** What a write made under an exclusive lock carries. */
export interface Fence {
  /** The lock's id, for messages. */
  id: string;
  /** The workspace's lock generation this holder drew (bigint as text). */
  generation: string;
}

/** Draws the next generation for a holder that has just been granted the exclusive lock. */
export async function drawGeneration(db: Queryable, schema: string, workspace: string): Promise<string> {
  const t = `${quoteIdent(schema)}.lock_generations`;
  const r = await db.query<{ g: string }>(
    `INSERT INTO ${t} AS l (workspace, generation) VALUES ($1, 1)
     ON CONFLICT (workspace) DO UPDATE SET generation = l.generation + 1 RETURNING generation::text AS g`,
    [workspace],
  );
  const g = r.rows[0]?.g;
  if (g === undefined) throw new Error('no lock generation returned');
  return g;
}

/** The workspace's current generation, '0' when no exclusive lock was ever taken. */
export async function currentGeneration(db: Queryable, schema: string, workspace: string, forShare = false): Promise<string> {
  const r = await db.query<{ g: string }>(
    `SELECT generation::text AS g FROM ${quoteIdent(schema)}.lock_generations WHERE workspace = $1${forShare ? ' FOR SHARE' : ''}`,
    [workspace],
  );
  return r.rows[0]?.g ?? '0';
}

/** Inside a write's transaction: throws STATE_LOCK_LOST unless `fence` is still the current generation. */
export async function checkFence(db: Queryable, schema: string, workspace: string, fence: Fence, description: string): Promise<void> {
  const now = await currentGeneration(db, schema, workspace, true);
  if (now === fence.generation) return;
  throw lockLostError(fence.id, description, `another run took the lock after it (lock generation ${now}; this run holds generation ${fence.generation})`);
}
