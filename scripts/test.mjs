#!/usr/bin/env node
// Runs the test suite and ends with the plain line `N passed, N failed` that CI reads.
// tap itself only prints `# { total: N, pass: N, fail: N }`, so we build first (the e2e tests run
// the compiled CLI, and every test loads the validators `npm run build` writes to
// dist/validators/), run tap with the raw TAP reporter, echo it, and summarise its closing comment.
// The exit code is tap's own, so a coverage shortfall or a crashed file still fails the run.
import { spawn, spawnSync } from 'node:child_process';

const build = spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
if (build.status !== 0) {
  console.log('0 passed, 1 failed (build failed)');
  process.exit(1);
}

const args = ['tap', '-Rtap', ...process.argv.slice(2)];
const child = spawn('npx', args, { stdio: ['ignore', 'pipe', 'inherit'] });
let tail = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  tail = (tail + chunk.toString()).slice(-4096);
});
child.on('close', (code) => {
  const m = /# \{ ([^}]*) \}\s*(?:# time=[^\n]*\s*)?$/.exec(tail.trimEnd()) ?? /# \{ ([^}]*) \}/.exec(tail);
  const counts = Object.fromEntries(
    (m?.[1] ?? '').split(',').map((kv) => kv.split(':').map((s) => s.trim())).filter((p) => p.length === 2),
  );
  const pass = Number(counts.pass ?? 0);
  let fail = Number(counts.fail ?? 0);
  const exit = code ?? 1;
  if (exit !== 0 && fail === 0) fail = 1; // coverage shortfall or a runner error still counts as a failure
  const extra = [counts.skip ? `, ${counts.skip} skipped` : '', counts.todo ? `, ${counts.todo} todo` : ''].join('');
  console.log(`${pass} passed, ${fail} failed${extra}`);
  process.exit(exit);
});
