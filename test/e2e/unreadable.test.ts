// A provider that cannot be read makes plan, apply and apply --refresh-only fail (exit 1, naming
// the provider and the reason), never "No changes": refused passwords, 403, 429 after retries,
// 500, an HTML body, a failing list page, a hung plugin. Opting out is explicit and loud
// (--allow-unreadable=PROVIDER, or --refresh=false); drift keeps exit 4.
import t, { type Test } from 'tap';
import { execa } from 'execa';
import { fakePlugin } from '../drivers/external/support.js';
import { BIN, cli, config, type Cli } from './support.js';
import { faultProxy, type FaultAnswer, type FaultProxy } from './support-proxy.js';

const img = (addr: string, provider = 'prod') => provider === 'prod'
  ? `  ${addr}:\n    provider: prod\n    name: golden-${addr}\n    type: DISK_IMAGE\n    source: { url: http://images.example.com/${addr}.qcow2 }\n`
  : `  ${addr}:\n    provider: eu\n    name: golden-${addr}\n    source_image_id: ami-dc3f861d\n    source_region_name: cloudgouv-eu-west-1\n`;

async function run(c: Cli, args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  const r = await execa('node', [BIN, ...args], { cwd: c.dir, env: { ...c.env, ...env }, reject: false, extendEnv: true, stdin: 'ignore' });
  return { code: r.exitCode ?? 1, out: `${String(r.stdout)}\n${String(r.stderr)}` };
}

/** An applied image on prod, reached through a proxy the test can make fail. */
async function appliedThroughProxy(t: Test): Promise<{ c: Cli; proxy: FaultProxy; env: Record<string, string> }> {
  const c = await cli(t.testdir());
  t.teardown(() => c.close());
  const proxy = await faultProxy(t, c.sim.url);
  const env = { NUTANIX_ENDPOINT: proxy.url };
  c.write(config(img('a')));
  const applied = await run(c, ['apply', '--auto-approve'], env);
  t.equal(applied.code, 0, applied.out);
  return { c, proxy, env };
}

const listing = (method: string | undefined, url: string | undefined): boolean => method === 'GET' && /\/content\/images(\?|$)/.test(url ?? '');
const always = (a: FaultAnswer) => (req: { method?: string | undefined; url?: string | undefined }) => (listing(req.method, req.url) ? a : undefined);

async function refusedEverywhere(t: Test, c: Cli, env: Record<string, string>, reason: RegExp): Promise<void> {
  for (const args of [['plan', '--detailed-exitcode'], ['plan', '--format', 'json'], ['apply', '--auto-approve'], ['apply', '--refresh-only', '--auto-approve']]) {
    const r = await run(c, args, env);
    t.equal(r.code, 1, `${args.join(' ')} exits 1\n${r.out}`);
    t.match(r.out, /provider 'prod' could not be read/, `${args.join(' ')} names the provider`);
    t.match(r.out, reason, `${args.join(' ')} gives the reason`);
    t.notMatch(r.out, /No changes|matches the clouds/, `${args.join(' ')} never says all is well`);
  }
}

t.test('a refused password: plan, apply and refresh-only exit 1 naming the provider', async (t) => {
  const { c, env } = await appliedThroughProxy(t);
  await refusedEverywhere(t, c, { ...env, NUTANIX_PASSWORD: 'wrong-password-1' }, /401|auth|credential|password/i);
});

t.test('403, 429 after retries, 500, an HTML body: each is an error, never "No changes"', async (t) => {
  const { c, proxy, env } = await appliedThroughProxy(t);
  const kinds: [string, FaultAnswer, RegExp][] = [
    ['403', { status: 403, body: '{"message":"forbidden"}' }, /403|forbidden|permission/i],
    ['429', { status: 429, body: '{}', headers: { 'retry-after': '0' } }, /429|throttl|too many/i],
    ['500', { status: 500, body: '{}', headers: { 'retry-after': '0' } }, /500|server error/i],
    ['html', { status: 200, body: '<html><body>Login</body></html>', headers: { 'content-type': 'text/html' } }, /HTML|not JSON|unexpected|invalid/i],
  ];
  for (const [name, answer, reason] of kinds) {
    proxy.fault = always(answer);
    const r = await run(c, ['plan', '--detailed-exitcode'], env);
    t.equal(r.code, 1, `${name}: plan exits 1\n${r.out}`);
    t.match(r.out, /provider 'prod' could not be read/, name);
    t.match(r.out, reason, `${name}: the reason`);
    t.notMatch(r.out, /No changes/, name);
  }
  proxy.fault = always({ status: 500, body: '{}', headers: { 'retry-after': '0' } });
  await refusedEverywhere(t, c, env, /500|server error/i);
});

t.test('a failing list page: page 0 answers, page 1 fails', async (t) => {
  const { c, proxy, env } = await appliedThroughProxy(t);
  // Page 0 claims more images than one page holds, so the driver asks for page 1, which fails.
  proxy.rewrite = (req, body) => {
    if (!listing(req.method, req.url) || !/\$page=0/.test(req.url ?? '')) return body;
    const b = body as { metadata?: Record<string, unknown> };
    return { ...b, metadata: { ...b.metadata, totalAvailableResults: 250 } };
  };
  proxy.fault = (req) => (listing(req.method, req.url) && /\$page=[12]/.test(req.url ?? '') ? { status: 500, body: '{}', headers: { 'retry-after': '0' } } : undefined);
  await refusedEverywhere(t, c, env, /500|server error/i);
});

