// The field model: how a driver declares its images' fields, as plain JSON data. The planner,
// the config validator, the applier and every driver read it; it imports nothing of theirs.
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
