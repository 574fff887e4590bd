// An external driver plugin beside a built-in driver, through the built CLI: the example plugin
// (examples/plugins/localdir) downloads from a loopback HTTP server while Nutanix images go to
// the simulator. plan → apply → no changes → drift (modified out of band) → update in place;
// and a plugin that dies after the cloud acted loses nothing: the next run adopts the image.
import t, { type Test } from 'tap';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { cli } from './support.js';

const LOCALDIR = resolve(import.meta.dirname, '../../examples/plugins/localdir/driver.mjs');
const CONTENT = 'qcow2 bytes '.repeat(4096);
const SUM = createHash('sha256').update(CONTENT).digest('hex');

async function contentServer(t: Test): Promise<string> {
  const server = createServer((req, res) => {
    if (req.url === '/base.qcow2') res.writeHead(200, { 'content-length': CONTENT.length }).end(CONTENT);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  const addr = server.address();
  return `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/base.qcow2`;
}

const yaml = (command: string, url: string, description: string) => `version: 1
providers:
  lab:
    driver:
      command: ${command}
    directory: ./images
  prod:
    driver: nutanix
    endpoint: { env: NUTANIX_ENDPOINT }
    username: { env: NUTANIX_USERNAME }
    password: { env: NUTANIX_PASSWORD }
images:
  base:
    provider: lab
    name: base
    description: ${description}
    labels: [ci, golden]
    url: ${url}
    checksum: ${SUM.toUpperCase()}
  iso:
    provider: prod
    name: ubuntu-mini
    type: ISO_IMAGE
    source: { url: http://archive.ubuntu.com/mini.iso }
`;

const sidecars = (dir: string): string[] => readdirSync(join(dir, 'images')).filter((n) => n.endsWith('.json'));

t.test('plan, apply, drift and an in-place update with a plugin beside Nutanix', async (t) => {
  const c = await cli(t.testdir());
  t.teardown(() => c.close());
  const url = await contentServer(t);
  c.write(yaml(`[node, ${JSON.stringify(LOCALDIR)}]`, url, 'first'));

  t.equal((await c.run(['validate'])).code, 0);
  const plan = await c.run(['plan', '--detailed-exitcode']);
  t.equal(plan.code, 2, plan.stderr);
  t.match(plan.stdout, /\+ image "base" \(lab\)/);
  t.match(plan.stdout, /\+ image "iso" \(prod\)/);
  t.match(plan.stdout, /Plan: 2 to add, 0 to change, 0 to destroy\./);

  const applied = await c.run(['apply', '--auto-approve']);
  t.equal(applied.code, 0, applied.stdout + applied.stderr);
  t.match(applied.stdout, /base: Creation complete after \d+s \[id=img-[0-9a-f]{16}\]/);
  const state = c.state();
  t.equal((state.resources['base'] as unknown as { driver: string }).driver, 'localdir', 'state records the described driver name');
  t.same(state.pending, {});
  t.equal(sidecars(c.dir).length, 1);

  const again = await c.run(['plan', '--detailed-exitcode']);
  t.equal(again.code, 0, again.stdout + again.stderr);
  t.equal((await c.run(['drift'])).code, 0);

  // Someone edits the image's metadata behind imagectl's back.
  const sidecar = join(c.dir, 'images', sidecars(c.dir)[0] as string);
  writeFileSync(sidecar, readFileSync(sidecar, 'utf8').replace('"first"', '"edited by hand"'));
  const drift = await c.run(['drift']);
  t.equal(drift.code, 3, drift.stdout + drift.stderr);
  t.match(drift.stdout, /~ base modified/);
  t.match(drift.stdout, /description: "first" -> "edited by hand"/);
  t.match(drift.stdout, /In sync: iso\./);

  c.write(yaml(`[node, ${JSON.stringify(LOCALDIR)}]`, url, 'second'));
  const update = await c.run(['plan']);
  t.match(update.stdout, /~ image "base" \(lab\)/);
  t.match(update.stdout, /Plan: 0 to add, 1 to change, 0 to destroy\./);
  const updated = await c.run(['apply', '--auto-approve']);
  t.equal(updated.code, 0, updated.stdout + updated.stderr);
  t.equal((await c.run(['drift'])).code, 0);
  t.equal(sidecars(c.dir).length, 1, 'updated in place, not replaced');
});

// Stands between imagectl and the real plugin and dies as soon as the plugin has finished a
// create, before the answer gets through: the cloud acted, imagectl never heard.
const DYING_PROXY = `
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
const child = spawn(process.execPath, [${JSON.stringify(LOCALDIR)}], { stdio: ['pipe', 'pipe', 'inherit'] });
const creates = new Set();
createInterface({ input: process.stdin }).on('line', (line) => {
  const m = JSON.parse(line);
  if (m.method === 'create') creates.add(m.id);
  child.stdin.write(line + '\\n');
});
createInterface({ input: child.stdout }).on('line', (line) => {
  const m = JSON.parse(line);
  if (creates.has(m.id) && 'result' in m) {
    process.stderr.write('proxy: lost the connection to the store\\n');
    child.kill();
    process.exit(70);
  }
  process.stdout.write(line + '\\n');
});
`;

t.test('a plugin that dies mid-create loses nothing: the intent is kept and the next run adopts', async (t) => {
  const c = await cli(t.testdir({ 'dying.mjs': DYING_PROXY }));
  t.teardown(() => c.close());
  const url = await contentServer(t);
  c.write(yaml('[node, ./dying.mjs]', url, 'first'));
  const crashed = await c.run(['apply', '--auto-approve']);
  t.equal(crashed.code, 1, crashed.stdout + crashed.stderr);
  t.match(crashed.stdout + crashed.stderr, /plugin 'localdir' \(node \.\/dying\.mjs\) exited with code 70 while `create` was running/);
  t.match(crashed.stdout + crashed.stderr, /\| proxy: lost the connection to the store/);
  t.notMatch(crashed.stderr, /internal error|\n\s+at .*\.js:\d+/, 'no stack trace of ours');
  t.equal(Object.keys(c.state().pending).length, 1, 'the create stays journaled');
  t.equal(sidecars(c.dir).length, 1, 'the store did make the image');

  c.write(yaml(`[node, ${JSON.stringify(LOCALDIR)}]`, url, 'first'));
  const recovered = await c.run(['apply', '--auto-approve']);
  t.equal(recovered.code, 0, recovered.stdout + recovered.stderr);
  t.match(recovered.stdout + recovered.stderr, /adopted img-[0-9a-f]{16}/);
  t.same(c.state().pending, {});
  t.equal(sidecars(c.dir).length, 1, 'no second image');
  t.equal((await c.run(['plan', '--detailed-exitcode'])).code, 0);
});

t.test('the example folder works as its README says', async (t) => {
  const dir = t.testdir();
  cpSync(dirname(LOCALDIR), dir, { recursive: true, filter: (src) => !/[\\/](images|\.imagectl)$/.test(src) });
  const c = await cli(dir);
  t.teardown(() => c.close());
  const applied = await c.run(['apply', '--auto-approve']);
  t.equal(applied.code, 0, applied.stdout + applied.stderr);
  t.match(applied.stdout, /Apply complete! Resources: 2 added/);
  const again = await c.run(['drift']);
  t.equal(again.code, 0, again.stdout + again.stderr);
});
