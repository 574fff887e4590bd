// Secret values must never reach the state, backups, plan files or any output.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allFiles, cli, config, SECRETS } from './support.js';

const WRONG = 'Wr0ng-"pass"\\word-5521';

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
  const keep = <R extends { stdout: string; stderr: string }>(r: R): R => {
    outputs.push(r.stdout, r.stderr);
    return r;
  };
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
  // A wrong provider password (a hostile one, which servers quote escaped): the error path must
  // fail, say why, and echo neither it nor the right one.
  c.env.NUTANIX_PASSWORD = WRONG;
  const before = c.sim.exchanges.length;
  const drift = keep(await c.run(['drift']));
  t.equal(drift.code, 4, 'the image cannot be checked: ' + drift.stdout + drift.stderr);
  t.match(drift.stdout + drift.stderr, /HTTP 401.*Authentication failed/, 'the refusal is named');
  // plan names it too (that plan and refresh-only must also exit 1 is tested with issue 14 §5).
  for (const args of [['plan'], ['plan', '--json']]) {
    const bad = keep(await c.run(args));
    t.match(bad.stdout + bad.stderr, /HTTP 401/, `${args.join(' ')} reports the refused credentials`);
  }
  keep(await c.run(['apply', '--auto-approve', '--refresh-only']));
  const tried = c.sim.exchanges.slice(before).map((e) => e.headers['authorization'] ?? '');
  const wrongBasic = `Basic ${Buffer.from(`admin:${WRONG}`).toString('base64')}`;
  t.ok(tried.length > 0 && tried.every((h) => h === wrongBasic), 'every request really carried the wrong password');
  t.ok(c.sim.exchanges.slice(before).every((e) => e.status === 401), 'and the simulator refused each');
  c.env.NUTANIX_PASSWORD = SECRETS.password;

  const sent = c.sim.exchanges.find((e) => e.method === 'POST');
  t.match(JSON.stringify(sent?.body), SECRETS.sourcePassword, 'the driver did send the source password to the API');
  const files = [...allFiles(join(c.dir, '.imagectl')), { path: 'plan.json', text: readFileSync(join(c.dir, 'plan.json'), 'utf8') }];
  t.ok(files.length >= 2);
  for (const secret of [...Object.values(SECRETS), WRONG, JSON.stringify(WRONG).slice(1, -1), Buffer.from(`admin:${WRONG}`).toString('base64')]) {
    for (const f of files) t.notOk(f.text.includes(secret), `${f.path} does not contain a secret`);
    for (const o of outputs) t.notOk(o.includes(secret), 'output does not contain a secret');
  }
  t.match(outputs.join('\n'), /\(sensitive\)/);
});
