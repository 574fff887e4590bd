import t from 'tap';
import { resolveSecrets } from '../../../src/config/index.js';
import { ImagectlError } from '../../../src/util/errors.js';
import { diagnostics, lines, load } from '../../fixtures/config/helpers.js';

const config = (password: string, imagePassword = '{ env: DL_PASSWORD }'): string => `version: 1
providers:
  prod:
    driver: nutanix
    endpoint: https://pc.example.com:9440
    username: { env: PC_USER }
    password: ${password}
images:
  a:
    provider: prod
    name: a
    type: ISO_IMAGE
    source:
      url: https://x/a.iso
      basic_auth: { username: me, password: ${imagePassword} }
`;

t.test('a literal secret is rejected without repeating the value', async (t) => {
  const ds = await diagnostics(t, { 'imagectl.yaml': config('hunter2-provider', 's3cr3t-image') });
  t.same(lines(ds), [
    'imagectl.yaml:7:15: providers.prod.password: literal secret: use {env: NAME} or {file: PATH}',
    'imagectl.yaml:15:45: images.a.source.basic_auth.password: literal secret: use {env: NAME} or {file: PATH}',
  ]);
  for (const d of ds) {
    t.notMatch(d.message, /hunter2|s3cr3t/);
  }
});

t.test('a literal number as a secret is rejected too', async (t) => {
  const ds = await diagnostics(t, { 'imagectl.yaml': config('123456') });
  t.same(lines(ds), ['imagectl.yaml:7:15: providers.prod.password: literal secret: use {env: NAME} or {file: PATH}']);
  t.notMatch(ds[0]?.message ?? '', /123456/);
});

t.test('secrets resolve from env and files; settings keep refs in the loaded config', async (t) => {
  const c = await load(t, { 'imagectl.yaml': config('{ file: secrets/pc.txt }'), secrets: { 'pc.txt': 'pc-pass\n' } });
  t.same(c.providers['prod']?.settings['password'], { file: 'secrets/pc.txt' });
  t.same(c.images['a']?.secrets, [
    { pointer: '/source/basic_auth/password', ref: { env: 'DL_PASSWORD' }, pos: { file: 'imagectl.yaml', line: 15, col: 45 } },
  ]);
  const r = resolveSecrets(c, { PC_USER: 'admin', DL_PASSWORD: 'dl-pass' });
  t.same(r.providers['prod'], {
    name: 'prod',
    driver: 'nutanix',
    settings: { endpoint: 'https://pc.example.com:9440', username: 'admin', password: 'pc-pass' },
  });
  t.same(r.imageSecrets, { a: { '/source/basic_auth/password': 'dl-pass' } });
});

t.test('a missing variable or file is named with where it is used, all at once', async (t) => {
  const c = await load(t, { 'imagectl.yaml': config('{ file: nope.txt }') });
  const err = (() => {
    try {
      resolveSecrets(c, { PC_USER: '' });
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  t.type(err, ImagectlError);
  const e = err as ImagectlError;
  t.equal(e.code, 'SECRET_UNRESOLVED');
  t.same(lines(e.diagnostics), [
    'imagectl.yaml:6:15: providers.prod.username: environment variable PC_USER is empty',
    'imagectl.yaml:7:15: providers.prod.password: cannot read secret file nope.txt: no such file',
    'imagectl.yaml:15:45: images.a.source.basic_auth.password: environment variable DL_PASSWORD is not set',
  ]);
  t.match(e.message, /^3 secrets could not be read:/);
});

t.test('{file} is relative to the config folder, not the working directory', async (t) => {
  const dir = t.testdir({ conf: { 'imagectl.yaml': config('{ file: pw }'), pw: 'from-file\r\n\n' } });
  const { loadConfig } = await import('../../../src/config/index.js');
  const c = await loadConfig({ cwd: dir, configFile: 'conf/imagectl.yaml' });
  const r = resolveSecrets(c, { PC_USER: 'u', DL_PASSWORD: 'p' });
  t.equal(r.providers['prod']?.settings['password'], 'from-file', 'trailing newlines trimmed');
});

t.test('a secret object with both env and file is rejected', async (t) => {
  const ds = await diagnostics(t, { 'imagectl.yaml': config('{ env: A, file: b }') });
  t.same(lines(ds), [
    "imagectl.yaml:7:15: providers.prod.password: literal secret: use {env: NAME} or {file: PATH}",
    "imagectl.yaml:7:25: providers.prod.password.file: unknown field 'file'",
  ]);
});
