// Lookups resolved at plan time, references ordering the apply, depends_on, and the simulate command.
import t from 'tap';
import { execa } from 'execa';
import { BIN, cli, config } from './support.js';

t.test('a cluster lookup that matches nothing is a positioned error; one that matches is resolved', async (t) => {
  const c = await cli(t.testdir());
  t.teardown(() => c.close());
  const img = (cluster: string) => config(`  disk:
    provider: prod
    name: placed
    type: DISK_IMAGE
    source: { url: http://images.example.com/d.qcow2 }
    cluster_location_ext_ids:
      - { lookup: cluster, name: ${cluster} }
`);
  c.write(img('NO-SUCH-CLUSTER'));
  let r = await c.run(['plan']);
  t.equal(r.code, 1);
  t.match(r.stderr, /imagectl\.yaml:21:9: lookup of cluster \{"name":"NO-SUCH-CLUSTER"\} matched nothing/);
  t.equal(c.sim.exchanges.filter((e) => e.method !== 'GET').length, 0, 'nothing changed');
  c.write(img('PHX-POC02'));
  r = await c.run(['apply', '--auto-approve']);
  t.equal(r.code, 0, r.stderr);
  t.match(JSON.stringify(c.sim.listImages()), /00063a1c-a953-2048-0000-000000028f57/);
});

t.test('a reference orders the apply and carries the new id; depends_on orders deletes in reverse', async (t) => {
  const c = await cli(t.testdir());
  t.teardown(() => c.close());
  c.write(config(`  base:
    provider: prod
    name: base
    type: DISK_IMAGE
    source: { url: http://images.example.com/base.qcow2 }
  tagged:
    provider: prod
    name: tagged
    type: ISO_IMAGE
    source: { url: http://images.example.com/t.iso }
    depends_on: [base]
`));
  let r = await c.run(['plan']);
  t.match(r.stdout, /Plan: 2 to add/);
  r = await c.run(['apply', '--auto-approve']);
  t.equal(r.code, 0, r.stderr);
  const order = c.sim.exchanges.filter((e) => e.method === 'POST').map((e) => (e.body as { name: string }).name);
  t.same(order, ['base', 'tagged'], 'base is created before what depends on it');
  c.write('version: 1\nproviders:\n  prod:\n    driver: nutanix\n    endpoint: { env: NUTANIX_ENDPOINT }\n    username: { env: NUTANIX_USERNAME }\n    password: { env: NUTANIX_PASSWORD }\nimages: {}\n');
  const ids = c.state().resources;
  r = await c.run(['apply', '--auto-approve', '--allow-empty']);
  t.equal(r.code, 0, r.stderr);
  const deletes = c.sim.exchanges.filter((e) => e.method === 'DELETE').map((e) => e.path.split('/').pop());
  t.same(deletes, [ids['tagged']?.id, ids['base']?.id], 'deletes run in reverse dependency order');
});

t.test('imagectl simulate serves a simulator and prints how to reach it', async (t) => {
  const child = execa('node', [BIN, 'simulate', '--nutanix-port', '0'], { reject: false });
  let out = '';
  await new Promise<void>((resolve) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Press Ctrl-C')) resolve();
    });
  });
  const url = /simulator: (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
  t.ok(url, 'prints a loopback URL');
  const res = await fetch(`${url}/api/vmm/v4.0/content/images`, { headers: { authorization: `Basic ${Buffer.from('admin:nutanix/4u').toString('base64')}` } });
  t.equal(res.status, 200);
  child.kill('SIGINT');
  const done = await child;
  t.equal(done.exitCode, 0);
});
