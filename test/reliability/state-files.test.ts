// No lost state: a truncated or corrupted state file is refused (never read as "no images",
// which would plan to create every image again) with a message that lists the backups; a state
// from a newer imagectl is refused; a saved plan edited by hand is refused. In process, through
// main(), against in-process simulators.
import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli.js';
import { fakeIo } from '../support/fake-io.js';


const cfg = (description: string) => `version: 1
providers:
  lab: { driver: nutanix, simulator: true }
images:
  iso:
    provider: lab
    name: state-files
    description: ${description}
    type: ISO_IMAGE
    source: { url: https://images.example.com/s.iso }
`;

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo();
  const code = await main([...args, '--no-color'], io);
  return { code, out: io.stdout, err: io.stderr };
}

t.test('corrupt, truncated and too-new state files are refused, pointing at the backups', async (t) => {
  const dir = t.testdir({ 'imagectl.yaml': cfg('one') });
  const c = join(dir, 'imagectl.yaml');
  t.equal((await run(['apply', '--auto-approve', '-c', c])).code, 0);
  writeFileSync(c, cfg('two'));
  t.equal((await run(['apply', '--auto-approve', '-c', c])).code, 0, 'a second generation, so a backup exists');
  const statePath = join(dir, '.imagectl', 'state.json');
  const good = readFileSync(statePath, 'utf8');

  const cases: Record<string, string> = {
    truncated: good.slice(0, Math.floor(good.length / 2)),
    empty: '',
    'not JSON': '\u0000\u0001garbage',
    'JSON of another kind': '{"hello": "world"}',
    'schema broken': good.replace(/"resources": \{/, '"resources": { "bad": 1,'),
  };
  for (const [name, text] of Object.entries(cases)) {
    writeFileSync(statePath, text);
    for (const cmd of ['plan', 'apply']) {
      const r = await run(cmd === 'apply' ? ['apply', '--auto-approve', '-c', c] : ['plan', '-c', c]);
      t.equal(r.code, 1, `${name}: ${cmd} exits 1`);
      t.match(r.err, /state file .*state\.json/, `${name}: names the file`);
      t.match(r.err, /state\.json\.1 \(serial \d+/, `${name}: lists the newest backup`);
      t.match(r.err, /copy it over/, `${name}: says how to recover`);
      t.notMatch(r.err, /internal error|\n\s+at /, `${name}: no stack trace`);
      t.notMatch(r.out, /will be created/, `${name}: never planned as if the state were empty`);
    }
    t.equal(readFileSync(statePath, 'utf8'), text, `${name}: the damaged file is left as it was for inspection`);
  }

  writeFileSync(statePath, good.replace(/"version": \d+/, '"version": 999'));
  const r = await run(['plan', '-c', c]);
  t.equal(r.code, 1);
  t.match(r.err, /written by a newer imagectl \(format version 999\).*upgrade imagectl/s);

  writeFileSync(statePath, good);
  t.equal((await run(['plan', '--detailed-exitcode', '-c', c])).code, 0, 'the restored file is accepted');
});

t.test('a saved plan edited by hand is refused', async (t) => {
  const dir = t.testdir({ 'imagectl.yaml': cfg('one') });
  const c = join(dir, 'imagectl.yaml');
  const planFile = join(dir, 'plan.json');
  t.equal((await run(['plan', '--out', planFile, '-c', c])).code, 0);
  const text = readFileSync(planFile, 'utf8');
  t.match(text, /state-files/);
  writeFileSync(planFile, text.replace('state-files', 'state-filez'));
  const r = await run(['apply', planFile, '-c', c]);
  t.equal(r.code, 1);
  t.match(r.err, /was edited after it was saved/);
  writeFileSync(planFile, text.replace(/"signature": "[^"]*"/, '"signature": ""'));
  t.equal((await run(['apply', planFile, '-c', c])).code, 1, 'an emptied signature too');
  writeFileSync(planFile, text);
  t.equal((await run(['apply', planFile, '-c', c])).code, 0, 'the untouched plan applies');
});
