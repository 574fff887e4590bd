// Runs a dependency graph of steps: each step starts once its dependencies succeeded, at most
// `limit` at once per group (provider). A failure skips its dependents only; independent work
// goes on. Once `stop` is aborted no new step starts, but steps already running finish.

export interface Step {
  id: string;
  group: string;
  deps: readonly string[];
  run: () => Promise<void>;
}

export type StepOutcome = { status: 'done' } | { status: 'failed'; error: unknown } | { status: 'skipped'; because: string };

export async function runGraph(steps: readonly Step[], opts: { limit: number; stop?: AbortSignal }): Promise<Map<string, StepOutcome>> {
  // Event driven: a finished step looks only at its own dependents, so a wake-up costs O(edges
  // touched), not a scan of every waiting step (10,000 steps must not cost 10,000² checks).
  const outcomes = new Map<string, StepOutcome>();
  const byId = new Map(steps.map((s) => [s.id, s]));
  const waiting = new Set(steps.map((s) => s.id));
  const dependents = new Map<string, Step[]>();
  for (const s of steps) {
    for (const d of new Set(s.deps)) {
      if (!byId.has(d)) continue;
      const list = dependents.get(d) ?? [];
      list.push(s);
      dependents.set(d, list);
    }
  }
  const queues = new Map<string, { items: Step[]; head: number }>();
  const running = new Map<string, number>();
  let inFlight = 0;
  let wake: () => void = () => {};

  const blockedBy = (s: Step): string | undefined => {
    for (const d of s.deps) {
      if (!byId.has(d)) continue; // a dependency with nothing to do counts as done
      const o = outcomes.get(d);
      if (o === undefined) return undefined;
      if (o.status !== 'done') return d;
    }
    return undefined;
  };
  const ready = (s: Step): boolean => s.deps.every((d) => !byId.has(d) || outcomes.get(d)?.status === 'done');
  const enqueue = (s: Step): void => {
    const q = queues.get(s.group) ?? { items: [], head: 0 };
    q.items.push(s);
    queues.set(s.group, q);
  };
  // Settle a step that will not run, then whatever that decides among its dependents.
  const resolve = (id: string, outcome: StepOutcome): void => {
    waiting.delete(id);
    outcomes.set(id, outcome);
    settled(id);
  };
  const settled = (id: string): void => {
    for (const t of dependents.get(id) ?? []) {
      if (!waiting.has(t.id)) continue;
      const blocker = blockedBy(t);
      if (blocker !== undefined) resolve(t.id, { status: 'skipped', because: blocker });
      else if (ready(t)) enqueue(t);
    }
  };

  const start = (s: Step): void => {
    waiting.delete(s.id);
    inFlight++;
    running.set(s.group, (running.get(s.group) ?? 0) + 1);
    s.run().then(
      () => outcomes.set(s.id, { status: 'done' }),
      (error: unknown) => outcomes.set(s.id, { status: 'failed', error }),
    ).finally(() => {
      inFlight--;
      running.set(s.group, (running.get(s.group) ?? 1) - 1);
      settled(s.id);
      wake();
    });
  };

  for (const s of steps) if (ready(s)) enqueue(s);
  // One listener for the whole run (not one per wait: thousands of waits would pile them up).
  opts.stop?.addEventListener('abort', () => wake(), { once: true });
  for (;;) {
    for (const [group, q] of queues) {
      while (q.head < q.items.length) {
        const s = q.items[q.head] as Step;
        if (!waiting.has(s.id)) {
          q.head++;
        } else if (opts.stop?.aborted) {
          q.head++;
          resolve(s.id, { status: 'skipped', because: 'interrupted' });
        } else if ((running.get(group) ?? 0) < opts.limit) {
          q.head++;
          start(s);
        } else {
          break;
        }
      }
      if (q.head > 1024 && q.head * 2 > q.items.length) (q.items = q.items.slice(q.head)), (q.head = 0);
    }
    if (inFlight === 0 && waiting.size === 0) return outcomes;
    if (inFlight === 0) {
      if (opts.stop?.aborted) {
        for (const id of [...waiting]) if (waiting.has(id)) resolve(id, { status: 'skipped', because: blockedBy(byId.get(id) as Step) ?? 'interrupted' });
        return outcomes;
      }
      // Only possible with a dependency cycle, which config validation rejects: fail loudly.
      for (const id of waiting) outcomes.set(id, { status: 'skipped', because: 'dependency cycle' });
      return outcomes;
    }
    // Every group with a free slot has an empty queue now: wait for a step to finish (or a stop).
    await new Promise<void>((r) => (wake = r));
  }
}
