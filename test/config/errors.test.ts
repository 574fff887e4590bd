// Every problem is reported at once, each at its exact FILE:LINE:COL, in human words.
import t from 'tap';
import { driverNames } from '../../src/drivers/registry.js';
import { ConfigError } from '../../src/util/errors.js';
import { SHA256, UUID, diagnostics, lines, load, withImages } from '../fixtures/config/helpers.js';

// The list grows as drivers are registered.
const DRIVERS = driverNames().join(', ');

t.test('several problems in one file are all reported, sorted, with exact positions', async (t) => {
  const ds = await diagnostics(t, {
    'imagectl.yaml': `version: 2
providers:
  prod:
    driver: nutanix
    endpoint: ftp://pc
    password: { env: PW }
  other:
    driver: nutanx
images:
  ubuntu:
    provider: prod
    nmae: ubuntu
    type: DISK
    source: { url: https://x/a.iso }
  debian:
    provider: prd
    name: debian
    type: ISO_IMAGE
    source: { url: https://x/b.iso }
`,
  });
  t.same(lines(ds), [
    'imagectl.yaml:1:10: version: must be 1',
    "imagectl.yaml:5:15: providers.prod.endpoint: must match the pattern ^https?://",
    `imagectl.yaml:8:13: providers.other.driver: must be one of ${DRIVERS} (did you mean 'nutanix'?)`,
    "imagectl.yaml:10:3: images.ubuntu: missing required field 'name'",
    "imagectl.yaml:12:5: images.ubuntu.nmae: unknown field 'nmae' (did you mean 'name'?)",
    "imagectl.yaml:13:11: images.ubuntu.type: must be one of DISK_IMAGE, ISO_IMAGE (did you mean 'DISK_IMAGE'?)",
    "imagectl.yaml:16:15: images.debian.provider: provider 'prd' is not declared (did you mean 'prod'?)",
  ]);
  for (const d of ds) t.equal(d.file, 'imagectl.yaml');
});

t.test('the thrown error is a ConfigError whose message lists every diagnostic', async (t) => {
  const err = await load(t, { 'imagectl.yaml': 'version: 1\nproviders: []\nimages: 3\n' }).catch((e: unknown) => e);
  t.type(err, ConfigError);
  const e = err as ConfigError;
  t.equal(e.code, 'CONFIG_INVALID');
  t.equal(e.origin, 'user');
  t.match(e.message, /^2 configuration problems:\nimagectl\.yaml:2:12: providers: must be a mapping\nimagectl\.yaml:3:9: images: must be a mapping$/);
});

t.test('YAML syntax errors are positioned, all of them', async (t) => {
  const ds = await diagnostics(t, { 'imagectl.yaml': 'version: 1\nimages:\n  a: [1, 2\n  b: "x\n' });
  t.same(lines(ds), [
    'imagectl.yaml:4:3: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
    'imagectl.yaml:5:1: YAML syntax error: Missing closing "quote',
  ]);
});

t.test('a tab-indented line is a positioned syntax error', async (t) => {
  const ds = await diagnostics(t, { 'imagectl.yaml': 'version: 1\nstate:\n\tpath: x\n' });
  t.equal(ds[0]?.line, 3);
  t.equal(ds[0]?.col, 1);
});

t.test('a duplicate key is an error at the second key', async (t) => {
  const ds = await diagnostics(t, {
    'imagectl.yaml': withImages(`  a:
    provider: prod
    name: one
    name: two
    type: ISO_IMAGE
    source: { url: https://x/a.iso }
`),
  });
  t.same(lines(ds), ["imagectl.yaml:11:5: duplicate key 'name' (keys must be unique)"]);
});

t.test('an empty file says so', async (t) => {
  const ds = await diagnostics(t, { 'imagectl.yaml': '# nothing yet\n' });
  t.equal(ds.length, 1);
  t.match(ds[0], { file: 'imagectl.yaml', line: 1, col: 1, message: /empty/ });
});

t.test('a missing version is reported at the top of the file', async (t) => {
  const ds = await diagnostics(t, { 'imagectl.yaml': 'images: {}\n' });
  t.same(lines(ds), ["imagectl.yaml:1:1: (top level): missing required field 'version'"]);
});

t.test('unknown top-level key with a suggestion', async (t) => {
  const ds = await diagnostics(t, { 'imagectl.yaml': 'version: 1\nprovider: {}\n' });
  t.same(lines(ds), ["imagectl.yaml:2:1: provider: unknown field 'provider' (did you mean 'providers'?)"]);
});

t.test('an invalid address is reported on the key', async (t) => {
  const ds = await diagnostics(t, { 'imagectl.yaml': "version: 1\nimages:\n  'a.b': { provider: p }\n" });
  t.match(lines(ds), ["imagectl.yaml:3:3: images.a.b: invalid name 'a.b': use letters, digits, '_' and '-', starting with a letter or digit"]);
});

t.test('driver check: checksum length positioned at hex_digest', async (t) => {
  const ds = await diagnostics(t, {
    'imagectl.yaml': withImages(`  a:
    provider: prod
    name: a
    type: ISO_IMAGE
    source: { url: https://x/a.iso }
    checksum:
      object_type: sha1
      hex_digest: ${SHA256}
`),
  });
  t.same(lines(ds), ['imagectl.yaml:15:19: images.a: checksum.hex_digest must be 40 hex digits for sha1 (got 64)']);
});

