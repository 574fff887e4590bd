// A plugin that crashes, hangs or writes garbage: each gives a DriverError naming the plugin and
// its stderr tail, never definitive for a call that was sent (the applier keeps its intent), and
// the plugin is stopped so later calls fail at once instead of waiting.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { DriverError, type DriverSession } from '../../../src/drivers/contract.js';
import { externalDriver, type PluginSpec } from '../../../src/drivers/external/index.js';
import { ctx, env, fakePlugin, fakeSchema, provider } from './support.js';

async function session(t: Test, spec: PluginSpec): Promise<DriverSession> {
  const s = await externalDriver(spec, fakeSchema).connect(provider(), env);
  t.teardown(() => s.close());
  return s;
}

async function failure(p: Promise<unknown>): Promise<DriverError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  if (!(e instanceof DriverError)) throw new Error(`expected a DriverError, got ${String(e)}`);
  return e;
}

t.test('a plugin that crashes during create: not definitive, named, with its stderr tail', async (t) => {
  const s = await session(t, fakePlugin(t.testdir(), `on.create = () => { process.stderr.write('downloading...\\nfatal: disk on fire\\n'); process.exit(3); };`));
  const e = await failure(s.create({ fields: { name: 'a' } }, ctx()));
  t.equal(e.kind, 'failed');
  t.equal(e.definitive, false, 'the create may have happened: the intent stays for recovery');
  t.match(e.message, /^plugin 'fake' \(node \.\/fake\.mjs\) exited with code 3 while `create` was running/);
  t.match(e.message, /last lines of its stderr:\n    \| downloading\.\.\.\n    \| fatal: disk on fire/);
  t.notMatch(e.message, /\n\s+at /, 'no stack trace of ours');
  const next = await failure(s.delete('fake-1', ctx('key-2')));
  t.equal(next.definitive, true, 'a call never sent to a dead plugin certainly did nothing');
  t.match(next.message, /exited with code 3; `delete` was not sent/);
});

t.test('a plugin that hangs: the call times out, the plugin is stopped, nothing waits again', async (t) => {
  const s = await session(t, fakePlugin(t.testdir(), `on.update = () => { process.stderr.write('waiting for a lock\\n'); return undefined; };`, { timeout_seconds: 0.3 }));
  const e = await failure(s.update({ id: 'fake-1', fields: { name: 'a' }, changed: ['name'] }, ctx()));
  t.equal(e.kind, 'timeout');
  t.equal(e.definitive, false);
  t.match(e.message, /plugin 'fake' \(node \.\/fake\.mjs\) did not answer `update` within 0\.3 s and was stopped/);
  t.match(e.message, /\| waiting for a lock/);
  const r = await s.read('fake-1');
  t.same(r.status === 'error' && r.kind, 'failed', 'later reads are errors (not_checked), never not_found');
});

t.test('progress keeps a slow call alive past its timeout; task ids and progress reach the applier', async (t) => {
  const s = await session(t, fakePlugin(t.testdir(), `
    on.create = async (p, id) => {
      send({ id, task: 'task-42' });
      for (let i = 1; i <= 4; i++) { await new Promise((r) => setTimeout(r, 150)); send({ id, progress: { message: 'step ' + i, percent: i * 25 } }); }
      return { image: image(p.fields.name) };
    };`, { timeout_seconds: 0.4 }));
  const c = ctx();
  const image = await s.create({ fields: { name: 'slow' } }, c);
  t.equal(image.id, 'fake-1');
  t.same(c.tasks, ['task-42']);
  t.same(c.progress.map((p) => p.percent), [25, 50, 75, 100]);
  t.equal(c.progress[0]?.address, 'img');
});

t.test('a line that is not JSON breaks the protocol: named, quoted, plugin stopped', async (t) => {
  const s = await session(t, fakePlugin(t.testdir(), `on.list = () => { console.log('Listing images now'); };`));
  const e = await failure(s.list());
  t.equal(e.kind, 'failed');
  t.match(e.message, /plugin 'fake' \(node \.\/fake\.mjs\) broke the protocol: it wrote a line that is not JSON on stdout \("Listing images now"; logs belong on stderr\) while `list` was running/);
});

t.test('an answer to a request nobody asked breaks the protocol', async (t) => {
  const s = await session(t, fakePlugin(t.testdir(), `on.create = (p, id) => { send({ id: id + 100, result: {} }); };`));
  const e = await failure(s.create({ fields: { name: 'a' } }, ctx()));
  t.equal(e.definitive, false);
  t.match(e.message, /broke the protocol: it answered request \d+, which is not waiting for an answer while `create` was running/);
});

t.test('a result of the wrong shape fails that call only', async (t) => {
  const s = await session(t, fakePlugin(t.testdir(), `on.create = () => ({ image: { id: 7, name: 'a', attributes: {} } });`));
  const e = await failure(s.create({ fields: { name: 'a' } }, ctx()));
  t.equal(e.definitive, false, 'it may have created something');
  t.match(e.message, /answered `create` with a result that breaks the protocol: \/image\/id must be string/);
  t.same((await s.list()).images, [], 'the plugin is still usable');
});

t.test('errors reported by the plugin keep their kind and definitive flag; reads become error results', async (t) => {
  const s = await session(t, fakePlugin(t.testdir(), `
    on.create = () => { throw fail('conflict', 'name taken', true); };
    on.read = () => { throw fail('throttled', 'slow down'); };`));
  const e = await failure(s.create({ fields: { name: 'a' } }, ctx()));
  t.same([e.kind, e.definitive], ['conflict', true]);
  t.same(await s.read('x'), { status: 'error', kind: 'throttled', message: "plugin 'fake' (node ./fake.mjs) failed `read`: slow down" });
  t.same(await s.lookup('thing', { name: 'x' }), [{ id: 'x-1', name: 'x' }]);
  t.same(await s.recover({ action: 'create', address: 'img', idempotency_key: 'k' }), { status: 'not_created' });
});

t.test('a program that cannot be started', async (t) => {
  const dir = t.testdir();
  const spec = { ...fakePlugin(dir), command: [`${dir}/missing-driver`], label: './missing-driver' };
  const e = await failure(externalDriver(spec, fakeSchema).connect(provider(), env));
  t.match(e.message, /^plugin \(\.\/missing-driver\) could not be started: .*ENOENT/);
});

t.test('close stops a plugin that ignores shutdown', async (t) => {
  const dir = t.testdir();
  // The plugin writes its pid and ignores both the shutdown call and SIGTERM: only a kill ends it.
  const s = await session(t, fakePlugin(dir, `on.shutdown = () => ({}); process.on('SIGTERM', () => undefined);
    (await import('node:fs')).writeFileSync('pid', String(process.pid));`));
  await s.close();
  const pid = Number(readFileSync(join(dir, 'pid'), 'utf8'));
  t.ok(pid > 0, 'the plugin ran');
  t.equal(alive(pid), false, 'the plugin process is gone once close resolves');
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
