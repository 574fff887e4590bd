// Issue 14 §2: a delete the cloud refuses must never make imagectl forget the image. A loopback
// proxy in front of the Nutanix simulator answers DELETE with 409 "image in use" while `refuse`
// is on; the old image of a replacement must stay in the state (deposed) until really deleted.
import t from 'tap';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cli, config } from './support.js';

const IN_USE = JSON.stringify({
  data: { error: [{ code: 'VMM-30409', message: 'image is in use by vm-42', severity: 'ERROR' }], $objectType: 'vmm.v4.error.ErrorResponse' },
  $objectType: 'vmm.v4.content.DeleteImageApiResponse',
});

/**
 * Forwards everything to `target`, except DELETE while `refuse.on` (409 image in use). `onDelete`
 * runs before a DELETE is forwarded (to make the simulator fail that delete's task).
 */
async function refusingProxy(target: string, onDelete: () => void = () => {}): Promise<{ url: string; refuse: { on: boolean }; server: Server }> {
  const refuse = { on: false };
  const to = new URL(target);
  const server = createServer((req, res) => {
    if (req.method === 'DELETE') onDelete();
    if (refuse.on && req.method === 'DELETE') {
      req.resume();
      res.writeHead(409, { 'content-type': 'application/json' }).end(IN_USE);
      return;
    }
    const up = request({ host: to.hostname, port: to.port, path: req.url, method: req.method, headers: { ...req.headers, host: to.host } }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, refuse, server };
}

const iso = (url: string, extra = '') => `  iso:
    provider: prod
    name: golden
    type: ISO_IMAGE
    source: { url: ${url} }
${extra}`;

type Deposed = { key: string; id: string; last_error?: string };
const deposedOf = (s: unknown, address: string): Deposed[] =>
  ((s as { resources: Record<string, { deposed?: Deposed[] }> }).resources[address]?.deposed ?? []);

t.test('a replacement whose old image cannot be deleted keeps it deposed until it is', async (t) => {
  const c = await cli(t.testdir());
  const proxy = await refusingProxy(c.sim.url);
  t.teardown(async () => {
    proxy.server.close();
    await c.close();
  });
  c.env.NUTANIX_ENDPOINT = proxy.url;
  c.write(config(iso('http://archive.example.com/a.iso')));
  let r = await c.run(['apply', '--auto-approve']);
  t.equal(r.code, 0, r.stdout + r.stderr);
  const oldId = c.state().resources['iso']?.id as string;

  proxy.refuse.on = true;
  c.write(config(iso('http://archive.example.com/b.iso')));
  r = await c.run(['apply', '--auto-approve']);
  t.equal(r.code, 1, 'a delete the cloud refused fails the apply');
  t.match(r.stderr, /iso/);
  t.match(r.stderr, new RegExp(oldId));
  t.match(r.stderr, /in use/);
  const newId = c.state().resources['iso']?.id as string;
  t.not(newId, oldId, 'the new image is current');
  t.same(deposedOf(c.state(), 'iso').map((d) => d.id), [oldId], 'the old image is kept in the state');
  t.match(deposedOf(c.state(), 'iso')[0]?.last_error ?? '', /in use/);
  t.equal(c.sim.listImages().length, 2);
  r = await c.run(['state', 'list']);
  t.match(r.stdout, new RegExp(`^iso \\(deposed [0-9a-f]{8}\\)\\tprod\\t${oldId}$`, 'm'), 'state list names the deposed image');
  r = await c.run(['state', 'show', 'iso']);
  t.match(r.stdout, new RegExp(`deposed [0-9a-f]{8} = ${oldId} on prod, since .*; last delete failed: .*in use`));

  r = await c.run(['plan', '--detailed-exitcode']);
  t.equal(r.code, 2, 'a deposed image is work for the next apply');
  t.match(r.stdout, new RegExp(`# iso \\(deposed [0-9a-f]+\\) will be destroyed`));
  t.match(r.stdout, new RegExp(oldId));
  t.match(r.stdout, /in use/);
  t.match(r.stdout, /Plan: 0 to add, 0 to change, 1 to destroy\./);

  r = await c.run(['drift']);
  t.not(r.code, 0, 'drift reports the deposed image');
  t.match(r.stdout, new RegExp(oldId));

  r = await c.run(['apply', '--auto-approve']);
  t.equal(r.code, 1, 'still refused: still an error');
  t.match(r.stderr, new RegExp(`iso.*${oldId}.*in use`));
  t.same(deposedOf(c.state(), 'iso').map((d) => d.id), [oldId]);

  proxy.refuse.on = false;
  // Through a saved plan: the deposed delete is reviewed, saved, checked and applied like any change.
  r = await c.run(['plan', '--out', 'p.json']);
  t.equal(r.code, 0, r.stdout + r.stderr);
  r = await c.run(['apply', 'p.json']);
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.match(r.stdout, /0 added, 0 changed, 1 destroyed/);
  t.same(deposedOf(c.state(), 'iso'), []);
  t.same(c.sim.listImages().map((i) => (i as { extId: string }).extId), [newId]);
  r = await c.run(['plan', '--detailed-exitcode']);
  t.equal(r.code, 0, r.stdout);
});

t.test('a refused plain destroy fails naming address, id and reason, and keeps the image', async (t) => {
  const c = await cli(t.testdir());
  const proxy = await refusingProxy(c.sim.url);
  t.teardown(async () => {
    proxy.server.close();
    await c.close();
  });
  c.env.NUTANIX_ENDPOINT = proxy.url;
  c.write(config(iso('http://archive.example.com/a.iso') + `  other:
    provider: prod
    name: other
    type: ISO_IMAGE
    source: { url: http://archive.example.com/o.iso }
`));
  let r = await c.run(['apply', '--auto-approve']);
  t.equal(r.code, 0, r.stdout + r.stderr);
  const id = c.state().resources['iso']?.id as string;
  proxy.refuse.on = true;
  c.write(config(`  other:
    provider: prod
    name: other
    type: ISO_IMAGE
    source: { url: http://archive.example.com/o.iso }
`));
  r = await c.run(['apply', '--auto-approve']);
  t.equal(r.code, 1);
  t.match(r.stderr, new RegExp(`iso.*${id}.*in use`));
  t.equal(c.state().resources['iso']?.id, id, 'still in the state');
  r = await c.run(['plan', '--detailed-exitcode']);
  t.equal(r.code, 2);
  t.match(r.stdout, /in use/, 'the plan says why it is still there');
});

t.test("a replacement whose delete task fails (the simulator's own fault) keeps the old image deposed", async (t) => {
  const c = await cli(t.testdir());
  const failing = { on: false };
  const proxy = await refusingProxy(c.sim.url, () => {
    if (failing.on) c.sim.failNextTasks(1, 'Image is in use by a VM');
  });
  t.teardown(async () => {
    proxy.server.close();
    await c.close();
  });
  c.env.NUTANIX_ENDPOINT = proxy.url;
  c.write(config(iso('http://archive.example.com/a.iso')));
  let r = await c.run(['apply', '--auto-approve']);
  t.equal(r.code, 0, r.stdout + r.stderr);
  const oldId = c.state().resources['iso']?.id as string;
  failing.on = true;
  c.write(config(iso('http://archive.example.com/b.iso')));
  r = await c.run(['apply', '--auto-approve']);
  t.equal(r.code, 1, r.stdout + r.stderr);
  t.match(r.stderr, new RegExp(`iso.*${oldId}`));
  t.same(deposedOf(c.state(), 'iso').map((d) => d.id), [oldId]);
  t.same(c.state().pending, {});
  r = await c.run(['plan', '--detailed-exitcode']);
  t.equal(r.code, 2);
  failing.on = false;
  r = await c.run(['apply', '--auto-approve']);
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.equal(c.sim.listImages().length, 1);
  t.same(deposedOf(c.state(), 'iso'), []);
});
