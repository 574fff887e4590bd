// What `imagectl validate` loads. Start-up is most of a CI validate job (target: under 400 ms on
// the quickstart), and most of it was modules validate never uses: the drivers' HTTP stack
// (undici), the plugin runner (execa), cosmiconfig when -c names the file, ajv's compiler (the
// built-in schema is built ahead of time, into dist/validators/), the state stores, simulators and renderers.
// Runs the BUILT CLI (dist/, made by `npm test` before tap) with a module recorder preloaded.
import t, { type Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '../..');
const recorder = join(import.meta.dirname, '../support/record-loads.mjs');
// Node records a module by its real path: where node_modules is a symlink (a git worktree sharing
// one), its files are named here as node_modules/... again, or every pattern on them is vacuous.
const modules = realpathSync(join(root, 'node_modules'));
const named = (f: string): string => (f.startsWith(`${modules}/`) ? join('node_modules', f.slice(modules.length + 1)) : relative(root, f));

/** `files` are written into the test's folder first (args may name them by their path there). */
function loadedBy(args: string[], t: Test, files: Record<string, string> = {}): string[] {
  const out = join(t.testdir(files), 'loads.txt');
  const r = spawnSync(process.execPath, ['--import', recorder, join(root, 'bin/imagectl.js'), ...args], {
    cwd: root,
    env: { ...process.env, RECORD_LOADS: out, NO_COLOR: '1' },
    encoding: 'utf8',
  });
  t.equal(r.status, 0, r.stderr);
  return [...new Set(readFileSync(out, 'utf8').split('\n').filter(Boolean).map(named))];
}

const NEVER_FOR_VALIDATE: [RegExp, string][] = [
  [/^node_modules\/(undici|execa|cosmiconfig|pg|fast-json-patch)\//, 'a dependency validate does not use'],
  [/^node_modules\/ajv\/dist\/(core|ajv|2020|compile\/)/, "ajv's compiler (the built-in schema is built ahead of time)"],
  [/^node_modules\/ajv-formats\/dist\/index/, "ajv-formats' plugin (the built code needs only its formats)"],
  [/^dist\/(simulators|render|apply|state|plan-pipeline|recovery|providers|planner|drift)\//, 'what plan and apply need'],
  [/^dist\/drivers\/(http\/|nutanix\/session|numspot\/session|external\/(?!spec|protocol))/, "a driver's connection code"],
];

t.test('validate -c FILE loads the config layer and nothing it does not use', async (t) => {
  const loaded = loadedBy(['validate', '-c', 'examples/quickstart/imagectl.yaml'], t);
  t.ok(loaded.includes('dist/validators/config.cjs'), 'the recorder sees the built validators');
  t.ok(loaded.some((f) => f.startsWith('node_modules/ajv-formats/')), 'and CommonJS dependencies');
  t.ok(loaded.some((f) => f.startsWith('node_modules/yaml/')), 'yaml, the one YAML reader, reads every config');
  for (const [pattern, what] of NEVER_FOR_VALIDATE) {
    t.same(loaded.filter((f) => pattern.test(f)), [], `not loaded: ${what}`);
  }
});
