// What the operations share: the API client, the session's task poller and the timing knobs
// (turned down in tests).
import type { TaskWaitDeps } from './wait.js';

export interface OpsDeps extends TaskWaitDeps {
  /** PUT attempts when the ETag keeps going stale (412) under concurrent writers. */
  updateAttempts: number;
}
