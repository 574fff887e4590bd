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
  const outcomes = new Map<string, StepOutcome>();
  const byId = new Map(steps.map((s) => [s.id, s]));
  const waiting = new Set(steps.map((s) => s.id));
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
      wake();
    });
  };

  for (;;) {
    let progressed = true;
    while (progressed) {
      progressed = false;
      for (const id of [...waiting]) {
        const s = byId.get(id) as Step;
        const blocker = blockedBy(s);
        if (blocker !== undefined) {
          waiting.delete(id);
          outcomes.set(id, { status: 'skipped', because: blocker });
          progressed = true;
        } else if (opts.stop?.aborted) {
          if (ready(s) || inFlight === 0) {
            waiting.delete(id);
            outcomes.set(id, { status: 'skipped', because: 'interrupted' });
            progressed = true;
          }
        } else if (ready(s) && (running.get(s.group) ?? 0) < opts.limit) {
          start(s);
          progressed = true;
        }
      }
    }
    if (inFlight === 0 && waiting.size === 0) return outcomes;
    if (inFlight === 0) {
      // Only possible with a dependency cycle, which config validation rejects: fail loudly.
      for (const id of waiting) outcomes.set(id, { status: 'skipped', because: 'dependency cycle' });
      return outcomes;
    }
    await new Promise<void>((resolve) => {
      wake = resolve;
      opts.stop?.addEventListener('abort', () => resolve(), { once: true });
    });
  }
}
