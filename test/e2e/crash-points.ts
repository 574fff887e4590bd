// kill -9 at the points where each recovery path begins, for create, update and delete
// (IMAGECTL_TEST_KILL_AT, src/apply/kill-points.ts): before the call (the intent alone), after
// the task id is journaled (recovery follows the task), after the cloud acted (recovery adopts
// the result). Each rerun must converge: no duplicate, no orphan, no leftover intent. A kill
// after a delay (crash.test.ts) almost always lands before a task id is journaled, so it
// exercised only the first path: recovery dropping a `created` result went unnoticed.
// One test file per driver (crash-points-*.test.ts) so the two run side by side.
import type { Test } from 'tap';
import { execa } from 'execa';
import { BIN, cli, config, type Cli } from './support.js';

type Action = 'create' | 'update' | 'delete';
type Point = 'before-call' | 'after-task-id' | 'after-cloud-acted';
type Seen = { id: string; name: string; mark: string | undefined };

export interface DriverCase {
  address: string;
  /** The image's YAML; `mark` is a field updated in place (description, or a tag on Numspot). */
  yaml: (mark: string) => string;
  images: (c: Cli) => Seen[];
  /** The kill points this driver reaches: Numspot answers only a create with an id before it is done. */
  points: (action: Action) => Point[];
}

const ALL: Point[] = ['before-call', 'after-task-id', 'after-cloud-acted'];

export const NUTANIX: DriverCase = {
  address: 'nx',
  yaml: (mark) => `  nx:
    provider: prod
    name: kill-nx
    description: ${mark}
    type: DISK_IMAGE
    source: { url: http://images.example.com/kill.qcow2 }
`,
  images: (c) => (c.sim.listImages() as { extId: string; name: string; description?: string }[]).map((i) => ({ id: i.extId, name: i.name, mark: i.description })),
  points: () => ALL,
};

export const NUMSPOT: DriverCase = {
  address: 'ns',
  yaml: (mark) => `  ns:
    provider: eu
    name: kill-ns
    source_image_id: ami-dc3f861d
    source_region_name: cloudgouv-eu-west-1
    tags: [{ key: stage, value: ${mark} }]
`,
  images: (c) => (c.numspot.listImages() as { id: string; name: string; tags?: { key: string; value: string }[] }[])
    .map((i) => ({ id: i.id, name: i.name, mark: i.tags?.find((x) => x.key === 'stage')?.value })),
  points: (action) => (action === 'create' ? ALL : ['before-call', 'after-cloud-acted']),
};

function apply(c: Cli, extra: string[], env: Record<string, string> = {}) {
  return execa('node', [BIN, 'apply', '--auto-approve', ...extra], { cwd: c.dir, env: { ...c.env, ...env }, reject: false, extendEnv: true, stdin: 'ignore' });
}

async function scenario(t: Test, d: DriverCase, action: Action, point: Point): Promise<void> {
  const c = await cli(t.testdir(), { taskDurationMs: 300 }, { pendingMs: 300 });
  t.teardown(() => c.close());
  // Removing the only image needs --allow-empty (a guard against an emptied config).
  const extra = action === 'delete' ? ['--allow-empty'] : [];
  if (action !== 'create') {
    c.write(config(d.yaml('first')));
    const setup = await apply(c, []);
    t.equal(setup.exitCode, 0, String(setup.stdout) + String(setup.stderr));
  }
  c.write(action === 'delete' ? config('  {}\n') : config(d.yaml('second')));
  const killed = await apply(c, extra, { IMAGECTL_TEST_KILL_AT: `${point}:${action}:${d.address}` });
  t.equal(killed.signal, 'SIGKILL', `killed at ${point} (exit ${String(killed.exitCode)}): ${String(killed.stdout).slice(-300)}${String(killed.stderr).slice(-300)}`);
  t.equal(Object.keys(c.state().pending).length, 1, 'the killed run left its intent');

  const r = await apply(c, extra);
  t.equal(r.exitCode, 0, String(r.stdout) + String(r.stderr));
  t.match(String(r.stdout), new RegExp(`resolved an interrupted ${action}`));
  const st = c.state();
  t.same(st.pending, {}, 'no leftover intent');
  const images = d.images(c);
  const inState = Object.values(st.resources).map((x) => x.id).sort();
  t.same(images.map((i) => i.id).sort(), inState, 'no orphan: the cloud holds exactly the images in the state');
  t.equal(images.length, action === 'delete' ? 0 : 1, 'no duplicate');
  if (action !== 'delete') t.equal(images[0]?.mark, 'second', 'the image is as configured');
  const plan = await execa('node', [BIN, 'plan', '--detailed-exitcode', ...extra], { cwd: c.dir, env: c.env, reject: false, extendEnv: true, stdin: 'ignore' });
  t.equal(plan.exitCode, 0, String(plan.stdout) + String(plan.stderr));
}

export function killPointTests(t: Test, name: string, d: DriverCase): void {
  for (const action of ['create', 'update', 'delete'] as const) {
    for (const point of d.points(action)) {
      t.test(`${name} ${action}, killed ${point}: the rerun converges`, (t) => scenario(t, d, action, point));
    }
  }
}
