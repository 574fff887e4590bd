import t from 'tap';
import * as path from 'node:path';
import { resolveSecrets } from '../../src/config/rules/secrets.js';
import { VALID, load } from '../fixtures/config/helpers.js';

t.test('a valid config loads with its positions', async (t) => {
  const c = await load(t, { 'imagectl.yaml': VALID });
  t.equal(path.basename(c.file), 'imagectl.yaml');
  t.ok(path.isAbsolute(c.file));
  t.equal(c.dir, path.dirname(c.file));
  t.equal(c.version, 1);
  t.equal(c.state.path, path.join(c.dir, 'state/imagectl.json'));
  t.same(Object.keys(c.providers), ['prod']);
  const prod = c.providers['prod'];
  t.match(prod, { name: 'prod', driver: 'nutanix', simulator: false, pos: { file: 'imagectl.yaml', line: 4, col: 3 } });
  t.same(prod?.settings, {
    endpoint: 'https://pc.example.com:9440',
    username: { env: 'NUTANIX_USERNAME' },
    password: { env: 'NUTANIX_PASSWORD' },
  });
  t.same(prod?.secrets, { username: { env: 'NUTANIX_USERNAME' }, password: { env: 'NUTANIX_PASSWORD' } });
  t.same(prod?.positions?.['password'], { file: 'imagectl.yaml', line: 8, col: 15 });

  t.same(Object.keys(c.images).sort(), ['disk', 'ubuntu-iso']);
  const iso = c.images['ubuntu-iso'];
  t.match(iso, { address: 'ubuntu-iso', provider: 'prod', driver: 'nutanix', pos: { file: 'imagectl.yaml', line: 10, col: 3 } });
  t.same(iso?.fields, { name: 'ubuntu-mini', type: 'ISO_IMAGE', description: 'Ubuntu mini', source: { url: 'http://archive.ubuntu.com/mini.iso' } });
  t.same(iso?.lifecycle, { prevent_destroy: true, ignore_changes: ['/description'] });
  t.same(iso?.positions['/type'], { file: 'imagectl.yaml', line: 13, col: 11 });
  t.same(iso?.positions['/source/url'], { file: 'imagectl.yaml', line: 15, col: 20 });
  t.same(iso?.depends_on, []);

  const disk = c.images['disk'];
  t.same(disk?.refs, [{ pointer: '/source/ext_id', target: 'ubuntu-iso', attribute: 'ext_id', pos: { file: 'imagectl.yaml', line: 21, col: 23 } }]);
  t.same(disk?.lifecycle, { prevent_destroy: false, ignore_changes: [] });
  t.match(c.digest, /^[0-9a-f]{64}$/);
  t.same(c.warnings, []);
  t.same(c.files, [c.file]);
});

t.test('defaults: state path, simulator, drift kept as written', async (t) => {
  const c = await load(t, {
    'imagectl.yaml': 'version: 1\nproviders:\n  sim: { driver: nutanix, simulator: true }\nimages: {}\ndrift: { unmanaged: [{ provider: sim, name_prefix: golden- }] }\n',
  });
  t.equal(c.state.path, path.join(c.dir, '.imagectl/state.json'));
  t.equal(c.providers['sim']?.simulator, true);
  t.same(c.providers['sim']?.settings, {});
  t.same(c.drift, { unmanaged: [{ provider: 'sim', name_prefix: 'golden-' }] });
  t.same(c.images, {});
});

t.test('a config with only version loads (no providers, no images)', async (t) => {
  const c = await load(t, { 'imagectl.yaml': 'version: 1\n' });
  t.same(c.providers, {});
  t.same(c.images, {});
});

t.test('YAML warnings are kept, positioned', async (t) => {
  const c = await load(t, { 'imagectl.yaml': 'version: 1\nstate: { path: !!foo state.json }\n' });
  t.equal(c.warnings.length, 1);
  t.match(c.warnings[0], /^imagectl\.yaml:2:\d+: warning: .*foo/);
});

t.test('positions are own enumerable properties, found when first read', async (t) => {
  const c = await load(t, { 'imagectl.yaml': VALID });
  const disk = c.images['disk'];
  t.same(Object.keys(disk ?? {}), ['address', 'provider', 'driver', 'fields', 'refs', 'lookups', 'secrets', 'depends_on', 'lifecycle', 'pos', 'positions']);
  t.same(Object.keys(disk?.refs[0] ?? {}), ['pointer', 'target', 'attribute', 'pos']);
  t.equal(disk?.pos, disk?.pos, 'found once, then kept');
  const copy = JSON.parse(JSON.stringify(disk)) as typeof disk;
  t.same(copy?.pos, { file: 'imagectl.yaml', line: 17, col: 3 });
  t.same(copy?.positions['/source/ext_id'], { file: 'imagectl.yaml', line: 21, col: 23 });
  t.same(copy?.refs[0]?.pos, { file: 'imagectl.yaml', line: 21, col: 23 });
  t.same({ ...disk }.pos, disk?.pos, 'spreads copy the value');
  t.same(Object.getOwnPropertySymbols(JSON.parse(JSON.stringify(disk))), []);
});

t.test('positions asked for after a load, and after secrets are resolved, are exact', async (t) => {
  const c = await load(t, { 'imagectl.yaml': VALID });
  const secrets = resolveSecrets(c, { NUTANIX_USERNAME: 'u', NUTANIX_PASSWORD: 'p' });
  t.equal(secrets.providers['prod']?.settings['password'], 'p');
  t.same(c.images['disk']?.pos, { file: 'imagectl.yaml', line: 17, col: 3 });
  t.same(c.providers['prod']?.positions?.['username'], { file: 'imagectl.yaml', line: 7, col: 15 });
});
