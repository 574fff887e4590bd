import t from 'tap';
import { findCycles, formatCycle } from '../../../src/config/rules/graph.js';
import { UUID, diagnostics, lines, load, withImages } from '../../fixtures/config/helpers.js';

const iso = (name: string, extra = ''): string =>
  `    provider: prod\n    name: ${name}\n    type: ISO_IMAGE\n    source: { url: https://x/${name}.iso }\n${extra}`;
const disk = (name: string, ref: string, extra = ''): string =>
  `    provider: prod\n    name: ${name}\n    type: DISK_IMAGE\n    source: { ext_id: { ref: ${ref} } }\n${extra}`;

t.test('refs, lookups and depends_on are collected with pointers and positions', async (t) => {
  const c = await load(t, {
    'imagectl.yaml': withImages(
      `  a:\n${iso('a')}  b:\n${disk('b', 'a.ext_id', `    depends_on: [a]\n    cluster_location_ext_ids: [${UUID}, { lookup: cluster, name: pc-1 }]\n`)}`,
    ),
  });
  const b = c.images['b'];
  t.same(b?.refs, [{ pointer: '/source/ext_id', target: 'a', attribute: 'ext_id', pos: { file: 'imagectl.yaml', line: 17, col: 23 } }]);
  t.same(b?.lookups, [{ pointer: '/cluster_location_ext_ids/1', kind: 'cluster', query: { name: 'pc-1' }, pos: { file: 'imagectl.yaml', line: 19, col: 70 } }]);
  t.same(b?.depends_on, ['a']);
});

t.test('a ref to an undeclared address is a positioned error', async (t) => {
  const ds = await diagnostics(t, { 'imagectl.yaml': withImages(`  base:\n${iso('base')}  b:\n${disk('b', 'bsae.ext_id')}`) });
  t.same(lines(ds), ["imagectl.yaml:17:23: images.b.source.ext_id: reference to undeclared image 'bsae' (did you mean 'base'?)"]);
});

t.test('depends_on entries must be declared', async (t) => {
  const ds = await diagnostics(t, { 'imagectl.yaml': withImages(`  a:\n${iso('a', '    depends_on: [a2, zzz]\n')}`) });
  t.same(lines(ds), [
    "imagectl.yaml:13:18: images.a.depends_on[0]: depends on undeclared image 'a2' (did you mean 'a'?)",
    "imagectl.yaml:13:22: images.a.depends_on[1]: depends on undeclared image 'zzz'",
  ]);
});

t.test('a dependency cycle is named in order, at its first member', async (t) => {
  const ds = await diagnostics(t, {
    'imagectl.yaml': withImages(
      `  c:\n${disk('c', 'a.ext_id')}  a:\n${iso('a', '    depends_on: [b]\n')}  b:\n${disk('b', 'c.ext_id')}  ok:\n${iso('ok', '    depends_on: [a]\n')}`,
    ),
  });
  t.same(lines(ds), ['imagectl.yaml:13:3: images.a: dependency cycle: a -> b -> c -> a']);
});

t.test('an image depending on itself is a cycle', async (t) => {
  const ds = await diagnostics(t, { 'imagectl.yaml': withImages(`  me:\n${iso('me', '    depends_on: [me]\n')}`) });
  t.same(lines(ds), ['imagectl.yaml:8:3: images.me: dependency cycle: me -> me']);
});

t.test('findCycles reports each cycle once, rotated to its smallest member', async (t) => {
  const cycles = findCycles(
    new Map([
      ['z', ['y']],
      ['y', ['x']],
      ['x', ['z']],
      ['p', ['q']],
      ['q', []],
    ]),
  );
  t.same(cycles, [['x', 'z', 'y']]);
  t.equal(formatCycle(cycles[0] ?? []), 'x -> z -> y -> x');
  t.same(findCycles(new Map([['a', ['b']], ['b', []]])), []);
});

t.test('an unknown lookup kind is an error naming the known kinds', async (t) => {
  const ds = await diagnostics(t, {
    'imagectl.yaml': withImages(`  a:\n${iso('a', '    cluster_location_ext_ids:\n      - { lookup: clustre, name: pc }\n')}`),
  });
  t.same(lines(ds), [
    "imagectl.yaml:14:19: images.a.cluster_location_ext_ids[0].lookup: unknown lookup kind 'clustre' for driver nutanix (known: cluster) (did you mean 'cluster'?)",
  ]);
});

t.test("a lookup's query is validated against the kind's query schema", async (t) => {
  const ds = await diagnostics(t, {
    'imagectl.yaml': withImages(`  a:\n${iso('a', '    cluster_location_ext_ids:\n      - { lookup: cluster, name: 5 }\n')}`),
  });
  t.same(lines(ds), ['imagectl.yaml:14:34: images.a.cluster_location_ext_ids[0].name: must be a string']);
});

t.test('a lookup where the driver allows none is refused by the schema', async (t) => {
  const ds = await diagnostics(t, {
    'imagectl.yaml': withImages(`  a:\n${iso('a', '    category_ext_ids: [{ lookup: cluster, name: x }]\n')}`),
  });
  t.same(lines(ds), ['imagectl.yaml:13:24: images.a.category_ext_ids[0]: must be a string or a {ref: ADDRESS.ATTRIBUTE}']);
});
