// End to end through the built CLI (npm test builds dist/ first): a config whose state lives in
// PostgreSQL and whose Nutanix provider is the built-in simulator. apply then plan shows no
// changes; history, pull and lock-info work; a run held by another names the holder or waits;
// file → postgres → file keeps lineage and serial; the password is never printed.
import t from 'tap';
import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN } from '../../e2e/support.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileSchema, needsDb, opener, sql, uniqueName, url } from './fixtures/database.js';

const schema = needsDb.skip ? '' : fileSchema(t);

const images = `images:
  golden:
    provider: lab
    name: golden-1
    type: DISK_IMAGE
    source: { url: http://images.example.com/golden-1.qcow2 }
  iso:
    provider: lab
    name: tools
    type: ISO_IMAGE
    source: { url: http://images.example.com/tools.iso }
`;

function config(backend: 'local' | 'postgres', workspace: string): string {
  return `version: 1
state: { backend: ${backend}, url: { env: IMAGECTL_PG_URL }, schema: ${schema}, workspace: ${workspace} }
providers:
  lab: { driver: nutanix, simulator: true }
${images}`;
}

function cli(dir: string) {
  const outputs: string[] = [];
  const run = async (...args: string[]) => {
    const r = await execa('node', [BIN, ...args], { cwd: dir, reject: false, env: { IMAGECTL_PG_URL: url(), NO_COLOR: '1' }, stdin: 'ignore' });
    const res = { code: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
    outputs.push(res.stdout, res.stderr);
    return res;
  };
  return { run, outputs };
}

t.test('apply then plan on a postgres state: no changes; history, pull, lock-info', needsDb, async (t) => {
  const dir = t.testdir();
  const ws = uniqueName('cli');
  writeFileSync(join(dir, 'imagectl.yaml'), config('postgres', ws));
  const { run, outputs } = cli(dir);
  const applied = await run('apply', '--auto-approve');
  t.equal(applied.code, 0, applied.stdout + applied.stderr);
  const plan = await run('plan', '--detailed-exitcode');
  t.equal(plan.code, 0, plan.stdout + plan.stderr);
  const history = await run('state', 'history');
  t.equal(history.code, 0, history.stderr);
  t.match(history.stdout, /^SERIAL +SAVED/);
  t.match(history.stdout, /`apply`/, 'who wrote each generation');
  const serials = [...history.stdout.matchAll(/^(\d+) /gm)].map((m) => Number(m[1]));
  t.ok(serials.length >= 3 && serials[0]! > serials.at(-1)!, `generations newest first: ${serials.join(',')}`);
  const pulled = JSON.parse((await run('state', 'pull', '--serial', String(serials.at(-1)))).stdout) as { serial: number; lineage: string };
  const current = JSON.parse((await run('state', 'pull')).stdout) as { serial: number; lineage: string; resources: Record<string, unknown>; pending: object };
  t.equal(pulled.serial, serials.at(-1));
  t.equal(pulled.lineage, current.lineage);
  t.same(Object.keys(current.resources).sort(), ['golden', 'iso']);
  t.same(current.pending, {});
  t.match((await run('state', 'lock-info')).stdout, /is not locked/);
  t.notMatch(outputs.join('\n'), new URL(url()).password || '\u0000', 'the password is never printed');
});

t.test('a run held by another: fails naming the holder, or waits with --lock-timeout', needsDb, async (t) => {
  const dir = t.testdir();
  const ws = uniqueName('cli');
  writeFileSync(join(dir, 'imagectl.yaml'), config('postgres', ws));
  const { run } = cli(dir);
  const holder = opener(t, schema, ws)();
  const lock = await holder.lock({ command: 'imagectl apply (runner 2)', mode: 'exclusive', timeout_ms: 0 });
  const refused = await run('apply', '--auto-approve');
  t.equal(refused.code, 1);
  t.match(refused.stderr, `is locked by another imagectl run`);
  t.match(refused.stderr, `${lock.info.id} (exclusive): ${lock.info.user}@${lock.info.host}, pid ${process.pid}, \`imagectl apply (runner 2)\``);
  t.match((await run('state', 'lock-info')).stdout, lock.info.id);
  const waiting = run('apply', '--auto-approve', '--lock-timeout', '60s');
  // Release only once the CLI is queued on the lock (its session shows a lock wait).
  for (let i = 0; i < 300; i++) {
    const [row] = await sql<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'imagectl lock' AND wait_event_type = 'Lock'`);
    if (Number(row?.n) > 0) break;
    await sleep(100);
  }
  await lock.release();
  const waited = await waiting;
  t.equal(waited.code, 0, waited.stdout + waited.stderr);
  t.match(waited.stderr, /waiting up to 60s/);
});

t.test('migrate file → postgres → file keeps lineage and serial', needsDb, async (t) => {
  const dir = t.testdir();
  const ws = uniqueName('cli');
  const { run } = cli(dir);
  writeFileSync(join(dir, 'imagectl.yaml'), config('local', ws));
  t.equal((await run('apply', '--auto-approve')).code, 0);
  const local = JSON.parse(readFileSync(join(dir, '.imagectl/state.json'), 'utf8')) as { lineage: string; serial: number };
  const up = await run('state', 'migrate', '--to', 'postgres');
  t.equal(up.code, 0, up.stderr);
  t.match(up.stdout, `Copied lineage ${local.lineage} serial ${local.serial}`);
  t.match(up.stdout, 'Now set `backend: postgres`');
  writeFileSync(join(dir, 'imagectl.yaml'), config('postgres', ws));
  t.equal((await run('plan', '--detailed-exitcode')).code, 0, 'the copied state is complete: no changes');
  const down = await run('state', 'migrate', '--to', 'local', '--path', 'back.json');
  t.equal(down.code, 0, down.stderr);
  t.match(JSON.parse(readFileSync(join(dir, 'back.json'), 'utf8')), { lineage: local.lineage, serial: local.serial });
  writeFileSync(join(dir, 'other.json'), JSON.stringify({ ...JSON.parse(readFileSync(join(dir, 'back.json'), 'utf8')), lineage: '00000000-0000-4000-8000-000000000000' }));
  const refused = await run('state', 'migrate', '--to', 'local', '--path', 'other.json');
  t.equal(refused.code, 1);
  t.match(refused.stderr, /holds another lineage \(00000000-0000-4000-8000-000000000000/);
});
