// What the operations share: the API client and the timing knobs (turned down in tests).
import type { NumspotClient } from './client.js';
import type { PollTiming } from './wait.js';

export interface OpsDeps {
  client: NumspotClient;
  /** How long an image may stay pending before create (or recover) stops waiting. */
  pendingTimeoutMs: number;
  poll: PollTiming;
  /** The provider's region: the default source_region_name of a copy. */
  region?: string;
  /** How long a DELETE answered 409/424 (in use, dependency) is retried. */
  conflictRetryMs: number;
  now: () => number;
}
