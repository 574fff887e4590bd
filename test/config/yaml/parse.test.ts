// How a config file's text becomes a value: parseYaml, the one reader (the `yaml` package). Kept
// from the tests of the former fast reader (fast-yaml, yaml-values) where they asserted what a
// config means rather than that two readers agree: every error positioned, duplicate keys, keys
// that Object.prototype has, merge keys, aliases and hostile documents.
import t, { type Test } from 'tap';
import { LineCounter, parseDocument } from 'yaml';
import { Diagnostics } from '../../../src/config/diagnostics.js';
import { parseYaml } from '../../../src/config/yaml/parse.js';

/** The value and the diagnostics (FILE:LINE:COL: message) of one document. */
function read(text: string): { value: unknown; lines: string[] } {
  const diags = new Diagnostics();
  const { parsed } = parseYaml('/x/c.yaml', 'c.yaml', text, diags);
  const lines = diags.sorted().map((d) => `${d.line}:${d.col}: ${d.message}`);
  return { value: parsed.value, lines };
}

/** Equal as objects are: the same own keys in the same order, descriptors, prototypes and values. */
function sameStructure(t: Test, a: unknown, b: unknown, at = '$'): void {
  if (Object.is(a, b)) return;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    t.fail(`${at}: ${String(a)} is not ${String(b)}`);
    return;
  }
  t.equal(Object.getPrototypeOf(a), Object.getPrototypeOf(b), `${at}: prototype`);
  t.same(Reflect.ownKeys(a), Reflect.ownKeys(b), `${at}: keys in order`);
  for (const k of Reflect.ownKeys(a)) {
    const da = Object.getOwnPropertyDescriptor(a, k);
    const db = Object.getOwnPropertyDescriptor(b, k);
    t.same([da?.enumerable, da?.writable, da?.configurable], [db?.enumerable, db?.writable, db?.configurable], `${at}.${String(k)}: descriptor`);
    sameStructure(t, da?.value, db?.value, `${at}.${String(k)}`);
  }
}

/** An own, enumerable, writable data property (what a key read from YAML must be). */
function ownData(t: Test, obj: unknown, key: string): unknown {
  const d = Object.getOwnPropertyDescriptor(obj, key);
  t.ok(d !== undefined && 'value' in d && d.enumerable === true && d.writable === true, `${key} is an own enumerable data property`);
  return d?.value;
}

const dup = (key: string): string => `duplicate key '${key}' (keys must be unique)`;

