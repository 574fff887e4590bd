// The CLI in process, with a fake terminal: help, flags, exit codes and the approval prompt.
import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli.js';
import { fakeIo } from '../support/fake-io.js';


const quick = `version: 1
providers:
  lab: { driver: nutanix, simulator: true }
images:
  iso:
    provider: lab
    name: prompt-test
    type: ISO_IMAGE
    source: { url: http://images.example.com/p.iso }
`;

t.test('help, version and usage errors', async (t) => {
  let io = fakeIo();
  t.equal(await main([], io), 0);
  t.match(io.stdout, /Commands:/);
  for (const cmd of ['validate', 'plan', 'apply', 'drift', 'import', 'state', 'simulate']) {
    io = fakeIo();
    t.equal(await main([cmd, '--help'], io), 0);
    t.match(io.stdout, new RegExp(`Usage: imagectl ${cmd}`));
    t.match(io.stdout, /--no-color/);
  }
  io = fakeIo();
  t.equal(await main(['--version'], io), 0);
  io = fakeIo();
  t.equal(await main(['frobnicate'], io), 1);
  t.match(io.stderr, /unknown command 'frobnicate'/);
  io = fakeIo();
  t.equal(await main(['plan', '--frobnicate'], io), 1);
  t.match(io.stderr, /unknown flag --frobnicate/);
  io = fakeIo();
  t.equal(await main(['plan', '--parallelism', 'zero'], io), 1);
  t.match(io.stderr, /--parallelism must be a whole number/);
  io = fakeIo();
  t.equal(await main(['plan', '--lock-timeout', 'soon'], io), 1);
  t.match(io.stderr, /--lock-timeout must be a duration/);
  io = fakeIo();
  t.equal(await main(['plan', '--refresh-mode', 'fast'], io), 1, 'an unknown refresh mode is refused, not read as bulk');
  t.match(io.stderr, /--refresh-mode must be bulk or per-resource, not 'fast'/);
});

t.test('the approval prompt: anything but yes changes nothing; yes applies', async (t) => {
  const dir = t.testdir();
  const cfg = join(dir, 'imagectl.yaml');
  writeFileSync(cfg, quick);
  let io = fakeIo('no');
  t.equal(await main(['apply', '-c', cfg], io), 1);
  t.equal(io.asked, 1);
  t.match(io.stdout, /Apply cancelled\. Nothing was changed\./);
  io = fakeIo();
  t.equal(await main(['state', 'list', '-c', cfg], io), 0);
  t.equal(io.stdout, '', 'nothing in state');
  io = fakeIo('yes');
  t.equal(await main(['apply', '-c', cfg], io), 0, io.stderr);
  t.match(io.stdout, /Apply complete! Resources: 1 added, 0 changed, 0 destroyed\./);
  io = fakeIo('yes');
  t.equal(await main(['apply', '-c', cfg], io), 0);
  t.equal(io.asked, 0, 'no prompt when there is nothing to do');
  t.match(io.stdout, /No changes\./);
  io = fakeIo();
  t.equal(await main(['state', 'show', 'iso', '-c', cfg], io), 0);
  t.match(io.stdout, /size_bytes = \d+/);
  t.match(io.stdout, /create_time = /);
  t.match(io.stdout, /owner_ext_id = /);
  io = fakeIo();
  t.equal(await main(['state', 'rm', 'iso', '-c', cfg], io), 0);
  t.match(io.stdout, /Removed 1 image/);
  // Names an object has by inheritance are not addresses in the state.
  for (const inherited of ['toString', '__proto__', 'constructor']) {
    io = fakeIo();
    t.equal(await main(['state', 'show', inherited, '-c', cfg], io), 1, `state show ${inherited}`);
    t.match(io.stderr, `${inherited} is not in state file`);
    io = fakeIo();
    t.equal(await main(['state', 'rm', inherited, '-c', cfg], io), 1, `state rm ${inherited} removes nothing and says so`);
    t.match(io.stderr, `${inherited} is not in state file`);
  }
  io = fakeIo();
  t.equal(await main(['state', 'show', 'iso', '-c', cfg], io), 1);
  t.match(io.stderr, /iso is not in state file/);
});

t.test('every example configuration validates', async (t) => {
  const examples = [
    'quickstart/imagectl.yaml', 'nutanix/iso-from-url.yaml', 'nutanix/disk-on-cluster.yaml', 'nutanix/private-source-and-vm-disk.yaml',
    'numspot/image-from-image.yaml', 'numspot/image-from-vm.yaml', 'numspot/image-from-snapshot.yaml',
  ];
  for (const e of examples) {
    const io = fakeIo();
    t.equal(await main(['validate', '-c', join(import.meta.dirname, '../../examples', e)], io), 0, `${e}: ${io.stderr}`);
  }
});

t.test('typos in commands and flags get a suggestion; version in three spellings', async (t) => {
  let io = fakeIo();
  t.equal(await main(['paln'], io), 1);
  t.match(io.stderr, "unknown command 'paln' (did you mean 'plan'?)");
  io = fakeIo();
  t.equal(await main(['constructor'], io), 1, 'an inherited name is no command');
  t.match(io.stderr, "unknown command 'constructor'");
  io = fakeIo();
  t.equal(await main(['plan', '--taget', 'web'], io), 1);
  t.match(io.stderr, 'unknown flag --taget (did you mean --target? this command takes');
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  for (const spelling of ['--version', '-v', 'version']) {
    io = fakeIo();
    t.equal(await main([spelling], io), 0, spelling);
    t.equal(io.stdout, `imagectl ${version}\n`, `${spelling} prints package.json's version`);
  }
});
