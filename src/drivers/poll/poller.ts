// One poller per session for everything that waits on the cloud: Nutanix tasks, Numspot images
// leaving `pending`. Waits do not each run their own sleep-and-read loop; they register here, and
// the poller reads whatever is due, several keys per request where the API reads a list by ids
// (Numspot ReadImages `ids`), one per request otherwise (Prism reads a task by id only), with at
// most `concurrency` reads in flight. Each wait keeps its own schedule (schedule.ts), deadline,
// signal and failure count, so one slow or failing image never holds another back.
//
// Once a task exists the server has acted: every failure while waiting is non-definitive, except
// what the caller's `check` throws (a task the server reports FAILED, an image that vanished).
import { DriverError } from '../contract.js';
import { stillPossible, type PollReader, type ReadOutcome } from './reads.js';
import { Durations, firstGap, nextGap, type PollTiming } from './schedule.js';

export interface WaitSpec<R, T> {
  key: string;
  /** Durations are learned per kind (create, delete…): the first read of the next wait leans on them. */
  kind: string;
  /** What is waited for, in messages: "task X", "image X". */
  subject: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** One read's answer: the wait's result, or undefined to keep waiting. May throw a definitive failure. */
  check(value: R): T | undefined;
  /** The error once the deadline passed with the work still running. */
  timedOut(waitedMs: number): Error;
  /** Added to the message when the caller stops waiting (Ctrl-C). */
  abortNote?: string;
}

export interface PollerOptions {
  timing: PollTiming;
  now?: () => number;
}

/** Reads that may fail in a row (network, 5xx after the client's own retries) before a wait gives up. */
export const MAX_POLL_FAILURES = 5;
const RETRYABLE: ReadonlySet<DriverError['kind']> = new Set(['transient', 'throttled', 'timeout']);
/** A batched read also takes waits due within this fraction of their gap: one request instead of two. */
const COALESCE = 0.5;

interface Entry<R> {
  key: string;
  subject: string;
  started: number;
  deadline: number;
  due: number;
  gap: number;
  /** How long earlier waits of this kind took, when any has ended. */
  typical: number | undefined;
  failures: number;
  /** In a read that has not answered yet. */
  busy: boolean;
  done: boolean;
  read?: { members: Entry<R>[]; abort: AbortController };
  /** Hands one answer to the wait; true when the wait is over (resolved or rejected). */
  answer(outcome: ReadOutcome<R>, now: number): boolean;
  /** The deadline passed with the work still running. */
  expire(waited: number): void;
  stop(err: unknown): void;
}

export class Poller<R> {
  private readonly waits = new Set<Entry<R>>();
  private readonly queue: Entry<R>[][] = [];
  private readonly durations = new Durations();
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private inFlight = 0;

  constructor(
    private readonly reader: PollReader<R>,
    private readonly opts: PollerOptions,
  ) {
    this.now = opts.now ?? Date.now;
  }

  /** Waits currently registered (for tests and summaries). */
  get pending(): number {
    return this.waits.size;
  }

  wait<T>(spec: WaitSpec<R, T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const { signal } = spec;
      if (signal?.aborted) return reject(stillPossible(signal.reason, spec.subject, spec.abortNote));
      const started = this.now();
      const typical = this.durations.typical(spec.kind);
      const gap = firstGap(this.opts.timing, typical);
      const finish = (entry: Entry<R>, settle: () => void): void => {
        entry.done = true;
        this.waits.delete(entry);
        signal?.removeEventListener('abort', onAbort);
        if (entry.read && entry.read.members.every((m) => m.done)) entry.read.abort.abort();
        settle();
      };
      const entry: Entry<R> = {
        key: spec.key,
        subject: spec.subject,
        started,
        deadline: started + spec.timeoutMs,
        due: Math.min(started + gap, started + spec.timeoutMs),
        gap,
        typical,
        failures: 0,
        busy: false,
        done: false,
        answer: (outcome, now) => {
          if (!outcome.ok) {
            const retryable = outcome.error instanceof DriverError && RETRYABLE.has(outcome.error.kind) && !signal?.aborted;
            if (!retryable || ++entry.failures >= MAX_POLL_FAILURES) {
              finish(entry, () => reject(stillPossible(outcome.error, spec.subject, spec.abortNote)));
              return true;
            }
            return false;
          }
          entry.failures = 0;
          let result: T | undefined;
          try {
            result = spec.check(outcome.value);
          } catch (err) {
            finish(entry, () => reject(err));
            return true;
          }
          if (result === undefined) return false;
          this.durations.record(spec.kind, now - started);
          finish(entry, () => resolve(result));
          return true;
        },
        expire: (waited) => finish(entry, () => reject(spec.timedOut(waited))),
        stop: (err) => finish(entry, () => reject(err)),
      };
      const onAbort = (): void => entry.stop(stillPossible(signal?.reason, spec.subject, spec.abortNote));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waits.add(entry);
      this.arm();
    });
  }

  /** Stops every wait (the session is closing): each rejects as if its caller had aborted. */
  close(): void {
    for (const e of [...this.waits]) e.stop(new DriverError('transient', `stopped waiting for ${e.subject} (the session closed)`, { definitive: false }));
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
  }

  /** One timer, set for the earliest wait that is due and not being read. */
  private arm(): void {
    let next = Number.POSITIVE_INFINITY;
    for (const e of this.waits) if (!e.busy && e.due < next) next = e.due;
    if (next === Number.POSITIVE_INFINITY) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.timerAt = next;
      return;
    }
    if (this.timer !== undefined && this.timerAt <= next) return;
    clearTimeout(this.timer);
    this.timerAt = next;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      this.tick();
    }, Math.max(0, next - this.now()));
  }

  private tick(): void {
    const now = this.now();
    const slack = this.reader.batch > 1 ? COALESCE : 0;
    // 1 ms of tolerance: a timer may fire within the millisecond it was set for.
    const due = [...this.waits].filter((e) => !e.busy && e.due - now <= Math.max(1, slack * e.gap)).sort((a, b) => a.due - b.due);
    for (let i = 0; i < due.length; i += this.reader.batch) {
      const chunk = due.slice(i, i + this.reader.batch);
      for (const e of chunk) e.busy = true;
      this.queue.push(chunk);
    }
    this.pump();
    this.arm();
  }

  private pump(): void {
    while (this.inFlight < this.reader.concurrency) {
      const chunk = this.queue.shift();
      if (!chunk) return;
      this.inFlight++;
      void this.read(chunk).finally(() => {
        this.inFlight--;
        this.pump();
        this.arm();
      });
    }
  }

  private async read(chunk: Entry<R>[]): Promise<void> {
    const members = chunk.filter((e) => !e.done);
    if (members.length === 0) return;
    const read = { members, abort: new AbortController() };
    for (const e of members) e.read = read;
    let results: Map<string, ReadOutcome<R>>;
    try {
      results = await this.reader.read(members.map((e) => e.key), read.abort.signal);
    } catch (error) {
      results = new Map(members.map((e) => [e.key, { ok: false, error }]));
    }
    const now = this.now();
    for (const e of members) {
      e.busy = false;
      delete e.read;
      if (e.done) continue;
      const outcome = results.get(e.key) ?? { ok: false, error: new DriverError('transient', `the read of ${e.key} gave no answer for it`) };
      if (e.answer(outcome, now)) continue;
      const waited = now - e.started;
      if (now >= e.deadline) {
        e.expire(waited);
        continue;
      }
      e.gap = nextGap(this.opts.timing, waited, e.typical);
      e.due = Math.min(now + e.gap, e.deadline);
    }
  }
}

