// Secret values must never reach the state, backups, plan files or any output.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allFiles, cli, config, SECRETS } from './support.js';

t.test('secrets absent from every file imagectl writes and from all output', async (t) => {
  const c = await cli(t.testdir());
  t.teardown(() => c.close());
  c.write(config(`  private:
    provider: prod
    name: private-image
    type: DISK_IMAGE
    source:
      url: https://artifacts.example.com/private.qcow2
      basic_auth: { username: robot, password: { env: SOURCE_PASSWORD } }
`));
  const outputs: string[] = [];
  const keep = (r: { stdout: string; stderr: string }) => outputs.push(r.stdout, r.stderr);
  keep(await c.run(['plan', '--out', 'plan.json']));
  keep(await c.run(['plan', '--json']));
  const applied = await c.run(['apply', '--auto-approve']);
  keep(applied);
  t.equal(applied.code, 0, applied.stderr);
  keep(await c.run(['apply', '--auto-approve', '--json']));
  keep(await c.run(['state', 'show', 'private']));
  const settled = await c.run(['plan', '--detailed-exitcode']);
  keep(settled);
  t.equal(settled.code, 0, 'a source password the API never returns is not a perpetual diff: ' + settled.stdout);
  // A wrong provider password: the error path must not echo it either.
  const bad = await c.run(['plan'], {});
  keep(bad);

  const sent = c.sim.exchanges.find((e) => e.method === 'POST');
  t.match(JSON.stringify(sent?.body), SECRETS.sourcePassword, 'the driver did send the source password to the API');
  const files = [...allFiles(join(c.dir, '.imagectl')), { path: 'plan.json', text: readFileSync(join(c.dir, 'plan.json'), 'utf8') }];
  t.ok(files.length >= 2);
  for (const secret of Object.values(SECRETS)) {
    for (const f of files) t.notOk(f.text.includes(secret), `${f.path} does not contain a secret`);
    for (const o of outputs) t.notOk(o.includes(secret), 'output does not contain a secret');
  }
  t.match(outputs.join('\n'), /\(sensitive\)/);
});
