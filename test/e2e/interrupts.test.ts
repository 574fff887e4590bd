// Output closed early and interrupts, through the built CLI: `plan | head -1` and
// `state list | head -1` end quietly and leave no lock; Ctrl-C or SIGTERM at the `yes` prompt
// (in a real pseudo-terminal) ends with "interrupted", exit 1, and the lock released.
import t, { type Test } from 'tap';
import { execa } from 'execa';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN } from './support.js';

const CONFIG = (n: number) => `version: 1
providers:
  lab: { driver: nutanix, simulator: true }
images:
${Array.from({ length: n }, (_, i) => `  img-${i}:
    provider: lab
    name: img-${i}
    type: ISO_IMAGE
    source: { url: http://images.example.com/${i}.iso }
`).join('')}`;

const locks = (dir: string): string[] => (existsSync(join(dir, '.imagectl')) ? readdirSync(join(dir, '.imagectl')).filter((f) => f.includes('.lock')) : []);

/** Runs the CLI with its stdout closed by the reader at once, as `| head -1` does after a line. */
async function closedEarly(dir: string, args: string[]): Promise<{ code: number; stderr: string }> {
  const child = execa('node', [BIN, ...args], { cwd: dir, env: { NO_COLOR: '1' }, reject: false, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' });
  child.stdout.destroy();
  const r = await child;
  return { code: r.exitCode ?? -1, stderr: String(r.stderr) };
}

t.test('plan | head and state list | head: no stack trace, no lock left', async (t) => {
  const dir = t.testdir({ 'imagectl.yaml': CONFIG(3) });
  const applied = await execa('node', [BIN, 'apply', '--auto-approve'], { cwd: dir, env: { NO_COLOR: '1' }, reject: false, stdin: 'ignore' });
  t.equal(applied.exitCode, 0, String(applied.stderr));
  for (const args of [['plan'], ['state', 'list'], ['drift']]) {
    const r = await closedEarly(dir, args);
    t.notMatch(r.stderr, /EPIPE|\n\s+at |internal error/, `${args.join(' ')}: quiet (${r.stderr})`);
    t.ok(r.code === 0 || r.code === 1 || r.code === 141, `${args.join(' ')}: a clean exit (${r.code})`);
    t.same(locks(dir), [], `${args.join(' ')}: no lock left`);
  }
});

/** The process's end, or 'hung' after 60 s; the timer is cleared so it never holds the test open. */
async function orHung<T>(p: Promise<T>): Promise<T | 'hung'> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((res) => (timer = setTimeout(() => res('hung'), 60_000)));
  try {
    return await Promise.race([p, hung]);
  } finally {
    clearTimeout(timer);
  }
}

/** The CLI in a pseudo-terminal (python's pty module), so `apply` asks its question. */
function inTerminal(t: Test, dir: string, args: string[]) {
  const py = 'import pty, sys, os\nstatus = pty.spawn(sys.argv[1:])\nsys.exit(os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else status >> 8)';
  const child = execa('python3', ['-c', py, 'node', BIN, ...args], { cwd: dir, env: { NO_COLOR: '1', TERM: 'dumb' }, reject: false, stdin: 'pipe', all: true });
  let out = '';
  child.all?.on('data', (d: Buffer) => (out += d.toString()));
  const waitFor = async (re: RegExp): Promise<void> => {
    for (let i = 0; i < 600 && !re.test(out); i++) await new Promise((r) => setTimeout(r, 100));
    if (!re.test(out)) t.fail(`never saw ${String(re)} in:\n${out}`);
  };
  t.teardown(() => void child.kill('SIGKILL'));
  return { child, waitFor, output: () => out };
}

/** The node process the pty wrapper started. */
function nodeChild(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/);
  return Number(children[0]);
}

t.test('Ctrl-C at the yes prompt: exit 1 "interrupted", lock released, nothing changed', async (t) => {
  const dir = t.testdir({ 'imagectl.yaml': CONFIG(1) });
  const term = inTerminal(t, dir, ['apply']);
  await term.waitFor(/Enter a value:/);
  t.ok(locks(dir).length > 0, 'the run holds its lock while asking');
  term.child.stdin?.write('\x03');
  const r = await orHung(term.child);
  t.not(r, 'hung', `the prompt gave way to Ctrl-C:\n${term.output()}`);
  t.equal(typeof r === 'object' ? r.exitCode : undefined, 1, term.output());
  t.match(term.output(), /interrupted/i);
  t.notMatch(term.output(), /\n\s+at /);
  t.same(locks(dir), [], 'the lock is released');
  t.notOk(existsSync(join(dir, '.imagectl', 'state.json')) && Object.keys(JSON.parse(readFileSync(join(dir, '.imagectl', 'state.json'), 'utf8')).resources ?? {}).length > 0, 'nothing was created');
});

t.test('SIGTERM at the yes prompt: the same', async (t) => {
  const dir = t.testdir({ 'imagectl.yaml': CONFIG(1) });
  writeFileSync(join(dir, 'unused'), '');
  const term = inTerminal(t, dir, ['apply']);
  await term.waitFor(/Enter a value:/);
  process.kill(nodeChild(term.child.pid as number), 'SIGTERM');
  const r = await orHung(term.child);
  t.not(r, 'hung', `SIGTERM ended the prompt:\n${term.output()}`);
  t.equal(typeof r === 'object' ? r.exitCode : undefined, 1, term.output());
  t.match(term.output(), /interrupted/i);
  t.same(locks(dir), [], 'the lock is released');
});

t.test('a second interrupt during an apply stops waiting for calls in flight', async (t) => {
  const dir = t.testdir({ 'imagectl.yaml': CONFIG(1) });
  // Every task takes about 200 s, and the grace period is 10 minutes: only the second interrupt ends this.
  const env = { NO_COLOR: '1', IMAGECTL_SIMULATOR_FAULTS: JSON.stringify({ slowTaskRate: 1, slowTaskFactor: 1000 }) };
  const child = execa('node', [BIN, 'apply', '--auto-approve', '--grace-period', '10m'], { cwd: dir, env, reject: false, stdin: 'ignore', all: true });
  t.teardown(() => void child.kill('SIGKILL'));
  let out = '';
  child.all?.on('data', (d: Buffer) => (out += d.toString()));
  const waitFor = async (re: RegExp): Promise<void> => {
    for (let i = 0; i < 600 && !re.test(out); i++) await new Promise((r) => setTimeout(r, 100));
  };
  await waitFor(/Creating\.\.\./);
  child.kill('SIGINT');
  await waitFor(/Interrupt received/);
  child.kill('SIGINT');
  const r = await orHung(child);
  t.not(r, 'hung', `the second interrupt ended the run:\n${out}`);
  t.equal(typeof r === 'object' ? r.exitCode : undefined, 130, out);
  t.match(out, /Second interrupt/);
  t.same(locks(dir), [], 'the lock is released');
  const state = JSON.parse(readFileSync(join(dir, '.imagectl', 'state.json'), 'utf8')) as { pending: Record<string, unknown> };
  t.equal(Object.keys(state.pending).length, 1, 'the call in flight stays journaled for the next apply');
});
