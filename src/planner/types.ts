// The one Plan type. The text printer, --json, saved plan files, the drift report and the
// applier all read this; it is plain JSON (schemas/plan.schema.json) and never holds a secret:
// secret values appear only as `{ "$secret": fingerprint }` and print as (sensitive).
import type { JsonObject, JsonValue } from '../util/json.js';

export const PLAN_FORMAT = 'imagectl-plan';
export const PLAN_VERSION = 1;

/** The closed set of actions, with one glyph each (render/glyphs.ts). */
export type Action = 'create' | 'update' | 'replace' | 'delete' | 'no-op';

export type ReplaceOrder = 'create_before_destroy' | 'destroy_before_create';

export type ReasonCode =
  | 'new' // in config, not in state
  | 'deleted_out_of_band' // in state, gone from the cloud
  | 'update_in_place' // updatable fields differ
  | 'forces_replacement' // a replace-only field differs
  | 'removed_from_config' // in state, not in config
  | 'already_deleted' // removed from config and already gone from the cloud
  | 'unique_name' // replacement must destroy first: the name is kept and names are unique
  | 'name_changed' // replacement can create first: the name changes
  | 'names_not_unique' // replacement can create first: the cloud allows duplicate names
  | 'ref_unknown' // a reference is known only after apply
  | 'dependency_replaced' // a referenced attribute changes
  | 'not_checked' // live state could not be read; planned from the state file
  | 'recovered' // an interrupted operation was resolved
  | 'deposed' // an image this address replaced, kept in state until its delete succeeds
  | 'delete_failed' // the last delete of this image failed; the cloud's reason follows
  | 'provider_changed'; // the image moves to another provider block: a new image there, the old one deleted

export interface Reason {
  code: ReasonCode;
  /** JSON Pointer of the field concerned, when there is one. */
  path?: string;
  message: string;
}

/** Marker for a value known only after apply. */
export interface UnknownValue {
  $unknown: string; // the reference that makes it unknown, e.g. "base-copy.id"
}

export interface FieldChange {
  path: string;
  before?: JsonValue;
  after?: JsonValue;
  forces_replacement: boolean;
  sensitive: boolean;
  unknown: boolean;
}

export interface ResourceChange {
  address: string;
  provider: string;
  driver: string;
  action: Action;
  replace_order?: ReplaceOrder;
  reasons: Reason[];
  /** Cloud id before the change (absent for creates). */
  id?: string;
  /**
   * Set on the delete of a deposed object: its key (state resources[address].deposed[].key). Such
   * a change shares its address with the address's own change; `changeKey` tells them apart.
   */
  deposed?: string;
  /** On a replacement that moves the image to another provider block: where the old image is. */
  prior_provider?: string;
  prior_driver?: string;
  /** Desired fields (refs shown as UnknownValue when unknown, secrets as fingerprints). */
  after?: JsonObject;
  /** What the plan compared against (live, overlaid with write-only inputs from state). */
  before?: JsonObject;
  changes: FieldChange[];
  /** Addresses that must finish first (refs and depends_on; for deletes, reversed edges). */
  depends_on: string[];
  /** Protected from deletion: by the configuration, or by the state (protection is lifted only by applying). */
  protected: boolean;
  /**
   * Declared images only: the configuration's lifecycle.prevent_destroy, which applying records in
   * the state (so an apply can lift protection that `protected` still shows).
   */
  prevent_destroy?: boolean;
  /** What was observed, so a saved plan can tell that this image moved; only on changes that act. */
  observed?: { etag?: string; digest: string; status: 'found' | 'not_found' | 'not_checked' | 'not_read'; state: string };
}

/**
 * How the planner saw each managed image against the state (planner/drift.ts). The drift report
 * (src/drift/) adds the kinds found by listing the cloud instead (leaked, unmanaged): DriftKind.
 */
export type PlanDriftKind = 'in_sync' | 'modified' | 'deleted' | 'pending' | 'not_checked';

export interface DriftField {
  path: string;
  expected?: JsonValue;
  actual?: JsonValue;
}

export interface DriftEntry {
  address: string;
  provider: string;
  kind: PlanDriftKind;
  id?: string;
  fields: DriftField[];
  message?: string;
  /** Stable identity of the finding, for --since comparisons. */
  fingerprint?: string;
  suppressed?: { reason: string; rule: string };
}

/** Server-populated fields that changed: information, not drift. */
export interface InfoEntry {
  address: string;
  path: string;
  before?: JsonValue;
  after?: JsonValue;
}

export interface Plan {
  format: typeof PLAN_FORMAT;
  version: typeof PLAN_VERSION;
  created_at: string;
  config_digest: string;
  state: { lineage: string; serial: number };
  /** One entry per address in config or state, sorted by address. */
  changes: ResourceChange[];
  drift: DriftEntry[];
  info: InfoEntry[];
  summary: { add: number; change: number; destroy: number; unchanged: number };
  warnings: string[];
  /** Problems that make the plan unappliable (prevent_destroy, empty config); non-empty means exit 1. */
  errors: string[];
  /** Providers that could not be read and were allowed so (--allow-unreadable): planned from the state alone. */
  unread?: { provider: string; reason: string }[];
  /** Targeting used to make this plan (--target). */
  targets?: string[];
  /** Saved plans only: HMAC of the rest, keyed by the state's secret salt (edited or foreign files are refused). */
  signature?: string;
}

/**
 * The name a deposed object goes by in observations, plans and messages: "web (deposed 1a2b3c4d)".
 * Here, not in state/deposed.ts, so the planner needs nothing from a module that hashes (node:crypto).
 */
export function deposedRef(address: string, key: string): string {
  return `${address} (deposed ${key})`;
}

/** A change's unique name in a plan: the address, or "address (deposed KEY)" for a deposed object. */
export function changeKey(c: Pick<ResourceChange, 'address' | 'deposed'>): string {
  return c.deposed === undefined ? c.address : deposedRef(c.address, c.deposed);
}
