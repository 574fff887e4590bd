import { createHash } from 'node:crypto';
import t from 'tap';
import { canonicalJson } from '../../src/util/json.js';
import { load } from '../fixtures/config/helpers.js';

const A = `version: 1
state: { path: .imagectl/state.json }
providers:
  prod: { driver: nutanix, endpoint: 'https://pc:9440', password: { env: PW } }
images:
  x: { provider: prod, name: x, type: ISO_IMAGE, source: { url: 'https://x/x.iso' } }
  y: { provider: prod, name: y, type: ISO_IMAGE, source: { url: 'https://x/y.iso' } }
`;

// Same content: keys in another order, the default state path implied, y moved to an included file.
const B_MAIN = `images:
  x: { source: { url: 'https://x/x.iso' }, type: ISO_IMAGE, name: x, provider: prod }
include: [more.yaml]
providers:
  prod: { password: { env: PW }, endpoint: 'https://pc:9440', driver: nutanix }
version: 1
`;
const B_MORE = `images:\n  y: { name: y, provider: prod, source: { url: 'https://x/y.iso' }, type: ISO_IMAGE }\n`;

t.test('the digest is stable under key order and includes', async (t) => {
  const a = await load(t, { 'imagectl.yaml': A });
  const b = await load(t, { 'imagectl.yaml': B_MAIN, 'more.yaml': B_MORE });
  t.match(a.digest, /^[0-9a-f]{64}$/);
  t.equal(a.digest, b.digest);
});

t.test('the digest changes with any field, and with the state path', async (t) => {
  const base = (await load(t, { 'imagectl.yaml': A })).digest;
  const changedField = (await load(t, { 'imagectl.yaml': A.replace('name: y', 'name: y2') })).digest;
  const changedSecretRef = (await load(t, { 'imagectl.yaml': A.replace('env: PW', 'env: PW2') })).digest;
  const changedState = (await load(t, { 'imagectl.yaml': A.replace('.imagectl/state.json', 'other.json') })).digest;
  t.equal(new Set([base, changedField, changedSecretRef, changedState]).size, 4);
});

t.test('the digest is sha256 of canonicalJson({ providers, images, state }) as documented', async (t) => {
  const c = await load(t, {
    'imagectl.yaml': `${A}  z:\n    provider: prod\n    name: z\n    type: DISK_IMAGE\n    source: { ext_id: { ref: x.ext_id } }\n    depends_on: [y]\n    cluster_location_ext_ids: [{ lookup: cluster, name: c1 }]\n    lifecycle: { prevent_destroy: true, ignore_changes: [name, source.url] }\n`,
  });
  const providers = Object.fromEntries(Object.entries(c.providers).map(([n, p]) => [n, { driver: p.driver, simulator: p.simulator, settings: p.settings }]));
  const images = Object.fromEntries(
    Object.entries(c.images).map(([a, i]) => [a, { provider: i.provider, fields: i.fields, depends_on: i.depends_on, lifecycle: i.lifecycle }]),
  );
  const text = canonicalJson({ providers, images, state: '.imagectl/state.json' });
  t.equal(c.digest, createHash('sha256').update(text).digest('hex'));
});
