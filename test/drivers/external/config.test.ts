// Configuration with plugin-served providers: the plugin is started for `describe` only (no
// configure, no list: `validate` talks to no cloud), and its described schemas check the
// provider block and the images exactly as a built-in driver's would, with positions.
import t from 'tap';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/index.js';
import { ConfigError } from '../../../src/util/errors.js';
import { LOCALDIR } from './contract-harness.js';
import { fakePlugin } from './support.js';

const config = (driver: string, rest = '', images = '') => `version: 1
providers:
  lab:
    driver: ${driver}
${rest}
  prod:
    driver: nutanix
    endpoint: https://pc.example.com:9440
    username: admin
    password: { env: NUTANIX_PASSWORD }
images:${images === '' ? ' {}' : `\n${images}`}`;

const LOCAL = `{ command: [node, ${JSON.stringify(LOCALDIR)}] }`;
const IMAGE = `  base:
    provider: lab
    name: base
    url: https://example.com/base.img
    checksum: ${'A'.repeat(64)}
`;

async function problems(cwd: string): Promise<string[]> {
  const e = await loadConfig({ cwd }).catch((x: unknown) => x);
  if (!(e instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(e)}`);
  return e.diagnostics.map((d) => `${d.line}:${d.col}: ${d.message}`);
}

t.test('a plugin provider loads with the driver name it described', async (t) => {
  const cwd = t.testdir({ 'imagectl.yaml': config(LOCAL, '    directory: ./images', IMAGE) });
  const c = await loadConfig({ cwd });
  t.equal(c.providers['lab']?.driver, 'localdir');
  t.same(c.providers['lab']?.settings, { directory: './images' });
  t.equal(c.providers['lab']?.plugin?.cwd, cwd, 'the plugin runs in the config folder');
  t.equal(c.providers['lab']?.plugin?.command[0], process.execPath, '`node` is the Node running imagectl');
  t.equal(c.images['base']?.driver, 'localdir');
  t.equal(c.providers['prod']?.plugin, undefined);
});

t.test('provider settings and images are checked against the described schemas, with positions', async (t) => {
  const images = `  base:
    provider: lab
    name: base
    labels: b
    url: ftp://example.com/base.img
    checksum: { env: SUM }
    lifecycle: { ignore_changes: [descripton] }
`;
  const cwd = t.testdir({ 'imagectl.yaml': config(LOCAL, '    directry: ./images\n    token: literal-token', images) });
  t.same(await problems(cwd), [
    "3:3: providers.lab: missing required field 'directory'",
    "5:5: providers.lab.directry: unknown field 'directry' (did you mean 'directory'?)",
    '6:12: providers.lab.token: literal secret: use {env: NAME} or {file: PATH}',
    '16:13: images.base.labels: must be a list',
    '17:10: images.base.url: must match the pattern ^(https?|file):',
    '18:15: images.base.checksum: must be a string',
    "19:35: images.base.lifecycle.ignore_changes[0]: 'descripton' is not a field of localdir images (did you mean 'description'?)",
  ]);
});

t.test('a plugin that cannot describe itself is a diagnostic at its driver key', async (t) => {
  const dir = t.testdir();
  fakePlugin(dir, `on.describe = () => { process.stderr.write('no schema today\\n'); process.exit(2); };`);
  writeFileSync(join(dir, 'imagectl.yaml'), config('{ command: [node, ./fake.mjs] }'));
  const [first, ...rest] = await problems(dir);
  t.match(first, /^4:5: providers\.lab\.driver: plugin 'fake' \(node \.\/fake\.mjs\) exited with code 2 while `describe` was running\n  last lines of its stderr:\n    \| no schema today$/);
  t.same(rest, []);
});

t.test('a plugin may not take a built-in name, nor have a simulator', async (t) => {
  const dir = t.testdir();
  fakePlugin(dir, `on.hello = () => ({ protocol: 1, name: 'nutanix' }); on.describe = () => ({ ...schema, driver: 'nutanix' });`);
  const cwd = join(dir, 'cfg');
  mkdirSync(cwd);
  writeFileSync(join(cwd, 'imagectl.yaml'), config('{ command: [node, ../fake.mjs] }', '    simulator: true'));
  t.same(await problems(cwd), [
    "4:5: providers.lab.driver: plugin (node ../fake.mjs) calls itself 'nutanix', the name of a built-in driver; a plugin needs a name of its own",
    '5:16: providers.lab.simulator: simulators exist only for the built-in drivers, not for plugins',
  ]);
});

t.test('loading asks the plugin for hello, describe and shutdown only: no cloud call', async (t) => {
  const dir = t.testdir();
  fakePlugin(dir, `
    import { appendFileSync } from 'node:fs';
    for (const m of Object.keys(on)) { const f = on[m]; on[m] = (p, id) => { appendFileSync('calls', m + '\\n'); return f(p, id); }; }`);
  writeFileSync(join(dir, 'imagectl.yaml'), config('{ command: [node, ./fake.mjs], env: { FAKE_MODE: quiet } }', '    token: { env: FAKE_TOKEN }'));
  await loadConfig({ cwd: dir });
  t.same(readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n'), ['hello', 'describe', 'shutdown']);
});