// Documents and the duplicate keys (line:col) each must be reported for; the value is yaml's toJS.
const documents: Record<string, { text: string; duplicates: string[] }> = {
  'maps, lists and scalars': { text: 'version: 1\nimages:\n  a: { provider: p, n: [1, 2.5, true, null, ~, "s", x] }\n  b:\n    - { k: v }\n    - []\n', duplicates: [] },
  'keys that are not names': { text: '1: a\n"2": b\n~: c\ntrue: d\n.nan: e\n0x10: f\n? \n: g\n', duplicates: ['7:3'] },
  'keys that Object.prototype has': { text: '__proto__: { a: 1 }\ntoString: 2\nconstructor: [3]\nhasOwnProperty: 4\n', duplicates: [] },
  'duplicates in small and large maps': {
    text: `a: 1\na: 2\nm: { x: 1, x: 2, .nan: 3, .nan: 4 }\nbig:\n${Array.from({ length: 12 }, (_, i) => `  k${i % 10}: ${i}\n`).join('')}`,
    duplicates: ['2:1', '3:12', '3:27', '15:3', '16:3'],
  },
  'a scalar document': { text: 'hello\n', duplicates: [] },
  'an empty document': { text: '# nothing\n', duplicates: [] },
  'YAML 1.1 scalars': { text: '%YAML 1.1\n---\na: yes\nb: 2001-12-14\nc: 0b101\n', duplicates: [] },
  'unknown tags': { text: 'a: !foo bar\nb: !!str 3\nc: !thing { x: 1 }\n', duplicates: [] },
  'a pair in a flow list': { text: 'l: [a: 1, b]\n', duplicates: [] },
  'anchors no alias uses': { text: 'a: &x 1\n&k b: &m { c: [&s d] }\n', duplicates: [] },
  'an alias': { text: 'a: &x { b: 1 }\nc: *x\n', duplicates: [] },
  'a merge key under YAML 1.1': { text: '%YAML 1.1\n---\nbase: &b { x: 1 }\nm: { <<: *b, y: 2 }\n', duplicates: [] },
  'two merge keys under YAML 1.1 (not duplicates)': { text: '%YAML 1.1\n---\nb: &b { x: 1 }\nm: { <<: *b, <<: *b, z: 2 }\n', duplicates: [] },
  'a plain << key, twice (YAML 1.2: a string)': { text: 'a: { <<: 1, <<: 2 }\n', duplicates: ['1:13'] },
  'a collection as a key': { text: '? [a, b]\n: 1\n', duplicates: [] },
  'duplicates inside a collection key': { text: '? { a: 1, a: 2 }\n: 1\n', duplicates: ['1:11'] },
  'duplicates in list items and flow maps': { text: '- { k: 1, k: 2 }\n- a: 1\n  b: 2\n  a: 3\n', duplicates: ['1:11', '4:3'] },
  'a !!set under YAML 1.1': { text: '%YAML 1.1\n---\ns: !!set { a, b }\n', duplicates: [] },
  'an !!omap under YAML 1.1': { text: '%YAML 1.1\n---\no: !!omap [ a: 1, b: 2 ]\n', duplicates: [] },
};

for (const [name, { text, duplicates }] of Object.entries(documents)) {
  t.test(`${name}: yaml's value, one error per duplicate key`, async (t) => {
    const { value, lines } = read(text);
    const doc = parseDocument(text, { lineCounter: new LineCounter(), prettyErrors: false, uniqueKeys: false });
    t.same(doc.errors, [], 'the fixture is valid YAML');
    t.same(lines.map((l) => l.replace(/: .*/, '')), duplicates);
    for (const l of lines) t.match(l, /: duplicate key ('.*' )?\(keys must be unique\)$/);
    if (duplicates.length > 0) t.equal(value, undefined, 'no value when a key repeats');
    else sameStructure(t, value, doc.toJS({ maxAliasCount: 100 }));
  });
}

t.test("duplicate keys are the ones yaml's own (quadratic) uniqueKeys check finds", async (t) => {
  // .nan is the one difference: a Set finds NaN repeated, yaml's === does not.
  for (const [name, { text }] of Object.entries(documents)) {
    if (text.includes('.nan')) continue;
    const strict = parseDocument(text, { lineCounter: new LineCounter(), prettyErrors: false });
    const expected = strict.errors.filter((e) => e.code === 'DUPLICATE_KEY').map((e) => e.pos[0]);
    const lc = new LineCounter();
    parseDocument(text, { lineCounter: lc });
    const at = (o: number): string => `${lc.linePos(o).line}:${lc.linePos(o).col}`;
    t.same(read(text).lines.map((l) => l.replace(/: .*/, '')), expected.map(at), name);
  }
});

/** bench/lib/scenario.mjs's config of `n` images: the shape of a large config. */
async function benchConfig(n: number): Promise<string> {
  // A plain .mjs without types: imported by a URL built at run time so that tsc does not resolve it.
  const url = new URL('../../../bench/lib/scenario.mjs', import.meta.url).href;
  const { configYaml } = (await import(url)) as { configYaml: (sims: unknown, n: number) => string };
  const sims = {
    nutanix: { url: 'https://127.0.0.1:40123', username: 'admin' },
    numspot: { url: 'http://127.0.0.1:40124', spaceId: 'bbd4a1b0-8a8c-4d4b-9f36-2f8a3f1c6b07', clientId: 'client-1' },
  };
  return configYaml(sims, n);
}

