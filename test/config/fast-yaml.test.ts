// parseSimpleYaml is a fast path in front of the `yaml` package: for a strict subset of block YAML it
// gives the document's value and duplicate keys itself, and for anything else it returns undefined
// so that the caller falls back to yaml. Returning undefined is always safe; returning a result that
// differs from yaml's in any way (a type, a key's order, -0 for 0, one duplicate offset) silently
// changes what a config means. So every test here holds the fast path to one contract, with yaml as
// the oracle:
//
//   parseSimpleYaml(text) returns a result  ⇒  parseDocument(text, { uniqueKeys: false,
//   prettyErrors: false }) has no errors and no warnings, result.value is doc.toJS() exactly, and
//   result.duplicates is duplicateKeys(doc) exactly.
//
// Three parts: (1) a seeded fuzz of random documents, tame ones the fast path should take and broken
// or exotic ones it must hand back; (2) documents it must accept (the examples, a bench config, one
// small document per supported form); (3) documents it must hand back (one per construct outside the
// subset, and documents yaml rejects).
//
// The fuzz is deterministic. FAST_YAML_SEED=<n> and FAST_YAML_DOCS=<n> run another seed or more
// documents; a failure names the seed and the document's index, and prints the document and a
// shrunk version of it (JSON.stringify'd, so pasting it into a test reproduces it byte for byte).
//
// The contract check, the document generator and the hand-written documents are in
// test/fixtures/yaml-fuzz/ (contract, rng, scalars, documents, mutations, cases); this file holds the tests.
import { readdirSync, readFileSync } from 'node:fs';
import t, { type Test } from 'tap';
import { parseDocument } from 'yaml';
import { parseSimpleYaml } from '../../src/config/yaml/fast-yaml/index.js';
import { OPTIONAL, OUTSIDE, REJECTED_BY_YAML, SUPPORTED } from '../fixtures/yaml-fuzz/cases.js';
import { q, shrink, verdict } from '../fixtures/yaml-fuzz/contract.js';
import { generate } from '../fixtures/yaml-fuzz/mutations.js';
import { KEY_GROUPS, NASTY, ODD_KEYS } from '../fixtures/yaml-fuzz/scalars.js';

// ------------------------------------------------------------------------------------------------
// 1. The fuzz
// ------------------------------------------------------------------------------------------------

const SEED = Number(process.env.FAST_YAML_SEED ?? 0x5eed_f457);
const DOCS = Number(process.env.FAST_YAML_DOCS ?? 3000);
/** Violations reported one by one (each shrunk), in all and of each kind; the rest are only counted. */
const REPORTED = 15;
const REPORTED_PER_KIND = 5;

t.test(`fuzz: ${DOCS} random documents (seed ${SEED})`, async (t) => {
  const stats = { accepted: 0, clean: 0, cleanUnmutated: 0, acceptedUnmutated: 0, violations: 0 };
  const byKind = new Map<string, number>();
  let reported = 0;
  for (let i = 0; i < DOCS; i++) {
    const { text, mutations, wild } = generate(SEED, i);
    const v = verdict(text);
    if (v.clean) stats.clean++;
    if (v.accepted) stats.accepted++;
    if (mutations.length === 0 && v.clean) {
      stats.cleanUnmutated++;
      if (v.accepted) stats.acceptedUnmutated++;
    }
    if (v.violation === undefined) continue;
    stats.violations++;
    const ofKind = (byKind.get(v.violation.kind) ?? 0) + 1;
    byKind.set(v.violation.kind, ofKind);
    // A common bug must not hide a rarer one behind it: a few of each kind.
    if (ofKind > REPORTED_PER_KIND || ++reported > REPORTED) continue;
    const small = shrink(text, v.violation.kind);
    // The name says what broke; the diagnostics carry the documents, JSON.stringify'd so that
    // pasting one into a test reproduces it byte for byte (tabs, CRs, a BOM and all).
    t.fail(`contract violation (${v.violation.kind}) in document #${i} of seed ${SEED}`, {
      shrunk: q(small),
      shrunkWhy: (verdict(small).violation ?? v.violation).detail,
      document: q(text),
      documentWhy: v.violation.detail,
      mutations,
      wild,
    });
  }
  const pct = (a: number, b: number): string => `${a}/${b} (${b === 0 ? 0 : ((100 * a) / b).toFixed(1)}%)`;
  t.comment(`fast path accepted ${pct(stats.accepted, DOCS)} of all documents, ${pct(stats.accepted, stats.clean)} of those yaml parses cleanly`);
  t.comment(`of the documents no mutation touched that yaml parses cleanly, the fast path accepted ${pct(stats.acceptedUnmutated, stats.cleanUnmutated)}`);
  t.comment(`yaml parsed ${pct(stats.clean, DOCS)} without errors or warnings`);
  if (byKind.size > 0) t.comment(`violations by kind: ${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')}`);
  t.equal(stats.violations, 0, 'no document breaks the contract');
  // A fast path that accepts nothing keeps the contract vacuously: the fuzz must reach it.
  t.ok(stats.accepted > 0, 'the fuzz reaches the fast path');
});

