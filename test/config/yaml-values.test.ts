import t, { type Test } from 'tap';
import { LineCounter, parseDocument } from 'yaml';
import { Diagnostics } from '../../src/config/diagnostics.js';
import { parseYaml } from '../../src/config/yaml/parse.js';
import { duplicateKeys, NOT_PLAIN, plainValue } from '../../src/config/yaml/yaml-values.js';

const parse = (text: string) => parseDocument(text, { lineCounter: new LineCounter(), prettyErrors: false, uniqueKeys: false });

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

// Documents the fast walk must convert exactly as doc.toJS does, finding the keys duplicateKeys finds.
const plain: Record<string, string> = {
  'maps, lists and scalars': 'version: 1\nimages:\n  a: { provider: p, n: [1, 2.5, true, null, ~, "s", x] }\n  b:\n    - { k: v }\n    - []\n',
  'keys that are not names': '1: a\n"2": b\n~: c\ntrue: d\n.nan: e\n0x10: f\n? \n: g\n',
  'keys that Object.prototype has': '__proto__: { a: 1 }\ntoString: 2\nconstructor: [3]\nhasOwnProperty: 4\n',
  'duplicates in small and large maps': `a: 1\na: 2\nm: { x: 1, x: 2, .nan: 3, .nan: 4 }\nbig:\n${Array.from({ length: 12 }, (_, i) => `  k${i % 10}: ${i}\n`).join('')}`,
  'a scalar document': 'hello\n',
  'an empty document': '# nothing\n',
  'YAML 1.1 scalars': '%YAML 1.1\n---\na: yes\nb: 2001-12-14\nc: 0b101\n',
  'unknown tags': 'a: !foo bar\nb: !!str 3\nc: !thing { x: 1 }\n',
  'a pair in a flow list': 'l: [a: 1, b]\n',
  'anchors no alias uses': 'a: &x 1\n&k b: &m { c: [&s d] }\n',
};

for (const [name, text] of Object.entries(plain)) {
  t.test(`plain: ${name}`, async (t) => {
    const doc = parse(text);
    t.same(doc.errors, []);
    const duplicates: number[] = [];
    const value = plainValue(doc, duplicates);
    t.not(value, NOT_PLAIN);
    sameStructure(t, value, doc.toJS({ maxAliasCount: 100 }));
    t.same(duplicates, duplicateKeys(doc));
  });
}

const notPlain: Record<string, string> = {
  'an alias': 'a: &x { b: 1 }\nc: *x\n',
  'a merge key under YAML 1.1': '%YAML 1.1\n---\nbase: &b { x: 1 }\nm: { <<: *b, y: 2 }\n',
  'a plain << key': 'a: { <<: 1 }\n',
  'a collection as a key': '? [a, b]\n: 1\n',
  'a !!set under YAML 1.1': '%YAML 1.1\n---\ns: !!set { a, b }\n',
  'an !!omap under YAML 1.1': '%YAML 1.1\n---\no: !!omap [ a: 1, b: 2 ]\n',
  '!!pairs under YAML 1.1': '%YAML 1.1\n---\np: !!pairs [ a: 1, a: 2 ]\n',
};

for (const [name, text] of Object.entries(notPlain)) {
  t.test(`left to yaml: ${name}`, async (t) => {
    const doc = parse(text);
    t.same(doc.errors, []);
    t.equal(plainValue(doc, []), NOT_PLAIN);
  });
}

t.test('parseYaml: the same value, and one error per duplicate key, either way', async (t) => {
  for (const text of [...Object.values(plain), ...Object.values(notPlain)]) {
    const diags = new Diagnostics();
    const { parsed } = parseYaml('/x/c.yaml', 'c.yaml', text, diags);
    const doc = parse(text);
    t.equal(diags.count, duplicateKeys(doc).length, JSON.stringify(text));
    if (diags.count === 0) sameStructure(t, parsed.value, doc.toJS({ maxAliasCount: 100 }));
    else t.equal(parsed.value, undefined);
  }
});

t.test('process.env is the real one again after a parse', async (t) => {
  const env = process.env;
  parseYaml('/x/c.yaml', 'c.yaml', 'a: 1\n', new Diagnostics());
  parseYaml('/x/c.yaml', 'c.yaml', 'a: [\n', new Diagnostics());
  t.equal(process.env, env);
});
