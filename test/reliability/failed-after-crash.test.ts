// A Numspot image that ends `failed` while its run is dead: the next apply must delete it (as the
// dead run's rollback would have) and create the image again, not wedge the address behind the
// failed image's name.
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, config } from '../e2e/support.js';

t.test('killed while a Numspot image was failing: the next apply deletes it and converges', async (t) => {
  const c = await cli(t.testdir(), {}, { pendingMs: 2500 });
  t.teardown(() => c.close());
  c.write(config(`  doomed:
    provider: eu
    name: doomed-after-crash
    source_image_id: ami-dc3f861d
    source_region_name: cloudgouv-eu-west-1
`));
  c.numspot.failNextImages(1, 'disk copy failed');
  const statePath = join(c.dir, '.imagectl', 'state.json');
  const child = c.start(['apply', '--auto-approve']);
  const end = Date.now() + 20_000;
  const journaled = (): boolean => {
    try {
      return existsSync(statePath) && Object.values(JSON.parse(readFileSync(statePath, 'utf8')).pending as Record<string, { task_id?: string }>).some((i) => i.task_id);
    } catch {
      return false;
    }
  };
  while (Date.now() < end && !journaled()) await new Promise((r) => setTimeout(r, 20));
  t.ok(journaled(), 'the image id was journaled');
  child.kill('SIGKILL');
  await child.catch(() => undefined);
  t.equal(c.numspot.listImages().length, 1, 'the doomed image exists, still pending');

  const r = await c.run(['apply', '--auto-approve']);
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.match(r.stdout, /had failed \(.*disk copy failed.*\); deleted it/);
  const images = c.numspot.listImages() as { id: string; state: string }[];
  t.equal(images.length, 1, 'one image: the failed one is gone, a new one made');
  t.equal(images[0]?.state, 'available');
  t.equal(c.state().resources['doomed']?.id, images[0]?.id);
  t.same(c.state().pending, {});
});