t.test('driver check: a source with both url and ext_id', async (t) => {
  const ds = await diagnostics(t, {
    'imagectl.yaml': withImages(`  a:
    provider: prod
    name: a
    type: DISK_IMAGE
    source:
      url: https://x/a.img
      ext_id: ${UUID}
`),
  });
  t.same(lines(ds), ['imagectl.yaml:13:7: images.a: source must set exactly one of url (a download) or ext_id (a VM disk)']);
});

t.test('anyOf noise is pruned: a scalar where uuid-or-ref is allowed gets one message', async (t) => {
  const ds = await diagnostics(t, {
    'imagectl.yaml': withImages(`  a:
    provider: prod
    name: a
    type: DISK_IMAGE
    source: { ext_id: not-a-uuid }
    category_ext_ids: [{ ref: nope }, 7]
`),
  });
  t.same(lines(ds), [
    'imagectl.yaml:12:23: images.a.source.ext_id: must match the pattern ^[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$',
    'imagectl.yaml:13:31: images.a.category_ext_ids[0].ref: must match the pattern ^[A-Za-z0-9][A-Za-z0-9_-]*\\.[a-z_][a-z0-9_]*$',
    'imagectl.yaml:13:39: images.a.category_ext_ids[1]: must be a string or a {ref: ADDRESS.ATTRIBUTE}',
  ]);
});

t.test('an image whose provider has an unknown driver still gets its common keys checked', async (t) => {
  const ds = await diagnostics(t, {
    'imagectl.yaml': 'version: 1\nproviders:\n  p: { driver: nope }\nimages:\n  a: { provider: p, depends_on: x }\n',
  });
  t.same(lines(ds), [
    `imagectl.yaml:3:16: providers.p.driver: must be one of ${DRIVERS}`,
    'imagectl.yaml:5:33: images.a.depends_on: must be a list',
  ]);
});

t.test('duplicate keys are found at any depth, in flow maps and in list items, once per repeat', async (t) => {
  const ds = await diagnostics(t, {
    'imagectl.yaml': withImages(`  a:
    provider: prod
    name: one
    type: ISO_IMAGE
    source: { url: https://x/a.iso, url: https://x/b.iso }
    category_ext_ids: [{ k: 1, k: 2 }]
  a:
    provider: prod
`),
  });
  t.same(lines(ds), [
    "imagectl.yaml:12:37: duplicate key 'url' (keys must be unique)",
    "imagectl.yaml:13:32: duplicate key 'k' (keys must be unique)",
    "imagectl.yaml:14:3: duplicate key 'a' (keys must be unique)",
  ]);
});

t.test('__proto__ keys anywhere are keys the config is checked for, never a prototype', async (t) => {
  // yaml's toJS defines such keys as own properties: the schema sees and names each one.
  const ds = await diagnostics(t, {
    'imagectl.yaml': `version: 1
providers:
  lab: { driver: nutanix, simulator: true, __proto__: { polluted: 1 } }
images:
  __proto__:
    provider: lab
    name: x
    type: ISO_IMAGE
    source: { url: https://x/a.iso }
  constructor:
    provider: lab
    name: y
    type: ISO_IMAGE
    source: { url: https://x/a.iso, __proto__: { polluted: 2 } }
    __proto__: { polluted: 3 }
`,
  });
  t.same(lines(ds), [
    "imagectl.yaml:3:44: providers.lab.__proto__: unknown field '__proto__'",
    "imagectl.yaml:5:3: images.__proto__: invalid name '__proto__': use letters, digits, '_' and '-', starting with a letter or digit",
    "imagectl.yaml:10:3: images.constructor: invalid name 'constructor': reserved (every JavaScript object has a member of that name), choose another",
    "imagectl.yaml:14:37: images.constructor.source.__proto__: unknown field '__proto__'",
    "imagectl.yaml:15:5: images.constructor.__proto__: unknown field '__proto__'",
  ]);
  t.equal(({} as { polluted?: unknown }).polluted, undefined, 'Object.prototype untouched');
});

t.test('names every object already has are refused as addresses and provider names', async (t) => {
  // An image called `constructor` read Object's constructor back as its state entry and crashed
  // the planner ("internal error: Cannot read properties of undefined").
  const ds = await diagnostics(t, {
    'imagectl.yaml': `version: 1
providers:
  valueOf:
    driver: nutanix
    endpoint: https://pc.example.com:9440
    password: { env: PW }
images:
  constructor:
    provider: valueOf
    name: a
    type: ISO_IMAGE
    source: { url: https://x/a.iso }
  toString:
    provider: valueOf
    name: b
    type: ISO_IMAGE
    source: { url: https://x/b.iso }
`,
  });
  const reserved = (name: string): string => `invalid name '${name}': reserved (every JavaScript object has a member of that name), choose another`;
  t.same(lines(ds), [
    `imagectl.yaml:3:3: providers.valueOf: ${reserved('valueOf')}`,
    `imagectl.yaml:8:3: images.constructor: ${reserved('constructor')}`,
    `imagectl.yaml:13:3: images.toString: ${reserved('toString')}`,
  ]);
});
