// What the operations share: the API client and the timing knobs (turned down in tests).
import type { PollTiming } from '../poll/index.js';
import type { NumspotClient } from './client.js';
import type { ImagePoller } from './wait.js';

export interface OpsDeps {
  client: NumspotClient;
  /** How long an image may stay pending before create (or recover) stops waiting. */
  pendingTimeoutMs: number;
  /** The session's one poller: every wait for an image to leave `pending` goes through it. */
  images: ImagePoller;
  /** Also spaces the retries of a DELETE refused while the image is in use. */
  poll: PollTiming;
  /** The provider's region: the default source_region_name of a copy. */
  region?: string;
  /** How long a DELETE answered 409/424 (in use, dependency) is retried. */
  conflictRetryMs: number;
  now: () => number;
}
