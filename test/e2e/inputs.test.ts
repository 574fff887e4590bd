// Inputs that must neither crash nor leak, through the built CLI: includes stay inside the
// configuration's folder and a file that is not an images file is never echoed; reads of
// configuration, included and secret files are bounded; a relative ca_file is the config's.
import t from 'tap';
import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import { mkdirSync, openSync, closeSync, ftruncateSync, writeFileSync, symlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, cli } from './support.js';

const SHADOW = 'root:$6$SECRETHASHxyz$abc:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\nbob:$6$OTHERHASH:1:2::\n';

async function run(cwd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  const r = await execa('node', [BIN, ...args], { cwd, env: { NO_COLOR: '1', ...env }, reject: false, extendEnv: true, stdin: 'ignore' });
  return { code: r.exitCode ?? 1, out: `${String(r.stdout)}\n${String(r.stderr)}` };
}

const HEAD = `version: 1
providers:
  lab: { driver: nutanix, simulator: true }
`;
const IMAGE = `  a:
    provider: lab
    name: a
    type: ISO_IMAGE
    source: { url: http://images.example.com/a.iso }
`;

t.test('an include outside the config folder is refused, and never read or echoed', async (t) => {
  const dir = t.testdir();
  mkdirSync(join(dir, 'repo', 'cfg'), { recursive: true });
  writeFileSync(join(dir, 'shadow'), SHADOW);
  const cfg = join(dir, 'repo', 'cfg');
  writeFileSync(join(cfg, 'imagectl.yaml'), `${HEAD}include: ["../../shadow"]\nimages:\n${IMAGE}`);
  let r = await run(cfg, ['validate']);
  t.equal(r.code, 1, r.out);
  t.match(r.out, /outside the configuration's folder/);
  t.match(r.out, /IMAGECTL_INCLUDE_PATH/, 'says how to allow more');
  t.notMatch(r.out, /SECRETHASH|OTHERHASH|daemon/, 'no line of the file is shown');

  // A symbolic link inside the folder that points outside is the same file, the same refusal.
  symlinkSync(join(dir, 'shadow'), join(cfg, 'linked.yaml'));
  writeFileSync(join(cfg, 'imagectl.yaml'), `${HEAD}include: ["*.yaml"]\nimages:\n${IMAGE}`);
  r = await run(cfg, ['validate']);
  t.equal(r.code, 1, r.out);
  t.match(r.out, /linked\.yaml.*outside the configuration's folder/);
  t.notMatch(r.out, /SECRETHASH|OTHERHASH|daemon/);

  // Allowed explicitly, the file is still not YAML images: named with a position, never shown.
  writeFileSync(join(cfg, 'imagectl.yaml'), `${HEAD}include: ["../../shadow"]\nimages:\n${IMAGE}`);
  r = await run(cfg, ['validate'], { IMAGECTL_INCLUDE_PATH: dir });
  t.equal(r.code, 1, r.out);
  t.match(r.out, /shadow:1:1: not an images file/);
  t.notMatch(r.out, /SECRETHASH|OTHERHASH|daemon|root:/);
});

t.test('an included file inside the folder that is not YAML is never echoed', async (t) => {
  const dir = t.testdir({
    'imagectl.yaml': `${HEAD}include: ["notes/*"]\nimages:\n${IMAGE}`,
    notes: { 'todo.txt': 'password: hunter2-LEAKED\n  - call: {bob\n', 'keys.yaml': 'token-AKIAEXAMPLELEAK: 1\n' },
  });
  const r = await run(dir, ['validate']);
  t.equal(r.code, 1, r.out);
  t.match(r.out, /notes\/keys\.yaml:1:1: not an images file/);
  t.match(r.out, /notes\/todo\.txt:1:1: not an images file/);
  t.notMatch(r.out, /hunter2|AKIAEXAMPLE|bob/);
});

t.test('bounded reads: {file: /dev/zero}, a huge config, a huge included file', async (t) => {
  const dir = t.testdir({ 'imagectl.yaml': `version: 1
providers:
  prod:
    driver: nutanix
    endpoint: https://pc.example.com:9440
    username: admin
    password: { file: /dev/zero }
images:
  a:
    provider: prod
    name: a
    type: ISO_IMAGE
    source: { url: http://images.example.com/a.iso }
` });
  let r = await run(dir, ['plan']);
  t.equal(r.code, 1, r.out);
  t.match(r.out, /\/dev\/zero is larger than 1 MiB/);
  t.notMatch(r.out, /\n\s+at /, 'no stack trace');

  // A quoted scalar of 9 MB: refused by size, before any parsing.
  const big = join(dir, 'big.yaml');
  const fd = openSync(big, 'w');
  writeSync(fd, `${HEAD}images:\n  a:\n    provider: lab\n    name: a\n    type: ISO_IMAGE\n    description: "`);
  writeSync(fd, 'x'.repeat(9 * 1024 * 1024));
  writeSync(fd, '"\n    source: { url: http://images.example.com/a.iso }\n');
  closeSync(fd);
  r = await run(dir, ['validate', '-c', 'big.yaml']);
  t.equal(r.code, 1, r.out);
  t.match(r.out, /big\.yaml is larger than 8 MiB/);

  mkdirSync(join(dir, 'inc'));
  writeFileSync(join(dir, 'inc.yaml'), `${HEAD}include: ["inc/*.yaml"]\nimages:\n${IMAGE}`);
  const huge = openSync(join(dir, 'inc', 'huge.yaml'), 'w');
  writeSync(huge, 'images:\n');
  ftruncateSync(huge, 9 * 1024 * 1024); // zero bytes after the first line
  closeSync(huge);
  r = await run(dir, ['validate', '-c', 'inc.yaml']);
  t.equal(r.code, 1, r.out);
  t.match(r.out, /inc\/huge\.yaml is larger than 8 MiB/);
});

t.test('a relative ca_file is read from the config file\'s folder, not the working directory', async (t) => {
  const c = await cli(t.testdir());
  t.teardown(() => c.close());
  const cfg = join(c.dir, 'cfg');
  mkdirSync(cfg);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(cfg, 'ca.key'), '-out', join(cfg, 'ca.pem'), '-days', '2', '-subj', '/CN=imagectl test CA'], { stdio: 'ignore' });
  writeFileSync(join(cfg, 'imagectl.yaml'), `version: 1
providers:
  prod:
    driver: nutanix
    endpoint: { env: NUTANIX_ENDPOINT }
    username: { env: NUTANIX_USERNAME }
    password: { env: NUTANIX_PASSWORD }
    ca_file: ca.pem
images:
  a:
    provider: prod
    name: a
    type: ISO_IMAGE
    source: { url: http://images.example.com/a.iso }
`);
  const r = await run(c.dir, ['plan', '-c', 'cfg/imagectl.yaml'], c.env);
  t.equal(r.code, 0, r.out);
  t.notMatch(r.out, /cannot be read/);
  t.match(r.out, /1 to add/);
});
