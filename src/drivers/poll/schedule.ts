// When to read a running task again. The old loops (a fixed first poll, then ×1.5 up to a cap)
// saw a 2 s task at 2.4 s: the gaps had grown to 1 s by the time it ended. Here:
// - the first read waits most of the duration this session's earlier tasks of the same kind
//   took (a batch of images mostly takes about the same time), or `minMs` when none has ended;
// - around that typical end the gaps are short (`fineMs`, or 5 % of the typical duration for
//   long tasks), so a completion is seen within one short gap;
// - elsewhere each gap is a fraction (`ratio`) of the time already waited, between `minMs` and
//   `maxMs`: a task is seen at most that fraction late, and an hour-long one is read every
//   `maxMs`, so a slow cloud is not hammered.

export interface PollTiming {
  /** Shortest gap outside the expected end, and the first read's delay while nothing is known. */
  minMs: number;
  /** The gap around the typical end of a task (short tasks): a completion is seen at most this late. */
  fineMs: number;
  /** Elsewhere a gap is this fraction of the time waited so far. */
  ratio: number;
  /** Longest gap. */
  maxMs: number;
  /** The first read waits this fraction of the typical duration. */
  lead: number;
}

/** Reads around the typical end run from `lead` × typical to this multiple of it. */
const FINE_UNTIL = 1.25;
/** Around the end of a long task, the gap is this fraction of its typical duration. */
const FINE_FRACTION = 0.05;
/** However long tasks usually take, the first read comes within a minute: it reports progress. */
const FIRST_READ_CAP_MS = 60_000;

/** The gap after a read that found the task still running, `waitedMs` after the wait began. */
export function nextGap(t: PollTiming, waitedMs: number, typicalMs?: number): number {
  if (typicalMs !== undefined && waitedMs < FINE_UNTIL * typicalMs) {
    return Math.min(t.maxMs, Math.max(t.fineMs, FINE_FRACTION * typicalMs));
  }
  return Math.min(t.maxMs, Math.max(t.minMs, t.ratio * waitedMs));
}

/** The first read's delay: a lead on the typical duration, or the shortest gap when none is known. */
export function firstGap(t: PollTiming, typicalMs?: number): number {
  if (typicalMs === undefined) return t.minMs;
  return Math.min(FIRST_READ_CAP_MS, Math.max(t.fineMs, t.lead * typicalMs));
}

/** How many recent durations each kind keeps. */
const WINDOW = 32;

/**
 * Durations of finished waits, per kind (create, update, delete…). The typical one is the lower
 * quartile of the recent ones: a few fast tasks pull it down (an early read costs one request),
 * while slow outliers cannot push the first read past most completions.
 */
export class Durations {
  private readonly seen = new Map<string, number[]>();

  record(kind: string, ms: number): void {
    const list = this.seen.get(kind) ?? [];
    list.push(ms);
    if (list.length > WINDOW) list.shift();
    this.seen.set(kind, list);
  }

  typical(kind: string): number | undefined {
    const list = this.seen.get(kind);
    if (!list || list.length === 0) return undefined;
    const sorted = [...list].sort((a, b) => a - b);
    return sorted[Math.floor((sorted.length - 1) / 4)];
  }
}
