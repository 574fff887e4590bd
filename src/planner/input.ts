// What the planner is given. Everything here is already read (config, state, live API reads);
// the planner itself does no I/O and takes the clock as `now`.
import type { DriverSchema } from '../fields/schema.js';
import type { ErrorKind, ObservedImage } from '../fields/observed.js';
import type { Lifecycle } from '../fields/lifecycle.js';
import type { StateFile } from '../state/types.js';
import type { JsonObject } from '../util/json.js';

/** What a live read said about one managed image. */
export type Observation =
  | { status: 'found'; image: ObservedImage }
  | { status: 'not_found' }
  | { status: 'not_checked'; kind: ErrorKind; message: string }
  | { status: 'not_read' }; // --refresh=false

/** A desired image prepared for planning. */
export interface PlanImage {
  address: string;
  provider: string;
  driver: string;
  /** Lookups resolved, secrets as `{ $secret: fingerprint }`, references still `{ ref: "a.id" }`. */
  fields: JsonObject;
  /** Explicit depends_on plus every reference target. */
  depends_on: string[];
  lifecycle: Lifecycle;
}

export interface PlanInput {
  desired: Readonly<Record<string, PlanImage>>;
  state: StateFile;
  observed: Readonly<Record<string, Observation>>;
  schemas: Readonly<Record<string, DriverSchema>>;
  now: string;
  config_digest: string;
  targets?: readonly string[];
  allow_empty?: boolean;
}
