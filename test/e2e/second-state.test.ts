// Two states on one space (issue 14 §4): state A made Numspot image x; state B (another folder,
// same config, same space) was killed right after journaling its own create of x. B's rerun
// adopted A's image (same address tag, same name) and would then destroy it. It must not: the
// image carries A's lineage, so B's create is settled as not made, and B's new create meets
// Numspot's 409 with a message naming the other state.
import t from 'tap';
import { execa } from 'execa';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, cli, config } from './support.js';

const yaml = config(`  x:
    provider: eu
    name: shared-x
    source_image_id: ami-dc3f861d
    source_region_name: cloudgouv-eu-west-1
`);

t.test("a second state's recovery never adopts the first state's image", async (t) => {
  const root = t.testdir();
  const dirA = join(root, 'a');
  const dirB = join(root, 'b');
  mkdirSync(dirA);
  mkdirSync(dirB);
  const c = await cli(dirA);
  t.teardown(() => c.close());
  const run = (dir: string, args: string[], env: Record<string, string> = {}) =>
    execa('node', [BIN, ...args], { cwd: dir, env: { ...c.env, ...env }, reject: false, extendEnv: true, stdin: 'ignore' });
  const stateOf = (dir: string) => JSON.parse(readFileSync(join(dir, '.imagectl', 'state.json'), 'utf8')) as { resources: Record<string, { id: string }>; pending: object };

  c.write(yaml);
  writeFileSync(join(dirB, 'imagectl.yaml'), yaml);
  // B plans first (no namesake yet, so its plan passes) and is killed right after journaling its
  // create; then A creates the image under the same name. B's rerun must not take it for its own.
  const killed = await run(dirB, ['apply', '--auto-approve'], { IMAGECTL_TEST_KILL_AT: 'before-call:create:x' });
  t.equal(killed.signal, 'SIGKILL', 'B was killed right after journaling its create');
  const a = await run(dirA, ['apply', '--auto-approve']);
  t.equal(a.exitCode, 0, String(a.stdout) + String(a.stderr));
  const aId = stateOf(dirA).resources['x']?.id as string;
  t.ok(aId);

  const b = await run(dirB, ['apply', '--auto-approve']);
  const out = String(b.stdout) + String(b.stderr);
  t.notMatch(out, new RegExp(`adopted ${aId}`), "B did not adopt A's image");
  t.notOk(Object.values(stateOf(dirB).resources).some((r) => r.id === aId), "A's image is not in B's state");
  t.same(stateOf(dirB).pending, {}, "B's interrupted create was settled");
  t.equal(b.exitCode, 1, 'B cannot create x: the name is taken');
  t.match(out, /shared-x.*(another state|does not own)/, 'and says the image is not its own');

  // B gives x up: it has nothing to destroy (before the fix it destroyed A's image here).
  writeFileSync(join(dirB, 'imagectl.yaml'), config('  {}\n'));
  const gone = await run(dirB, ['apply', '--auto-approve', '--allow-empty']);
  t.equal(gone.exitCode, 0, String(gone.stdout) + String(gone.stderr));
  t.ok(c.numspot.listImages().some((i) => (i as { id: string }).id === aId), "A's image still exists");
  const plan = await run(dirA, ['plan', '--detailed-exitcode']);
  t.equal(plan.exitCode, 0, "A's plan is clean: its image is intact");
});
