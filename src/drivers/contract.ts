// The driver contract: what every cloud driver (built-in or external) declares and does.
// Drivers keep raw API types inside their own folder; everything here is in imagectl's own
// snake_case image model, plain JSON. The data the planner reads too (the field schema, what a
// driver observes, error kinds) lives below, in fields/, so the planner never imports a driver.
import type { DriverSchema } from '../fields/schema.js';
import type { ErrorKind, ObservedImage } from '../fields/observed.js';
import type { JsonObject } from '../util/json.js';

/**
 * A driver failure. `definitive` means the cloud certainly did not act (or the operation
 * certainly failed and left nothing behind), so the applier may clear its intent record.
 * A non-definitive failure (connection dropped, timeout) keeps the intent for recovery.
 */
export class DriverError extends Error {
  readonly kind: ErrorKind;
  readonly definitive: boolean;
  readonly status: number | undefined;
  constructor(kind: ErrorKind, message: string, opts: { definitive?: boolean; status?: number; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'DriverError';
    this.kind = kind;
    this.definitive = opts.definitive ?? false;
    this.status = opts.status;
  }
}

export type ReadResult =
  | { status: 'found'; image: ObservedImage }
  | { status: 'not_found' }
  | { status: 'error'; kind: ErrorKind; message: string };

export interface ListResult {
  images: ObservedImage[];
  /** Requests made, for the benchmark and the --json summary. */
  requests?: number;
}

export interface Progress {
  address: string;
  message: string;
  percent?: number;
}

/** Passed to every mutating call. */
export interface OpContext {
  address: string;
  /** Stable for one logical operation: reused on every retry and on recovery. */
  idempotency_key: string;
  /** Called as soon as the cloud hands back a task or job id, so the applier can journal it. */
  on_task?: (taskId: string) => void;
  on_progress?: (p: Progress) => void;
  signal?: AbortSignal;
  /** State lineage, for ownership tags on clouds that have tags. */
  lineage: string;
}

export interface CreateRequest {
  /** Resolved desired fields, secrets in clear (never persisted by the driver). */
  fields: JsonObject;
}

export interface UpdateRequest {
  id: string;
  fields: JsonObject;
  /** Top-level fields that differ and are updatable in place. */
  changed: readonly string[];
}

/** An intent record left by an interrupted run (see state/). */
export interface IntentView {
  action: 'create' | 'update' | 'delete';
  address: string;
  idempotency_key: string;
  task_id?: string;
  cloud_id?: string;
  name?: string;
  /** When the intent was journaled, i.e. before the call was sent (ISO 8601). */
  started_at?: string;
  /**
   * The lineage of the state that journaled the intent. Another state on the same space may have
   * made an image of the same address and name: a cloud that marks ownership adopts only an image
   * marked with this lineage (without it, no marked image is adopted).
   */
  lineage?: string;
}

export type RecoverResult =
  | { status: 'created'; image: ObservedImage }
  /** The create made an image that ended failed: it is garbage to delete, not to adopt. */
  | { status: 'created_failed'; id: string; message: string }
  | { status: 'not_created' }
  | { status: 'done' }
  | { status: 'in_progress'; task_id?: string }
  | { status: 'unknown'; message: string };

export interface LookupMatch {
  id: string;
  name?: string;
}

/** A live connection to one provider, made by Driver.connect. All calls are read-only unless named create/update/delete. */
export interface DriverSession {
  /** Every image in scope, paged. Throws DriverError on failure (the caller marks images not_checked). */
  list(): Promise<ListResult>;
  read(id: string): Promise<ReadResult>;
  /** If it throws a definitive DriverError, nothing was created. Returns the image as read after creation. */
  create(req: CreateRequest, ctx: OpContext): Promise<ObservedImage>;
  update(req: UpdateRequest, ctx: OpContext): Promise<ObservedImage>;
  /** An image that is already gone counts as deleted. */
  delete(id: string, ctx: OpContext): Promise<void>;
  /** Read-only: find out what an interrupted operation did. */
  recover(intent: IntentView): Promise<RecoverResult>;
  lookup(kind: string, query: JsonObject): Promise<LookupMatch[]>;
  close(): Promise<void>;
}

/** Resolved provider configuration: secrets in clear, only in memory. */
export interface ProviderConfig {
  name: string;
  driver: string;
  settings: JsonObject;
}

export interface DriverEnv {
  warn(message: string): void;
  /** Requests in flight per provider. */
  parallelism: number;
  /**
   * The secret values of this provider's images (resolved from the config). A session must
   * never hand one back in an image: an external one refuses such an answer (drivers/external).
   */
  secrets?: readonly string[];
}

export interface Driver {
  schema: DriverSchema;
  /** Semantic checks JSON Schema cannot express; each problem at a JSON Pointer in the image. */
  validate_image?(fields: JsonObject): { pointer: string; message: string }[];
  connect(provider: ProviderConfig, env: DriverEnv): Promise<DriverSession>;
}