// ------------------------------------------------------------------------------------------------
// 2. Documents the fast path must accept (and get exactly right)
// ------------------------------------------------------------------------------------------------

function mustAccept(t: Test, text: string, what: string): void {
  const v = verdict(text);
  t.ok(v.clean, `${what}: yaml parses it cleanly (the fixture is valid)`);
  t.ok(v.accepted, `${what}: the fast path accepts ${q(text.length > 300 ? `${text.slice(0, 300)}…` : text)}`);
  t.equal(v.violation?.detail, undefined, `${what}: same value and duplicates as yaml`);
}

// Constructs the subset is defined by (block YAML with one-line flow collections and quoted
// scalars). Files using one of these are checked against the contract but need not be accepted.
const OUTSIDE_SUBSET = /(?:^|: |- )\s*[|>][-+0-9]*\s*(?:#.*)?$|(?:^\s*(?:-\s+)*|:\s+|[[{,]\s*)[&*!]\S|^(?:---|\.\.\.|%)|^\s*\?\s|\t|\r/m;

t.test('accepts the example configs', async (t) => {
  const root = new URL('../../examples/', import.meta.url);
  const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => /\.ya?ml$/.test(f)).sort();
  t.ok(files.length >= 8, `found ${files.length} examples`);
  const skipped: string[] = [];
  for (const f of files) {
    const text = readFileSync(new URL(f, root), 'utf8');
    if (OUTSIDE_SUBSET.test(text)) {
      skipped.push(f);
      t.equal(verdict(text).violation?.detail, undefined, `${f}: the contract holds`);
    } else mustAccept(t, text, f);
  }
  t.comment(`examples using constructs outside the subset (block scalars, ...), only checked against the contract: ${skipped.join(', ') || 'none'}`);
  // Every imagectl.yaml-style config (not CI files) is in the subset: none may be skipped.
  t.same(skipped.filter((f) => f.endsWith('.yaml')), [], 'every .yaml example is in the subset');
});

/** bench/lib/scenario.mjs's config: the shape the fast path exists for (10,000 images of it). */
async function benchConfig(n: number): Promise<string> {
  // A plain .mjs without types: imported by a URL built at run time so that tsc does not resolve it.
  const url = new URL('../../bench/lib/scenario.mjs', import.meta.url).href;
  const { configYaml } = (await import(url)) as { configYaml: (sims: unknown, n: number) => string };
  const sims = {
    nutanix: { url: 'https://127.0.0.1:40123', username: 'admin' },
    numspot: { url: 'http://127.0.0.1:40124', spaceId: 'bbd4a1b0-8a8c-4d4b-9f36-2f8a3f1c6b07', clientId: 'client-1' },
  };
  return configYaml(sims, n);
}

t.test('accepts bench configs', async (t) => {
  const text = await benchConfig(2000);
  mustAccept(t, text, 'bench config, 2000 images');
  // The same with an image written twice: the result still comes from the fast path, and the
  // duplicate's offset is yaml's (a large map: duplicateKeys uses a Set there).
  const dup = text.replace('images:\n', 'images:\n  s-00007:\n    provider: ns\n    name: first\n');
  t.ok(verdict(dup).accepted, 'accepted with a duplicate image');
  t.equal(verdict(dup).violation?.detail, undefined, 'duplicate image: same value and duplicates as yaml');
  t.equal(parseSimpleYaml(dup)?.duplicates.length, 1, 'one duplicate');
  mustAccept(t, await benchConfig(1), 'bench config, 1 image');
});

/** Starts or characters that make a plain scalar exotic: in OPTIONAL's spirit, not required. */
const EXOTIC = /^(?:---|\.\.\.|[?:%])|[\u0080-\u00a0\u2028\u2029]/;

// Each plain scalar of the nasty list yaml takes as a plain scalar without complaint.
const NASTY_PLAIN_OK = NASTY.filter((s) => {
  if (/^[&*!|>@`%]|^-$/.test(s) || s === '<<') return false;
  const doc = parseDocument(`k: ${s}\n`, { uniqueKeys: false, prettyErrors: false });
  return doc.errors.length === 0 && doc.warnings.length === 0;
});

t.test('accepts each supported form', async (t) => {
  for (const [name, text] of Object.entries(SUPPORTED)) mustAccept(t, text, name);
});

t.test('accepts each plain scalar of the nasty list, as a value and in a sequence', async (t) => {
  const optional: string[] = [];
  for (const s of NASTY_PLAIN_OK) {
    if (EXOTIC.test(s)) {
      optional.push(s);
      continue;
    }
    mustAccept(t, `k: ${s}\n`, `value ${q(s)}`);
    mustAccept(t, `- ${s}\n`, `item ${q(s)}`);
    // In a flow sequence too, where yaml takes it there (`a]` ends the sequence, ` #` a comment).
    const inFlow = `- [${s === '' ? "''" : s}]\n`;
    const doc = parseDocument(inFlow, { uniqueKeys: false, prettyErrors: false });
    if (doc.errors.length === 0 && doc.warnings.length === 0) mustAccept(t, inFlow, `in flow ${q(s)}`);
  }
  // Exotic ones: the contract only.
  const taken = optional.filter((s) => {
    const v = verdict(`k: ${s}\n`);
    t.equal(v.violation?.detail, undefined, `value ${q(s)}: no contract violation`);
    return v.accepted;
  });
  t.comment(`exotic plain scalars taken: ${taken.map(q).join(' ') || 'none'}; left to yaml: ${optional.filter((s) => !taken.includes(s)).map(q).join(' ') || 'none'}`);
});

