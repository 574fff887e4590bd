// A lock this process holds on a postgres workspace: its dedicated session (the advisory lock
// lives exactly as long as it does), the fencing generation it drew, and the one check that says
// whether this run may still act (assertHeld, before every state write and mutating cloud call).
import type { Client } from 'pg';
import { lockLostError } from '../lock-lost.js';
import type { Lock, LockInfo } from '../types.js';
import { currentGeneration, type Fence } from './fence.js';
import { lockKeys } from './holders.js';
import { quoteIdent } from './migrations.js';

export interface HeldContext {
  schema: string;
  workspace: string;
  description: string;
}

export class PgHeldLock implements Lock {
  private released = false;
  /** Why the session is gone, once it is: the lock went with it. */
  private lostBecause: string | undefined;

  constructor(
    private readonly ctx: HeldContext,
    private readonly client: Client,
    readonly info: LockInfo,
    /** The fencing generation (exclusive locks only). */
    private readonly generation: string | undefined,
    warn: (message: string) => void,
  ) {
    // The session holding the lock died (server restart, pg_terminate_backend, network): the lock
    // is gone, and this run's next write or cloud call stops it.
    const lost = (why: string): void => {
      if (this.released || this.lostBecause !== undefined) return;
      this.lostBecause = `its database session ended (${why})`;
      warn(`lost the database session holding lock ${info.id} on ${ctx.description} (${why}); this run no longer holds the lock`);
    };
    client.on('error', (e) => lost(e.message.split('\n')[0] ?? 'error'));
    client.on('end', () => lost('connection closed'));
  }

  /** What writes made under this lock carry; undefined for a shared lock (it never writes). */
  get fence(): Fence | undefined {
    return this.generation === undefined ? undefined : { id: this.info.id, generation: this.generation };
  }

  /** Throws at once, without a query, when the session is known to be gone. */
  assertNotLost(): void {
    if (this.released) throw lockLostError(this.info.id, this.ctx.description, 'it was already released');
    if (this.lostBecause !== undefined) throw lockLostError(this.info.id, this.ctx.description, this.lostBecause);
  }

  /** One query on the lock's own session: it must be alive, and (exclusive) still the newest generation. */
  async assertHeld(): Promise<void> {
    this.assertNotLost();
    let now: string;
    try {
      now = await currentGeneration(this.client, this.ctx.schema, this.ctx.workspace);
    } catch (e) {
      this.lostBecause ??= `its database session ended (${(e as Error).message.split('\n')[0] ?? 'error'})`;
      throw lockLostError(this.info.id, this.ctx.description, this.lostBecause);
    }
    if (this.generation !== undefined && now !== this.generation) {
      throw lockLostError(this.info.id, this.ctx.description, `another run took the lock after it (lock generation ${now}; this run holds generation ${this.generation})`);
    }
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    const s = quoteIdent(this.ctx.schema);
    const unlock = this.info.mode === 'shared' ? 'pg_advisory_unlock_shared' : 'pg_advisory_unlock';
    try {
      await this.client.query(`DELETE FROM ${s}.locks WHERE workspace = $1 AND id = $2`, [this.ctx.workspace, this.info.id]);
      await this.client.query(`SELECT ${unlock}(hashtext($1), hashtext($2))`, lockKeys(this.ctx.schema, this.ctx.workspace));
    } catch {
      // Ending the session below releases the advisory lock anyway; a leftover row is stale and cleared later.
    } finally {
      await this.client.end().catch(() => undefined);
    }
  }
}
