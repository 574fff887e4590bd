// Waiting for the cloud to finish something: one poller per session, one schedule for every wait.
export { MAX_POLL_FAILURES, Poller, type PollerOptions, type WaitSpec } from './poller.js';
export { outcomeOf, stillPossible, type PollReader, type ReadOutcome } from './reads.js';
export { Durations, firstGap, nextGap, type PollTiming } from './schedule.js';
