// Connections to the state database. `pg` is imported on first use only: commands that never
// touch a postgres state (validate, plan on a local file) do not pay for loading it.
// - A small pool serves reads and writes; its idle connections never keep the process alive.
// - Each lock gets a dedicated session (not from the pool), because a session-level advisory
//   lock lives exactly as long as its session: returning it to a pool would leak the lock.
import type { Client, Pool, PoolClient } from 'pg';
import { ImagectlError } from '../../util/errors.js';
import { ensureTables } from './migrations.js';
import { describeTarget, pgError } from './redact.js';

/** Settings for the lock session, each tried on its own: older servers lack some of them. */
const LOCK_SESSION_SETTINGS = [
  // Notice a vanished client within ~25 s instead of the OS default of 2 h, so the advisory lock
  // of a runner whose machine died is freed quickly (terraform#16652: locks stuck after a network loss).
  'SET tcp_keepalives_idle = 10',
  'SET tcp_keepalives_interval = 5',
  'SET tcp_keepalives_count = 3',
  // PostgreSQL 14+: also while it waits in the lock queue, a dead client is noticed.
  "SET client_connection_check_interval = '2s'",
  // The lock session idles for the whole command by design: a server-wide idle timeout must not end it.
  'SET idle_session_timeout = 0',
];

export class Connection {
  readonly target: string;
  private pool: Pool | undefined;
  private ready: Promise<void> | undefined;

  constructor(private readonly url: string, private readonly schema: string) {
    this.target = describeTarget(url);
  }

  /** Runs `body` on a pooled connection, tables ensured; every error comes out redacted. */
  async run<T>(what: string, body: (db: PoolClient) => Promise<T>): Promise<T> {
    let db: PoolClient | undefined;
    try {
      const pool = await this.getPool();
      db = await pool.connect();
      this.ready ??= ensureTables(db, this.schema).catch((e: unknown) => {
        this.ready = undefined; // let a later call try again
        throw e;
      });
      await this.ready;
      return await body(db);
    } catch (e) {
      throw this.error(e, what);
    } finally {
      db?.release();
    }
  }

  /** A new session of its own (for a lock); the caller ends it. */
  async session(): Promise<Client> {
    const { Client: PgClient } = await import('pg');
    const client = new PgClient({ connectionString: this.url, application_name: 'imagectl lock', keepAlive: true, connectionTimeoutMillis: 15_000 });
    // An error on an idle session would otherwise crash the process; the lock adds its own handler.
    client.on('error', () => undefined);
    try {
      await client.connect();
      for (const sql of LOCK_SESSION_SETTINGS) await client.query(sql).catch(() => undefined);
      return client;
    } catch (e) {
      await client.end().catch(() => undefined);
      throw this.error(e, 'connecting');
    }
  }

  error(e: unknown, what: string): ImagectlError {
    return pgError(e, what, this.url, this.target);
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end().catch(() => undefined);
  }

  private async getPool(): Promise<Pool> {
    if (this.pool === undefined) {
      const { Pool: PgPool } = await import('pg');
      this.pool = new PgPool({
        connectionString: this.url,
        application_name: 'imagectl',
        max: 4,
        allowExitOnIdle: true,
        connectionTimeoutMillis: 15_000,
        keepAlive: true,
      });
      this.pool.on('error', () => undefined); // an idle client dropped by the server: the pool replaces it
    }
    return this.pool;
  }
}