t.test('opting out is explicit and loud in text, markdown and JSON; --refresh=false reads nothing', async (t) => {
  const { c, proxy, env } = await appliedThroughProxy(t);
  proxy.fault = always({ status: 500, body: '{}', headers: { 'retry-after': '0' } });
  let r = await run(c, ['plan', '--detailed-exitcode', '--allow-unreadable', 'prod'], env);
  t.equal(r.code, 0, r.out);
  t.match(r.out, /provider 'prod' was NOT read/);
  t.match(r.out, /--allow-unreadable/);
  r = await run(c, ['plan', '--format', 'markdown', '--allow-unreadable', 'prod'], env);
  t.equal(r.code, 0, r.out);
  t.match(r.out, /\*\*Warning:\*\* provider 'prod' was NOT read/);
  r = await run(c, ['plan', '--format', 'json', '--allow-unreadable=prod'], env);
  t.equal(r.code, 0, r.out);
  const doc = JSON.parse(r.out.slice(0, r.out.lastIndexOf('}') + 1)) as { unread?: { provider: string; reason: string }[] };
  t.same(doc.unread?.map((u) => u.provider), ['prod'], 'the JSON plan lists the providers it did not read');
  r = await run(c, ['plan', '--allow-unreadable', 'nope'], env);
  t.equal(r.code, 1);
  t.match(r.out, /--allow-unreadable.*nope/);
  r = await run(c, ['plan', '--detailed-exitcode', '--refresh=false'], env);
  t.equal(r.code, 0, r.out);
  r = await run(c, ['apply', '--refresh-only', '--auto-approve', '--allow-unreadable', 'prod'], env);
  t.equal(r.code, 0, r.out);
  t.match(r.out, /provider 'prod' was NOT read/);
});

t.test('drift keeps exit 4 for a provider it cannot read; --unmanaged exits 4 when a list fails', async (t) => {
  const { c, proxy, env } = await appliedThroughProxy(t);
  proxy.fault = always({ status: 500, body: '{}', headers: { 'retry-after': '0' } });
  let r = await run(c, ['drift'], env);
  t.equal(r.code, 4, r.out);
  // Only a pending create on eu (exit 2 on its own) and eu's list failing: the unknown
  // unmanaged images alone must lift the exit code to 4.
  proxy.fault = undefined;
  const ns = await faultProxy(t, c.numspot.url);
  ns.fault = (req) => (req.method === 'GET' && /\/images(\?|$)/.test(req.url ?? '') ? { status: 500, body: '{}', headers: { 'retry-after': '0' } } : undefined);
  c.write(config(img('a') + img('n', 'eu')));
  r = await run(c, ['drift', '--unmanaged'], { ...env, NUMSPOT_HOST: ns.url });
  t.equal(r.code, 4, r.out);
  t.match(r.out, /provider eu could not be listed/);
});

t.test('with an empty state, a provider answering 500 fails the plan', async (t) => {
  const c = await cli(t.testdir());
  t.teardown(() => c.close());
  const ns = await faultProxy(t, c.numspot.url);
  ns.fault = (req) => (req.method === 'GET' && /\/images(\?|$)/.test(req.url ?? '') ? { status: 500, body: '{}', headers: { 'retry-after': '0' } } : undefined);
  c.write(config(img('n', 'eu')));
  const r = await run(c, ['plan'], { NUMSPOT_HOST: ns.url });
  t.equal(r.code, 1, r.out);
  t.match(r.out, /provider 'eu' could not be read/);
});

t.test('a hung plugin: plan exits 1 naming it', async (t) => {
  const c = await cli(t.testdir());
  t.teardown(() => c.close());
  fakePlugin(c.dir, 'on.list = () => undefined;');
  c.write(`version: 1
providers:
  lab:
    driver: { command: [node, ./fake.mjs], timeout_seconds: 0.5 }
images:
  p:
    provider: lab
    name: p
`);
  const r = await run(c, ['plan', '--detailed-exitcode']);
  t.equal(r.code, 1, r.out);
  t.match(r.out, /provider 'lab' could not be read/);
  t.match(r.out, /did not answer `list`/);
});

t.test('apply PLAN_FILE: a provider that cannot be read is named, not taken for a stale plan', async (t) => {
  const { c, env } = await appliedThroughProxy(t);
  c.write(config(img('a').replace('name: golden-a', 'name: golden-a\n    description: retitled')));
  const planned = await run(c, ['plan', '--out', 'p.json'], env);
  t.equal(planned.code, 0, planned.out);
  const r = await run(c, ['apply', 'p.json'], { ...env, NUTANIX_PASSWORD: 'wrong-password-2' });
  t.equal(r.code, 1, r.out);
  t.match(r.out, /provider 'prod' could not be read/);
  t.notMatch(r.out, /stale/);
});
