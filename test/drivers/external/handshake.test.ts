// The handshake: both sides state protocol 1; a mismatch either way is refused with both
// versions named, and the plugin is stopped rather than left running.
import t from 'tap';
import { DriverError } from '../../../src/drivers/contract.js';
import { describePlugin, externalDriver, startPlugin } from '../../../src/drivers/external/index.js';
import { env, fakePlugin, fakeSchema, provider } from './support.js';

t.test('a plugin that speaks another protocol version is refused, naming both versions', async (t) => {
  const spec = fakePlugin(t.testdir(), `on.hello = () => ({ protocol: 2, name: 'fake' });`);
  const e = await startPlugin(spec).catch((x: unknown) => x);
  t.ok(e instanceof DriverError);
  t.match((e as Error).message, /plugin \(node \.\/fake\.mjs\) speaks plugin protocol 2, but this imagectl speaks protocol 1/);
});

t.test('a plugin that refuses our version says so in its own words', async (t) => {
  const spec = fakePlugin(t.testdir(), `on.hello = (p) => { throw fail('invalid', 'fake speaks protocol 7, imagectl asked for ' + p.protocol, true); };`);
  const e = await describePlugin(spec).catch((x: unknown) => x);
  t.ok(e instanceof DriverError);
  t.match((e as Error).message, /plugin \(node \.\/fake\.mjs\) failed `hello`: fake speaks protocol 7, imagectl asked for 1/);
});

t.test('describe returns the schema, and is asked once per plugin per process', async (t) => {
  const dir = t.testdir();
  const spec = fakePlugin(dir, `
    import { appendFileSync } from 'node:fs';
    const d = on.describe; on.describe = () => { appendFileSync('described', 'x'); return d(); };`);
  const a = await describePlugin(spec);
  const b = await describePlugin(spec);
  t.same(a, fakeSchema);
  t.equal(a, b, 'the same answer, from memory');
  const { readFileSync } = await import('node:fs');
  t.equal(readFileSync(`${dir}/described`, 'utf8'), 'x', 'the plugin was asked once');
});

t.test('a describe that does not match the protocol is refused with the reason', async (t) => {
  const spec = fakePlugin(t.testdir(), `on.describe = () => ({ ...schema, fields: { '/name': { mode: 'sometimes' } } });`);
  const e = await describePlugin(spec).catch((x: unknown) => x);
  t.match((e as Error).message, /plugin 'fake' \(node \.\/fake\.mjs\) answered `describe` with a result that breaks the protocol: \/fields\/~1name\/mode must be equal to one of the allowed values/);
});

t.test('configure errors keep their kind: refused credentials are auth', async (t) => {
  const spec = fakePlugin(t.testdir(), `on.configure = () => { throw fail('auth', 'token refused', true); };`);
  const e = await externalDriver(spec, fakeSchema).connect(provider({ token: 'x' }), env).catch((x: unknown) => x);
  t.ok(e instanceof DriverError);
  t.equal((e as DriverError).kind, 'auth');
  t.match((e as Error).message, /plugin 'fake' \(node \.\/fake\.mjs\) failed `configure`: token refused/);
});
