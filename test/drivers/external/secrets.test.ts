// Secrets cross the pipe only towards the plugin: whatever it sends back for people to read
// (error messages, progress, its stderr tail) is scrubbed, and secret fields it echoes in an
// image are dropped before they could reach state.
import t from 'tap';
import { DriverError } from '../../../src/drivers/contract.js';
import { externalDriver } from '../../../src/drivers/external/index.js';
import { ctx, env, fakePlugin, fakeSchema, provider } from './support.js';

const TOKEN = 'prov-T0ken-8812';
const PASSWORD = 'img-Pa55word-3391';

t.test('secrets sent to the plugin never come back in messages, progress or attributes', async (t) => {
  const spec = fakePlugin(t.testdir(), `
    let token;
    on.configure = (p) => { token = p.settings.token; return {}; };
    on.create = (p, id) => {
      send({ id, progress: { message: 'using ' + p.fields.password } });
      return { image: { id: 'fake-1', name: p.fields.name, attributes: { name: p.fields.name, password: p.fields.password } } };
    };
    on.update = (p) => {
      process.stderr.write('debug: token=' + token + ' password=' + p.fields.password + '\\n');
      throw fail('auth', 'token ' + token + ' refused for ' + p.fields.password);
    };
    on.delete = () => { process.stderr.write('token=' + token + '\\n'); process.exit(1); };`);
  const s = await externalDriver(spec, fakeSchema).connect(provider({ token: TOKEN }), env);
  t.teardown(() => s.close());
  const c = ctx();
  const image = await s.create({ fields: { name: 'a', password: PASSWORD } }, c);
  t.same(image.attributes, { name: 'a' }, 'the echoed secret field is dropped');
  t.same(c.progress.map((p) => p.message), ['using (sensitive)']);

  const refused = await s.update({ id: 'fake-1', fields: { name: 'a', password: PASSWORD }, changed: ['password'] }, ctx('k2')).catch((e: unknown) => e);
  t.ok(refused instanceof DriverError);
  t.equal((refused as Error).message, "plugin 'fake' (node ./fake.mjs) failed `update`: token (sensitive) refused for (sensitive)");

  const crashed = await s.delete('fake-1', ctx('k3')).catch((e: unknown) => e);
  const text = (crashed as Error).message;
  t.match(text, /\| debug: token=\(sensitive\) password=\(sensitive\)/);
  t.match(text, /\| token=\(sensitive\)/);
  t.notMatch(text, new RegExp(`${TOKEN}|${PASSWORD}`));
});
