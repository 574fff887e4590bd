// The built CLI's own words: its version in three spellings, suggestions for typos, FORCE_COLOR.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import { BIN } from './support.js';

// The test's own FORCE_COLOR/NO_COLOR (tap sets some) must not decide what the child does.
const { FORCE_COLOR: _f, NO_COLOR: _n, ...quiet } = process.env;
const run = (args: string[], env: Record<string, string> = {}) =>
  execa('node', [BIN, ...args], { reject: false, env: { ...quiet, ...env }, extendEnv: false });

t.test('version, -v and --version print package.json version', async (t) => {
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  for (const spelling of ['version', '-v', '--version']) {
    const r = await run([spelling]);
    t.equal(r.exitCode, 0, spelling);
    t.equal(r.stdout, `imagectl ${version}`, spelling);
  }
});

t.test('a mistyped command or flag gets a suggestion', async (t) => {
  let r = await run(['paln']);
  t.equal(r.exitCode, 1);
  t.match(r.stderr, "unknown command 'paln' (did you mean 'plan'?)");
  r = await run(['plan', '--taget', 'x']);
  t.equal(r.exitCode, 1);
  t.match(r.stderr, 'did you mean --target?');
});

t.test('FORCE_COLOR colours output that is not a terminal; --no-color still wins', async (t) => {
  const dir = t.testdir({ 'imagectl.yaml': 'version: 1\nimages: {}\n' });
  const plan = (extra: string[], env: Record<string, string>) => run(['plan', '-c', `${dir}/imagectl.yaml`, ...extra], env);
  t.notMatch((await plan([], {})).stdout, '\u001b[', 'a pipe gets no colour');
  t.match((await plan([], { FORCE_COLOR: '1' })).stdout, '\u001b[', 'FORCE_COLOR=1 colours it');
  t.notMatch((await plan(['--no-color'], { FORCE_COLOR: '1' })).stdout, '\u001b[', '--no-color wins');
});
