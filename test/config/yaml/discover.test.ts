import t from 'tap';
import * as path from 'node:path';
import { SEARCH_PLACES, discoverConfig, loadConfig } from '../../../src/config/index.js';
import { ImagectlError } from '../../../src/util/errors.js';

t.test('each search place is found in the current folder', async (t) => {
  t.same(SEARCH_PLACES, [
    'imagectl.yaml',
    'imagectl.yml',
    '.imagectlrc',
    '.imagectlrc.yaml',
    '.imagectlrc.yml',
    'imagectl.config.yaml',
    'imagectl.config.yml',
  ]);
  for (const name of SEARCH_PLACES) {
    const cwd = t.testdir({ [name]: 'version: 1\nimages: {}\n' });
    t.equal(await discoverConfig({ cwd }), path.join(cwd, name), name);
    const c = await loadConfig({ cwd });
    t.equal(path.basename(c.file), name, `${name} loads`);
  }
});

t.test('the first search place wins when several exist', async (t) => {
  const cwd = t.testdir({ '.imagectlrc': 'version: 1\n', 'imagectl.yml': 'version: 1\n', 'imagectl.config.yaml': 'version: 1\n' });
  t.equal(await discoverConfig({ cwd }), path.join(cwd, 'imagectl.yml'));
});

t.test('an empty config file is found, not skipped', async (t) => {
  const cwd = t.testdir({ 'imagectl.yaml': '', '.imagectlrc.yml': 'version: 1\n' });
  t.equal(await discoverConfig({ cwd }), path.join(cwd, 'imagectl.yaml'));
});

t.test('only the current folder is searched, not its parents', async (t) => {
  const root = t.testdir({ 'imagectl.yaml': 'version: 1\n', sub: {} });
  const err = await discoverConfig({ cwd: path.join(root, 'sub') }).catch((e: unknown) => e);
  t.type(err, ImagectlError);
  t.equal((err as ImagectlError).code, 'CONFIG_NOT_FOUND');
  t.match((err as ImagectlError).message, /no imagectl config file in .*sub \(looked for imagectl\.yaml, imagectl\.yml, \.imagectlrc, .*imagectl\.config\.yml\)/);
});

t.test('-c FILE is used as given, relative to cwd, whatever its name', async (t) => {
  const cwd = t.testdir({ 'imagectl.yaml': 'version: 2\n', conf: { 'prod.yaml': 'version: 1\nimages: {}\n' } });
  const c = await loadConfig({ cwd, configFile: 'conf/prod.yaml' });
  t.equal(c.file, path.join(cwd, 'conf/prod.yaml'));
  t.equal(c.dir, path.join(cwd, 'conf'));
  t.equal(c.state.path, path.join(cwd, 'conf/.imagectl/state.json'), 'state is relative to the config folder');
});

t.test('-c FILE that does not exist, or is a folder', async (t) => {
  const cwd = t.testdir({ dir: {} });
  const missing = await loadConfig({ cwd, configFile: 'nope.yaml' }).catch((e: unknown) => e);
  t.type(missing, ImagectlError);
  t.equal((missing as ImagectlError).message, 'config file nope.yaml does not exist');
  const folder = await loadConfig({ cwd, configFile: 'dir' }).catch((e: unknown) => e);
  t.equal((folder as ImagectlError).message, 'config file dir is not a file');
});

t.test('diagnostics name a file outside cwd by its absolute path', async (t) => {
  const root = t.testdir({ conf: { 'x.yaml': 'version: 3\n' }, work: {} });
  const err = await loadConfig({ cwd: path.join(root, 'work'), configFile: '../conf/x.yaml' }).catch((e: unknown) => e);
  t.equal((err as ImagectlError).diagnostics[0]?.file, path.join(root, 'conf/x.yaml'));
});
