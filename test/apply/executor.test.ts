import t from 'tap';
import { runGraph, type Step } from '../../src/apply/executor.js';

const step = (id: string, deps: string[] = [], run: () => Promise<void> = async () => {}, group = 'g'): Step => ({ id, group, deps, run });

t.test('dependencies first, a failure skips its dependents only', async (t) => {
  const order: string[] = [];
  const rec = (id: string, fail = false) => async () => {
    order.push(id);
    if (fail) throw new Error(`${id} broke`);
  };
  const out = await runGraph(
    [step('c', ['b'], rec('c')), step('b', ['a'], rec('b', true)), step('a', [], rec('a')), step('d', ['a'], rec('d')), step('e', ['c'], rec('e'))],
    { limit: 2 },
  );
  t.same(order.slice(0, 1), ['a']);
  t.equal(out.get('b')?.status, 'failed');
  t.same(out.get('c'), { status: 'skipped', because: 'b' });
  t.same(out.get('e'), { status: 'skipped', because: 'c' });
  t.equal(out.get('d')?.status, 'done');
});

t.test('at most `limit` at once per group', async (t) => {
  const running = new Map<string, number>();
  const peak = new Map<string, number>();
  const run = (g: string) => async () => {
    running.set(g, (running.get(g) ?? 0) + 1);
    peak.set(g, Math.max(peak.get(g) ?? 0, running.get(g) ?? 0));
    await new Promise((r) => setTimeout(r, 2));
    running.set(g, (running.get(g) ?? 0) - 1);
  };
  const steps = Array.from({ length: 40 }, (_v, i) => step(`s${i}`, [], run(i % 2 ? 'x' : 'y'), i % 2 ? 'x' : 'y'));
  const out = await runGraph(steps, { limit: 3 });
  t.equal([...out.values()].filter((o) => o.status === 'done').length, 40);
  t.same([peak.get('x'), peak.get('y')], [3, 3]);
});

t.test('a stop skips what has not started; running steps finish', async (t) => {
  const stop = new AbortController();
  const steps = Array.from({ length: 10 }, (_v, i) =>
    step(`s${i}`, [], async () => {
      await new Promise((r) => setTimeout(r, 1));
      if (i === 0) stop.abort();
    }),
  );
  const out = await runGraph(steps, { limit: 2, stop: stop.signal });
  t.equal(out.get('s0')?.status, 'done');
  t.equal(out.get('s1')?.status, 'done', 'already running when the stop came');
  t.same(out.get('s9'), { status: 'skipped', because: 'interrupted' });
});

t.test('10,000 independent steps and a 2,000-step chain run without a quadratic scan', async (t) => {
  const many = Array.from({ length: 10_000 }, (_v, i) => step(`m${i}`));
  const chain = Array.from({ length: 2_000 }, (_v, i) => step(`c${i}`, i > 0 ? [`c${i - 1}`] : [], async () => {}, 'chain'));
  const out = await runGraph([...many, ...chain], { limit: 50 });
  t.equal([...out.values()].filter((o) => o.status === 'done').length, 12_000);
});
