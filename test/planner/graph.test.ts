// src/planner/graph.ts: dependency order (dependencies first, ties by name), the targets' closure,
// and, through plan(), deletes waiting for what depended on them.
import t from 'tap';
import { topoOrder, withDependencies } from '../../src/planner/graph.js';
import { plan } from '../../src/planner/index.js';
import { image, input, iso, resource, state } from '../support/builders.js';

const edges = (map: Record<string, string[]>) => (n: string): readonly string[] => map[n] ?? [];

t.test('topoOrder: dependencies first, ties broken by name, nothing dropped', async (t) => {
  const rows: { name: string; nodes: string[]; deps: Record<string, string[]>; order: string[] }[] = [
    { name: 'no edges: by name', nodes: ['c', 'a', 'b'], deps: {}, order: ['a', 'b', 'c'] },
    { name: 'a chain against the alphabet', nodes: ['a', 'b', 'c'], deps: { a: ['b'], b: ['c'] }, order: ['c', 'b', 'a'] },
    { name: 'a diamond', nodes: ['top', 'l', 'r', 'base'], deps: { top: ['l', 'r'], l: ['base'], r: ['base'] }, order: ['base', 'l', 'r', 'top'] },
    { name: 'a freed node joins the ready ones by name', nodes: ['b', 'z', 'a', 'c'], deps: { a: ['b'] }, order: ['b', 'a', 'c', 'z'] },
    { name: 'edges to unknown nodes and to itself are ignored', nodes: ['a', 'b'], deps: { a: ['gone', 'a'] }, order: ['a', 'b'] },
    { name: 'a cycle (refused by validation) keeps every node', nodes: ['x', 'y', 'a'], deps: { x: ['y'], y: ['x'] }, order: ['a', 'x', 'y'] },
  ];
  for (const r of rows) t.same(topoOrder(r.nodes, edges(r.deps)), r.order, r.name);
});

t.test('withDependencies: the targets and everything they need, transitively', async (t) => {
  const deps = edges({ app: ['mid'], mid: ['base'], other: ['base'], loop: ['loop'] });
  const rows: { targets: string[]; keep: string[] }[] = [
    { targets: ['app'], keep: ['app', 'base', 'mid'] },
    { targets: ['base'], keep: ['base'] },
    { targets: ['app', 'other'], keep: ['app', 'base', 'mid', 'other'] },
    { targets: ['loop'], keep: ['loop'] },
    { targets: [], keep: [] },
  ];
  for (const r of rows) t.same([...withDependencies(r.targets, deps)].sort(), r.keep, r.targets.join(',') || 'none');
});

t.test('plan: creates list their dependencies, deletes wait for their dependents', async (t) => {
  const ids = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333'];
  const created = plan(input([image('app', iso, { depends_on: ['mid', 'base'] }), image('mid', iso, { depends_on: ['base'] }), image('base', iso)], state()));
  t.same(created.changes.map((c) => [c.address, c.depends_on]), [['app', ['base', 'mid']], ['base', []], ['mid', ['base']]]);
  const st = state([resource('app', ids[0] as string, iso, { depends_on: ['mid'] }), resource('mid', ids[1] as string, iso, { depends_on: ['base'] }), resource('base', ids[2] as string, iso)]);
  const deleted = plan(input([], st, {}, { allow_empty: true }));
  t.same(deleted.changes.map((c) => [c.address, c.depends_on]), [['app', []], ['base', ['mid']], ['mid', ['app']]]);
  const partly = plan(input([image('base', iso)], st, {}));
  t.same(partly.changes.map((c) => [c.address, c.action, c.depends_on]), [['app', 'delete', []], ['base', 'no-op', []], ['mid', 'delete', ['app']]], 'a kept image waits for nothing');
});
