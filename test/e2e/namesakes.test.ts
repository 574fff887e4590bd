// Before creating, look for a namesake: a state lost after an apply must not make the next plan
// create duplicates (Nutanix) or fail late with a 409 (Numspot). The plan fails, naming the
// image and how to adopt it, unless the configuration says duplicates are intended.
import t from 'tap';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { cli, config } from './support.js';

const nutanix = (lifecycle = '') => `  app:
    provider: prod
    name: golden-app
    type: DISK_IMAGE
    source: { url: http://images.example.com/app.qcow2 }
${lifecycle}`;

const numspot = `  debian:
    provider: eu
    name: debian-golden
    source_image_id: { lookup: image, name: Debian-12-2026-08-10 }
    source_region_name: cloudgouv-eu-west-1
`;

const loseState = (dir: string): void => rmSync(join(dir, '.imagectl'), { recursive: true, force: true });

t.test('Nutanix: a lost state makes plan fail with the import suggestion; the opt-in plans the create', async (t) => {
  const c = await cli(t.testdir());
  t.teardown(() => c.close());
  c.write(config(nutanix()));
  t.equal((await c.run(['apply', '--auto-approve'])).code, 0);
  const id = c.state().resources['app']?.id as string;
  loseState(c.dir);

  let r = await c.run(['plan', '--detailed-exitcode']);
  t.equal(r.code, 1, r.stdout + r.stderr);
  const out = r.stdout + r.stderr;
  t.match(out, `app: provider prod (nutanix) already holds an image named "golden-app" (id ${id}) that this state does not own`);
  t.match(out, `imagectl import app ${id}`);
  t.match(out, /lifecycle\.allow_duplicate_name: true/);
  r = await c.run(['apply', '--auto-approve']);
  t.equal(r.code, 1, 'apply refuses the same way');
  t.equal(c.sim.listImages().length, 1, 'no duplicate was created');

  // The suggestion works: import, then nothing to do.
  r = await c.run(['import', 'app', id]);
  t.equal(r.code, 0, r.stderr);
  t.equal((await c.run(['plan', '--detailed-exitcode'])).code, 0);
});

t.test('Nutanix: lifecycle.allow_duplicate_name (or the provider setting) plans the create', async (t) => {
  const c = await cli(t.testdir());
  t.teardown(() => c.close());
  c.write(config(nutanix()));
  t.equal((await c.run(['apply', '--auto-approve'])).code, 0);
  loseState(c.dir);
  c.write(config(nutanix('    lifecycle: { allow_duplicate_name: true }\n')));
  let r = await c.run(['plan', '--detailed-exitcode']);
  t.equal(r.code, 2, r.stdout + r.stderr);
  t.match(r.stdout, /1 to add, 0 to change, 0 to destroy/);
  c.write(config(nutanix()).replace('    driver: nutanix\n', '    driver: nutanix\n    allow_duplicate_names: true\n'));
  r = await c.run(['plan', '--detailed-exitcode']);
  t.equal(r.code, 2, 'the provider-level setting: ' + r.stdout + r.stderr);
  t.match(r.stdout, /1 to add/);
});

t.test('Numspot: the 409 a duplicate name would get is a clear error at plan time', async (t) => {
  const c = await cli(t.testdir());
  t.teardown(() => c.close());
  c.write(config(numspot));
  t.equal((await c.run(['apply', '--auto-approve'])).code, 0);
  const id = c.state().resources['debian']?.id as string;
  loseState(c.dir);
  c.write(config(numspot.replace('source_region_name', 'lifecycle: { allow_duplicate_name: true }\n    source_region_name')));
  const r = await c.run(['plan']);
  t.equal(r.code, 1, r.stdout + r.stderr);
  const out = r.stdout + r.stderr;
  t.match(out, `debian: provider eu (numspot) already holds an image named "debian-golden" (id ${id}) that this state does not own`);
  t.match(out, /names are unique there, so the create would be refused \(409\)/);
  t.match(out, `imagectl import debian ${id}`);
});
