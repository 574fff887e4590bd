// The state file's shape. Plain JSON, versioned, so it can be sniffed, migrated and validated
// (schemas/state.schema.json). Secrets never appear here: only `{ $secret: "scrypt$..." }`
// fingerprints at the pointers the driver marks secret.
import type { JsonObject } from '../util/json.js';

export const STATE_FORMAT = 'imagectl-state';
export const STATE_VERSION = 1;

export interface StateResource {
  address: string;
  provider: string;
  driver: string;
  /** Cloud id (Nutanix extId, Numspot ami-...). */
  id: string;
  /** Normalized inputs last applied (secrets as fingerprints). */
  inputs: JsonObject;
  /** Attributes last observed from the API (never secrets). */
  attributes: JsonObject;
  etag?: string;
  /** prevent_destroy was set: kept here so deleting the YAML block does not lift it. */
  protected: boolean;
  /** Addresses this resource depended on, so deletes can run in reverse order once the YAML is gone. */
  depends_on: string[];
  updated_at: string;
  /** Why the last delete of this (current) image failed, as the cloud said; cleared when it is rewritten. */
  delete_error?: string;
  /**
   * Objects this address replaced whose delete has not succeeded yet (Terraform's deposed objects).
   * They stay here, named and retried by every plan and apply, until the cloud confirms them gone.
   */
  deposed?: DeposedObject[];
}

/** An image that is no longer the address's current one but still exists and is still ours to delete. */
export interface DeposedObject {
  /** Stable key (8 hex digits) naming this object in plans and messages. */
  key: string;
  /** Cloud id. */
  id: string;
  /** Where it lives: may differ from the resource's provider when the image moved between providers. */
  provider: string;
  driver: string;
  /** Inputs and attributes it had when it was current (secrets as fingerprints). */
  inputs: JsonObject;
  attributes: JsonObject;
  /** When it was deposed. */
  since: string;
  /** The cloud's reason the last delete failed, when one did. */
  last_error?: string;
  /** Failed delete attempts so far. */
  attempts?: number;
}

/** Written before every mutating call, cleared once its result is saved. */
export interface Intent {
  op_id: string;
  address: string;
  provider: string;
  driver: string;
  action: 'create' | 'update' | 'delete';
  idempotency_key: string;
  task_id?: string;
  cloud_id?: string;
  name?: string;
  /** What was being applied (secrets as fingerprints), so a recovered create can be adopted. */
  inputs?: JsonObject;
  /** Set on the old image's delete intent while a create-before-destroy replacement runs. */
  replaced_by?: string;
  started_at: string;
}

export interface StateFile {
  format: typeof STATE_FORMAT;
  version: typeof STATE_VERSION;
  /** Fixed at creation: two states with different lineages are different histories. */
  lineage: string;
  /** Grows only when content changes. */
  serial: number;
  /** Salt of the secret fingerprints (one per lineage, so equal secrets hash once per run). */
  secret_salt: string;
  resources: Record<string, StateResource>;
  pending: Record<string, Intent>;
}

export interface LockInfo {
  id: string;
  pid: number;
  host: string;
  user: string;
  command: string;
  created: string;
  heartbeat: string;
  mode: 'exclusive' | 'shared';
  /**
   * The holder's PID namespace (`pid:[4026531836]` from /proc/self/ns/pid; absent where there is
   * none). Containers sharing a hostname may not share pids: a pid is judged only in its own namespace.
   */
  pid_ns?: string;
}

export interface Lock {
  info: LockInfo;
  release(): Promise<void>;
  /**
   * Throws STATE_LOCK_LOST unless this run still holds the lock (it was not broken, taken over,
   * or its database session ended). Cheap (one stat, one query): run before every mutating call.
   */
  assertHeld?(): Promise<void>;
}

export interface LockOptions {
  command: string;
  mode: 'exclusive' | 'shared';
  /** How long to wait for a held lock; 0 fails at once naming the holder. */
  timeout_ms: number;
  warn?: (message: string) => void;
}

/** Where state lives. The local JSON file is the default; a shared backend implements the same. */
export interface StateStore {
  /** A human name for messages ("state file .imagectl/state.json"). */
  readonly description: string;
  /** Reads the state; a missing state is a fresh empty one (new lineage, serial 0). */
  read(): Promise<StateFile>;
  /**
   * Writes atomically. The serial is bumped here, only when content differs from what this
   * store last read or wrote. Returns the state as written.
   */
  write(state: StateFile): Promise<StateFile>;
  lock(opts: LockOptions): Promise<Lock>;
  /** Break a lock by id (imagectl state unlock ID). */
  unlock(id: string, opts?: UnlockOptions): Promise<void>;
  /** Saved generations, newest first (imagectl state history); the local store has its backups. */
  history?(): Promise<Generation[]>;
  /** One saved generation by serial (imagectl state pull --serial N). */
  pull?(serial: number): Promise<StateFile>;
  /** Who holds the lock now, and stale records of holders that crashed (imagectl state lock-info). */
  lockHolders?(): Promise<LockHolder[]>;
  /**
   * Stores this exact generation, lineage and serial kept (imagectl state migrate): only into an
   * empty store or over an older generation of the same lineage, else STATE_MIGRATE_REFUSED.
   */
  push?(state: StateFile): Promise<StateFile>;
  /** Releases connections; the store is not used afterwards. */
  close?(): Promise<void>;
}

export interface UnlockOptions {
  /**
   * Break the lock even though its holder looks alive (fresh heartbeat, or a live database session,
   * which is then ended). That run stops at its next state write or cloud call (STATE_LOCK_LOST).
   */
  force?: boolean;
}

/** One generation of the state as kept by a store. */
export interface Generation {
  serial: number;
  lineage: string;
  /** When it was written (ISO). */
  saved: string;
  resources: number;
  pending: number;
  /** Who wrote it, when the store records that (postgres does). */
  writer?: { command: string; host: string; user: string; pid: number };
  /** Where it is kept ("state.json.2", "history"), for messages. */
  where: string;
}

export interface LockHolder {
  info: LockInfo;
  /** False when the record outlived its holder (a crashed run): nothing blocks on it. */
  live: boolean;
  /** How the lock is held, in words ("database session 4242 on db.example:5432"). */
  detail?: string;
}
