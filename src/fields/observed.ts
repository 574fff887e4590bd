// What a driver hands back about the cloud, in imagectl's snake_case field model: the planner
// compares it with the desired fields, so it lives below both (drivers/contract.ts says how a
// driver produces it).
import type { JsonObject } from '../util/json.js';

/** The kinds of failure every driver maps its errors to (DriverError, a read's `error` status). */
export type ErrorKind = 'auth' | 'throttled' | 'transient' | 'conflict' | 'invalid' | 'failed' | 'timeout';

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
