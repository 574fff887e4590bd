// Issue 14 §6: moving an image to another provider block (another endpoint) is a replacement,
// shown as such, and prevent_destroy is never lifted along the way.
import t from 'tap';
import { startNutanixSimulator } from '../../src/simulators/nutanix/index.js';
import { cli, SECRETS } from './support.js';

const cfg = (provider: string, lifecycle = '') => `version: 1
providers:
  prod:
    driver: nutanix
    endpoint: { env: NUTANIX_ENDPOINT }
    username: { env: NUTANIX_USERNAME }
    password: { env: NUTANIX_PASSWORD }
  prod2:
    driver: nutanix
    endpoint: { env: NUTANIX_ENDPOINT2 }
    username: { env: NUTANIX_USERNAME }
    password: { env: NUTANIX_PASSWORD }
images:
  iso:
    provider: ${provider}
    name: golden
    type: ISO_IMAGE
    source: { url: http://archive.example.com/a.iso }
${lifecycle}`;

const names = (list: unknown[]): string[] => list.map((i) => String((i as { name: string }).name));

t.test('a provider change is a replacement: created on the new endpoint, deleted on the old', async (t) => {
  const c = await cli(t.testdir());
  const sim2 = await startNutanixSimulator({ username: 'admin', password: SECRETS.password, taskDurationMs: 150 });
  t.teardown(async () => {
    await sim2.close();
    await c.close();
  });
  c.env.NUTANIX_ENDPOINT2 = sim2.url;
  c.write(cfg('prod'));
  let r = await c.run(['apply', '--auto-approve']);
  t.equal(r.code, 0, r.stdout + r.stderr);
  const oldId = c.state().resources['iso']?.id;

  c.write(cfg('prod2'));
  r = await c.run(['plan', '--detailed-exitcode']);
  t.equal(r.code, 2, 'a move is a change');
  t.match(r.stdout, /\+\/- image "iso" \(prod2\)/);
  t.match(r.stdout, /provider changes from prod to prod2/);
  t.match(r.stdout, /Plan: 1 to add, 0 to change, 1 to destroy\./);

  r = await c.run(['apply', '--auto-approve']);
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.same(names(sim2.listImages()), ['golden'], 'created on the new endpoint');
  t.same(c.sim.listImages(), [], 'deleted on the old one');
  const moved = c.state().resources['iso'] as unknown as { id: string; provider: string };
  t.equal(moved.provider, 'prod2');
  t.not(moved.id, oldId);
  r = await c.run(['plan', '--detailed-exitcode']);
  t.equal(r.code, 0, r.stdout);
});

t.test('prevent_destroy refuses a move, and no apply lifts it while the config keeps it', async (t) => {
  const c = await cli(t.testdir());
  const sim2 = await startNutanixSimulator({ username: 'admin', password: SECRETS.password, taskDurationMs: 150 });
  t.teardown(async () => {
    await sim2.close();
    await c.close();
  });
  c.env.NUTANIX_ENDPOINT2 = sim2.url;
  const keep = '    lifecycle: { prevent_destroy: true }\n';
  c.write(cfg('prod', keep));
  let r = await c.run(['apply', '--auto-approve']);
  t.equal(r.code, 0, r.stdout + r.stderr);

  c.write(cfg('prod2', keep));
  r = await c.run(['plan', '--detailed-exitcode']);
  t.equal(r.code, 1, 'the move would destroy a protected image');
  t.match(r.stdout + r.stderr, /prevent_destroy/);
  r = await c.run(['apply', '--auto-approve']);
  t.equal(r.code, 1);
  t.equal((c.state().resources['iso'] as unknown as { protected: boolean }).protected, true, 'still protected');
  t.equal(c.sim.listImages().length, 1);
  t.equal(sim2.listImages().length, 0);

  // Back on its own provider, a change that forces replacement is still refused.
  c.write(cfg('prod', keep).replace('a.iso', 'b.iso'));
  r = await c.run(['apply', '--auto-approve']);
  t.equal(r.code, 1);
  t.match(r.stdout + r.stderr, /prevent_destroy/);
  t.equal(c.sim.listImages().length, 1, 'the protected image was not destroyed');
});
