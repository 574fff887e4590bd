// The built validators are the one code path: a missing or outdated build is a clear one-line
// error naming the fix, never a quiet fallback to compiling; and no generated code is in src/.
import t, { type Test } from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImagectlError } from '../../src/util/errors.js';
import { loadBuilt } from '../../src/validators/built.js';
import type { ValidatorBundle } from '../../src/validators/bundle.js';
import { renderBuilt } from '../../src/validators/render.js';

const bundle = (sources: unknown): ValidatorBundle => ({
  name: 'sample',
  register(ajv) {
    ajv.addSchema({ $id: 'https://imagectl.dev/test/sample', type: 'object', required: ['a'], properties: { a: { type: 'string' } } });
    return { sample: 'https://imagectl.dev/test/sample' };
  },
  sources: () => sources,
});

const stale = (t: Test, fn: () => unknown, why: RegExp): void => {
  try {
    fn();
    t.fail('no error');
  } catch (e) {
    t.ok(e instanceof ImagectlError, 'an ImagectlError: one line, no stack trace');
    t.match(e, { code: 'VALIDATORS_STALE', origin: 'internal', message: why });
  }
};

t.test('a bundle that was built loads and validates', async (t) => {
  const dir = t.testdir({ 'sample.cjs': renderBuilt(bundle('v1')) });
  const v = loadBuilt(bundle('v1'), dir)('sample');
  t.ok(v({ a: 'x' }));
  t.notOk(v({ a: 1 }));
  t.equal(v.errors?.[0]?.instancePath, '/a');
});

t.test('a bundle never built: run npm run build', async (t) => {
  const dir = t.testdir({});
  stale(t, () => loadBuilt(bundle('v1'), dir), /^validators are out of date \(sample: .*sample\.cjs is missing\): run npm run build$/);
});

t.test('a bundle built from other schemas: run npm run build', async (t) => {
  const dir = t.testdir({ 'sample.cjs': renderBuilt(bundle('v1')) });
  stale(t, () => loadBuilt(bundle('v2'), dir), /^validators are out of date \(sample: built from other schemas than the ones in the source\): run npm run build$/);
});

t.test('a validator the build did not write: run npm run build', async (t) => {
  const dir = t.testdir({ 'sample.cjs': renderBuilt(bundle('v1')) });
  const built = loadBuilt(bundle('v1'), dir);
  stale(t, () => built('other'), /no validator other\): run npm run build$/);
  stale(t, () => built('digest'), /no validator digest\): run npm run build$/);
});

t.test('a built file that does not load: run npm run build', async (t) => {
  const dir = t.testdir({ 'sample.cjs': 'this is not JavaScript' });
  stale(t, () => loadBuilt(bundle('v1'), dir), /sample\.cjs does not load: .*\): run npm run build$/);
});

t.test('src/ holds no generated validators', async (t) => {
  const src = join(import.meta.dirname, '../../src');
  const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  t.ok(files.length > 50);
  const generated = files.filter((f) => /@ts-nocheck|^\/\/ (Generated|Built) by/m.test(readFileSync(join(src, f), 'utf8')));
  t.same(generated, []);
  t.same(files.filter((f) => f.split('/').includes('generated')), [], 'no generated/ folder');
});
