// The driver contract: what every cloud driver (built-in or external) declares and does.
// Drivers keep raw API types inside their own folder; everything here is in imagectl's own
// snake_case image model, plain JSON, so the planner can read it without importing a driver.
import type { JsonObject, JsonValue } from '../util/json.js';

/** How a change to a field is carried out. */
export type FieldMode = 'update' | 'replace' | 'computed';

/** Built-in normalizers (a closed set, so external drivers can name them too). */
export type Normalizer = 'set' | 'lowercase' | 'trim';

export interface FieldSpec {
  mode: FieldMode;
  /** Never stored or printed in clear; compared through a salted fingerprint. */
  secret?: boolean;
  /** Never returned by the API: compared with the last applied input, never shown as drift. */
  write_only?: boolean;
  normalize?: Normalizer;
  /** Server default: a field absent from YAML counts as this value, so defaults are never drift. */
  default?: JsonValue;
  /** Values the server adds to a set-like list by itself (Numspot's product code "0001"): ignored on both sides. */
  ignore_values?: readonly JsonValue[];
  description?: string;
}

/** A lookup kind the driver can resolve at plan time, e.g. `{lookup: cluster, name: X}`. */
export interface LookupSpec {
  /** JSON Schema of the query keys (everything but `lookup`). */
  query_schema: JsonObject;
  description: string;
}

/** Pure metadata: the planner and the config validator read only this. */
export interface DriverSchema {
  driver: string;
  /** JSON Schema (2020-12) of the provider block, without the common keys (driver, simulator). */
  provider_schema: JsonObject;
  /** Provider keys whose values are secrets: they must be `{env}` or `{file}` references. */
  provider_secrets: readonly string[];
  /**
   * JSON Schema of an image's own fields (without the common keys provider, lifecycle,
   * depends_on). Where references or lookups are allowed it uses
   * `{"$ref": "imagectl-defs#/$defs/ref"}` / `imagectl-defs#/$defs/lookup` / `imagectl-defs#/$defs/secret`.
   */
  image_schema: JsonObject;
  /** Per JSON Pointer ("/name", "/source/basic_auth/password"). A nested spec overrides its parent. */
  fields: Readonly<Record<string, FieldSpec>>;
  /** Names must be unique in the cloud: a replacement that keeps the name destroys first. */
  unique_names: boolean;
  /**
   * Re-sending a create with the same idempotency key can never make a second image (Nutanix's
   * NTNX-Request-Id). Only then may recovery resume a create whose outcome is unknown by
   * sending it again; otherwise the intent stays journaled for a person to look at.
   */
  idempotent_create: boolean;
  lookups: Readonly<Record<string, LookupSpec>>;
}

/** The kinds of failure every driver maps its errors to. */
export type ErrorKind = 'auth' | 'throttled' | 'transient' | 'conflict' | 'invalid' | 'failed' | 'timeout';

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

/** One image as the cloud shows it, in imagectl's snake_case model. */
export interface ObservedImage {
  id: string;
  name: string;
  /** Every field the API returns, including computed ones; never secrets. */
  attributes: JsonObject;
  /** Opaque version token (Nutanix ETag) or a fingerprint of the attributes. */
  etag?: string;
  /** Ownership marks (Numspot tags imagectl:address / imagectl:lineage), when the cloud has them. */
  owner?: { address?: string; lineage?: string };
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
