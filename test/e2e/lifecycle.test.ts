// plan → apply → plan, then update in place, replacement and delete, through the built CLI.
import t from 'tap';
import { cli, config } from './support.js';

const iso = (name: string, url = 'http://archive.example.com/mini.iso', extra = '') => `  iso:
    provider: prod
    name: ${name}
    type: ISO_IMAGE
    source: { url: ${url} }
${extra}`;

t.test('plan, apply, no changes, update in place, replace, delete', async (t) => {
  const c = await cli(t.testdir());
  t.teardown(() => c.close());
  c.write(config(iso('golden')));

  let r = await c.run(['plan', '--detailed-exitcode']);
  t.equal(r.code, 2, 'changes pending');
  t.match(r.stdout, /\+ image "iso" \(prod\)/);
  t.match(r.stdout, /Plan: 1 to add, 0 to change, 0 to destroy\./);

  r = await c.run(['apply', '--auto-approve']);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /Apply complete! Resources: 1 added, 0 changed, 0 destroyed\./);
  t.equal(c.sim.listImages().length, 1);
  const firstId = c.state().resources['iso']?.id;

  r = await c.run(['plan', '--detailed-exitcode']);
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.match(r.stdout, /No changes\. Images match the configuration\./);

  c.write(config(iso('golden-v2')));
  r = await c.run(['plan']);
  t.match(r.stdout, /~ name = "golden" -> "golden-v2"/);
  r = await c.run(['apply', '--auto-approve']);
  t.match(r.stdout, /1 added|0 added, 1 changed, 0 destroyed/);
  t.equal(c.state().resources['iso']?.id, firstId, 'same image, renamed in place');
  t.match(JSON.stringify(c.sim.listImages()), /golden-v2/);

  c.write(config(iso('golden-v2', 'http://archive.example.com/other.iso')));
  r = await c.run(['plan']);
  t.match(r.stdout, /\+\/- image "iso"/);
  t.match(r.stdout, /# forces replacement/);
  r = await c.run(['apply', '--auto-approve']);
  t.match(r.stdout, /1 added, 0 changed, 1 destroyed/);
  t.not(c.state().resources['iso']?.id, firstId);
  t.equal(c.sim.listImages().length, 1, 'old image destroyed after the new one was created');

  c.write(config('  {}\n').replace('images:\n  {}', 'images: {}'));
  r = await c.run(['plan']);
  t.equal(r.code, 1, 'refuses to destroy everything without --allow-empty');
  r = await c.run(['apply', '--auto-approve', '--allow-empty']);
  t.match(r.stdout, /0 added, 0 changed, 1 destroyed/);
  t.equal(c.sim.listImages().length, 0);
  t.same(c.state().resources, {});
});

t.test('apply without a terminal and without --auto-approve changes nothing', async (t) => {
  const c = await cli(t.testdir());
  t.teardown(() => c.close());
  c.write(config(iso('golden')));
  const r = await c.run(['apply']);
  t.equal(r.code, 1);
  t.match(r.stderr, /--auto-approve/);
  t.equal(c.sim.listImages().length, 0);
});

t.test('validate reports every problem with file, line and column, and no stack trace', async (t) => {
  const c = await cli(t.testdir());
  t.teardown(() => c.close());
  c.write(config(`  bad:
    provider: prod
    name: x
    type: FLOPPY
    source: { url: http://x.example.com/a.iso }
    checksum: { object_type: sha1, hex_digest: abc }
  other:
    provider: nowhere
    name: y
    type: ISO_IMAGE
    source: { url: http://x.example.com/a.iso }
`));
  const r = await c.run(['validate']);
  t.equal(r.code, 1);
  t.match(r.stderr, /imagectl\.yaml:18:11: .*FLOPPY|imagectl\.yaml:18:\d+: .*DISK_IMAGE/);
  t.match(r.stderr, /imagectl\.yaml:20:\d+: .*hex_digest/);
  t.match(r.stderr, /imagectl\.yaml:22:\d+: .*nowhere/);
  t.notMatch(r.stderr, /\n\s+at /, 'no stack trace');
  t.equal(c.sim.exchanges.length, 0, 'no API call');
});