t.test('an image written twice among 2,000 is one error, at the repeat', async (t) => {
  const text = await benchConfig(2000);
  const clean = read(text);
  t.same(clean.lines, []);
  t.equal(Object.keys((clean.value as { images: object }).images).length, 2000);
  const twice = text.replace('images:\n', 'images:\n  s-00007:\n    provider: ns\n    name: first\n');
  const line = twice.split('\n').indexOf('  s-00007:', 17) + 1;
  t.same(read(twice).lines, [`${line}:3: ${dup('s-00007')}`]);
});

t.test('a duplicate key names the key, at the repeat', async (t) => {
  t.same(read('a: 1\n"b c": 1\n"b c": 2\nd: { e: 1, e: 2 }\na: 3\n').lines, [`3:1: ${dup('b c')}`, `4:12: ${dup('e')}`, `5:1: ${dup('a')}`]);
});

t.test('every syntax error is reported with its position, and duplicate keys beside them', async (t) => {
  const { value, lines } = read('a: 1\na: 2\nb: [1, 2\nc: "open\n');
  t.equal(value, undefined);
  t.ok(lines.length >= 3, lines.join('\n'));
  t.ok(lines.includes(`2:1: ${dup('a')}`), 'the duplicate key');
  t.ok(lines.some((l) => /^4:1: YAML syntax error: Flow sequence .* end with a \]$/.test(l)), 'the unclosed flow sequence (where it should have ended)');
  t.ok(lines.some((l) => /^5:1: YAML syntax error: Missing closing "quote/.test(l)), 'the unclosed quote');
});

t.test('plain scalars resolve by YAML 1.2 core schema', async (t) => {
  const cases: [string, unknown][] = [
    ['yes', 'yes'], ['No', 'No'], ['on', 'on'], ['OFF', 'OFF'], ['y', 'y'], ['true', true], ['True', true], ['TRUE', true], ['tRUE', 'tRUE'],
    ['false', false], ['~', null], ['null', null], ['Null', null], ['NULL', null], ['nULL', 'nULL'], ['nil', 'nil'],
    ['0', 0], ['-0', -0], ['007', 7], ['+12', 12], ['1.', 1], ['.5', 0.5], ['1e3', 1000], ['1E-2', 0.01], ['0o17', 15], ['0o8', '0o8'],
    ['0x1F', 31], ['0X1F', '0X1F'], ['0b101', '0b101'], ['1_000', '1_000'], ['.inf', Infinity], ['-.Inf', -Infinity], ['.NaN', NaN],
    ['nan', 'nan'], ['2001-12-14', '2001-12-14'], ['9007199254740993', 9007199254740992], ['1e400', Infinity],
  ];
  for (const [text, expected] of cases) {
    const { value } = read(`k: ${text}\n`);
    t.ok(Object.is((value as { k: unknown }).k, expected), `${text} is ${String(expected)} (${typeof expected})`);
    t.same(Object.keys(read(`${text}: v\n`).value as object), [text === '~' || /^null$/i.test(text) && text !== 'nULL' ? '' : String(expected)], `${text} as a key`);
  }
});

t.test('__proto__ and constructor keys are plain own data, never a prototype', async (t) => {
  const { value, lines } = read('__proto__: { polluted: 1 }\nconstructor: { prototype: { polluted: 2 } }\nimages:\n  __proto__: { polluted: 3 }\n  a: { __proto__: [1] }\n');
  t.same(lines, []);
  t.equal(Object.getPrototypeOf(value), Object.prototype);
  t.same(ownData(t, value, '__proto__'), { polluted: 1 });
  t.same(ownData(t, value, 'constructor'), { prototype: { polluted: 2 } });
  const images = ownData(t, value, 'images');
  t.equal(Object.getPrototypeOf(images), Object.prototype);
  t.same(ownData(t, images, '__proto__'), { polluted: 3 });
  t.same(ownData(t, ownData(t, images, 'a'), '__proto__'), [1]);
  t.equal((value as { polluted?: unknown }).polluted, undefined, 'not inherited by the document');
  t.equal(({} as { polluted?: unknown }).polluted, undefined, 'Object.prototype untouched');
  t.same(Object.keys(value as object), ['__proto__', 'constructor', 'images']);
});

t.test('merge keys and aliases copy __proto__ as own data too', async (t) => {
  // YAML 1.1 merges: the merged keys are defined on the map, not assigned.
  const merged = read('%YAML 1.1\n---\nb: &b { __proto__: { polluted: 1 }, x: 1 }\nm: { <<: *b, y: 2 }\np: { <<: [*b], __proto__: own }\n');
  t.same(merged.lines, []);
  const m = ownData(t, merged.value, 'm');
  t.equal(Object.getPrototypeOf(m), Object.prototype);
  t.same(ownData(t, m, '__proto__'), { polluted: 1 });
  t.same(Object.keys(m as object), ['__proto__', 'x', 'true'], 'y is true in YAML 1.1');
  t.equal(ownData(t, ownData(t, merged.value, 'p'), '__proto__'), 'own', "the map's own key wins over the merged one");
  // YAML 1.2 (the default): << is an ordinary key.
  const plain = read('b: &b { x: 1 }\nm: { <<: *b, y: 2 }\n');
  t.same(plain.value, { b: { x: 1 }, m: { '<<': { x: 1 }, y: 2 } });
  // An alias of a map with such a key.
  const alias = read('a: &x { __proto__: { polluted: 1 } }\nb: *x\n');
  t.same(ownData(t, ownData(t, alias.value, 'b'), '__proto__'), { polluted: 1 });
  t.equal(({} as { polluted?: unknown }).polluted, undefined, 'Object.prototype untouched');
});

t.test('a merge source that is not a map is an error, not a crash', async (t) => {
  const { value, lines } = read('%YAML 1.1\n---\nm: { <<: 1 }\n');
  t.equal(value, undefined);
  t.same(lines, ['1:1: YAML error: Merge sources must be maps or map aliases']);
});

t.test('aliases expand, but an alias bomb is a clear error', async (t) => {
  t.same(read('a: &x [1, 2]\nb: [*x, *x, *x]\n').value, { a: [1, 2], b: [[1, 2], [1, 2], [1, 2]] });
  const layers = ['a: &a [x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 8; i++) layers.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
  const { value, lines } = read(`${layers.join('\n')}\n`);
  t.equal(value, undefined);
  t.same(lines, ['1:1: YAML error: Excessive alias count indicates a resource exhaustion attack']);
  t.same(read('a: *nope\n').lines.length, 1, 'an alias to no anchor is one error');
});

t.test('collections nested deeper than the stack allows are a positioned error, not a crash', async (t) => {
  // yaml composes recursively and reports the overflow where it happened; where that is depends
  // on the stack (~800 flow collections deep in a fresh node), so only the line is asserted.
  const flow = read(`a: ${'['.repeat(3000)}${']'.repeat(3000)}\n`);
  t.equal(flow.value, undefined);
  t.match(flow.lines[0], /^1:\d+: YAML syntax error: /);
  const block = read(`${Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}-`).join('\n')} 1\n`);
  t.equal(block.value, undefined);
  t.match(block.lines[0], /^\d+:\d+: YAML syntax error: /);
});

t.test('YAML warnings are returned positioned, the value kept', async (t) => {
  const diags = new Diagnostics();
  const { parsed, warnings } = parseYaml('/x/c.yaml', 'c.yaml', 'a: 1\nb: !foo bar\n', diags);
  t.equal(diags.count, 0);
  t.same(parsed.value, { a: 1, b: 'bar' });
  t.match(warnings, [/^c\.yaml:2:4: warning: .*foo/]);
});

t.test('process.env is left alone by a parse', async (t) => {
  const env = process.env;
  parseYaml('/x/c.yaml', 'c.yaml', 'a: 1\n', new Diagnostics());
  parseYaml('/x/c.yaml', 'c.yaml', 'a: [\n', new Diagnostics());
  t.equal(process.env, env);
});