t.test('accepts each key of the key lists', async (t) => {
  for (const k of [...KEY_GROUPS.flat(), ...ODD_KEYS]) {
    const text = `${k}: v\n`;
    const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
    // Keys that are anchors, tags, escapes or exotic are for the fuzz, OPTIONAL and part 3.
    if (doc.errors.length > 0 || doc.warnings.length > 0 || /^[&!*?@`%<[{:]|\\/.test(k) || EXOTIC.test(k)) continue;
    mustAccept(t, text, `key ${q(k)}`);
    mustAccept(t, `a: 1\n${k}: 2\n${k}: 3\n`, `key ${q(k)} twice`);
    mustAccept(t, `- { ${k}: 1, ${k}: 2 }\n`, `key ${q(k)} twice in a flow map`);
  }
});

t.test('optional forms: taken exactly or left to yaml', async (t) => {
  const taken: string[] = [];
  for (const [name, text] of Object.entries(OPTIONAL)) {
    const v = verdict(text);
    t.ok(v.clean, `${name}: yaml parses it cleanly (the fixture is valid)`);
    t.equal(v.violation?.detail, undefined, `${name}: no contract violation`);
    if (v.accepted) taken.push(name);
  }
  t.comment(`optional forms taken: ${taken.join(', ') || 'none'}; left to yaml: ${Object.keys(OPTIONAL).filter((n) => !taken.includes(n)).join(', ') || 'none'}`);
});

// ------------------------------------------------------------------------------------------------
// 3. Documents the fast path must hand back to yaml
// ------------------------------------------------------------------------------------------------

t.test('hands back documents yaml rejects', async (t) => {
  for (const [name, text] of Object.entries(REJECTED_BY_YAML)) {
    const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
    t.ok(doc.errors.length + doc.warnings.length > 0, `${name}: yaml rejects it (the fixture is broken as meant)`);
    const v = verdict(text);
    t.notOk(v.accepted, `${name}: the fast path returns undefined for ${q(text.slice(0, 200))}`);
    t.equal(v.violation?.detail, undefined, `${name}: no contract violation`);
  }
});

t.test('hands back documents outside the subset', async (t) => {
  for (const [name, text] of Object.entries(OUTSIDE)) {
    const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
    t.equal(doc.errors.length + doc.warnings.length, 0, `${name}: yaml takes it (the fixture is valid)`);
    const v = verdict(text);
    // A case accepted with yaml's exact value is not wrong by the contract, but it is outside the
    // subset this parser claims: say so, so that the subset is widened on purpose or not at all.
    t.notOk(v.accepted, `${name}: the fast path returns undefined for ${q(text)}${v.accepted && v.violation === undefined ? ' (it accepted it with yaml\'s exact value)' : ''}`);
    t.equal(v.violation?.detail, undefined, `${name}: no contract violation`);
  }
});

t.test("every plain scalar that looks like a number, null or boolean resolves as yaml's core schema", async (t) => {
  // The reader writes YAML 1.2's core schema out itself (so a plain config loads without yaml):
  // each rule's edges, its near misses, and YAML 1.1 forms that are strings in 1.2.
  const signs = ['', '+', '-'];
  const bodies = ['0', '7', '007', '12', '1.', '1.5', '.5', '.', '1e3', '1E-2', '1e+4', '.5e1', '1.e2', '1e', 'e1', '1_000', '0o17', '0o8', '0o',
    '0x1F', '0xg', '0X1F', '0x', '0b101', '.inf', '.Inf', '.INF', '.iNf', '.nan', '.NaN', '.NAN', 'nan', 'inf', '9007199254740993', '1e400'];
  const words = ['~', 'null', 'Null', 'NULL', 'nULL', 'true', 'True', 'TRUE', 'tRUE', 'false', 'False', 'FALSE', 'yes', 'No', 'on', 'OFF', 'y', 'n', 't', 'f', 'nil'];
  for (const s of [...signs.flatMap((sign) => bodies.map((b) => sign + b)), ...words]) {
    const v = verdict(`k: ${s}\n`);
    t.equal(v.violation?.detail, undefined, `${q(s)} as a value`);
    t.ok(v.accepted || !v.clean, `${q(s)} is read by the fast path when yaml reads it cleanly`);
    t.equal(verdict(`${s}: v\n`).violation?.detail, undefined, `${q(s)} as a key`);
  }
});
