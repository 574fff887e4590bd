// What `imagectl validate` loads. Start-up is most of a CI validate job (target: under 400 ms on
// the quickstart), and most of it was modules validate never uses: the drivers' HTTP stack
// (undici), the plugin runner (execa), cosmiconfig when -c names the file, ajv's compiler (the
// built-in schema is compiled ahead of time), the state stores, simulators and renderers.
// Runs the BUILT CLI (dist/, made by `npm test` before tap) with a module recorder preloaded.
import t, { type Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '../..');
const recorder = join(import.meta.dirname, '../support/record-loads.mjs');

/** `files` are written into the test's folder first (args may name them by their path there). */
function loadedBy(args: string[], t: Test, files: Record<string, string> = {}): string[] {
  const out = join(t.testdir(files), 'loads.txt');
  const r = spawnSync(process.execPath, ['--import', recorder, join(root, 'bin/imagectl.js'), ...args], {
    cwd: root,
    env: { ...process.env, RECORD_LOADS: out, NO_COLOR: '1' },
    encoding: 'utf8',
  });
  t.equal(r.status, 0, r.stderr);
  return [...new Set(readFileSync(out, 'utf8').split('\n').filter(Boolean).map((f) => relative(root, f)))];
}

const NEVER_FOR_VALIDATE: [RegExp, string][] = [
  [/^node_modules\/(undici|execa|cosmiconfig|pg|fast-json-patch)\//, 'a dependency validate does not use'],
  [/^node_modules\/yaml\//, 'yaml (the quickstart is plain YAML, which the fast reader reads; yaml loads for anything else)'],
  [/^node_modules\/ajv\/dist\/(core|ajv|2020|compile\/)/, "ajv's compiler (the built-in schema is compiled ahead of time)"],
  [/^node_modules\/ajv-formats\/dist\/index/, "ajv-formats' plugin (the generated code needs only its formats)"],
  [/^dist\/(simulators|render|apply|state|plan-pipeline|recovery|providers|planner|drift)\//, 'what plan and apply need'],
  [/^dist\/drivers\/(http\/|nutanix\/session|numspot\/session|external\/(?!spec|protocol))/, "a driver's connection code"],
];

t.test('validate -c FILE loads the config layer and nothing it does not use', async (t) => {
  const loaded = loadedBy(['validate', '-c', 'examples/quickstart/imagectl.yaml'], t);
  t.ok(loaded.includes('dist/config/generated/config-validators.js'), 'the recorder sees the ahead-of-time validators');
  t.ok(loaded.some((f) => f.startsWith('node_modules/ajv-formats/')), 'and CommonJS dependencies');
  for (const [pattern, what] of NEVER_FOR_VALIDATE) {
    t.same(loaded.filter((f) => pattern.test(f)), [], `not loaded: ${what}`);
  }
});

t.test('a config outside the fast reader\'s YAML is read by yaml, loaded then', async (t) => {
  const config = 'version: 1\nproviders:\n  lab: &lab { driver: nutanix, simulator: true }\nimages: {}\n';
  const loaded = loadedBy(['validate', '-c', join(t.testdirName, 'imagectl.yaml')], t, { 'imagectl.yaml': config });
  t.ok(loaded.some((f) => f.startsWith('node_modules/yaml/')));
});
