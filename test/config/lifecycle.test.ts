import t from 'tap';
import { toPointer } from '../../src/config/lifecycle.js';
import { diagnostics, lines, load, withImages } from '../fixtures/config/helpers.js';

const iso = (lifecycle: string): string =>
  withImages(`  a:\n    provider: prod\n    name: a\n    type: ISO_IMAGE\n    source: { url: https://x/a.iso }\n    lifecycle: ${lifecycle}\n`);

t.test('ignore_changes entries are normalised to JSON Pointers, duplicates dropped', async (t) => {
  const c = await load(t, {
    'imagectl.yaml': iso("{ prevent_destroy: true, ignore_changes: [description, /description, source.url, '/checksum/hex_digest'] }"),
  });
  t.same(c.images['a']?.lifecycle, { prevent_destroy: true, ignore_changes: ['/description', '/source/url', '/checksum/hex_digest'] });
});

t.test('toPointer', async (t) => {
  t.equal(toPointer('description'), '/description');
  t.equal(toPointer('source.basic_auth.username'), '/source/basic_auth/username');
  t.equal(toPointer('/already/pointer'), '/already/pointer');
  t.equal(toPointer('a~b'), '/a~0b');
});

t.test('an ignore_changes entry naming no field is a positioned error', async (t) => {
  const ds = await diagnostics(t, { 'imagectl.yaml': iso('{ ignore_changes: [descripton, source.ulr, name] }') });
  t.same(lines(ds), [
    "imagectl.yaml:13:35: images.a.lifecycle.ignore_changes[0]: 'descripton' is not a field of nutanix images (did you mean 'description'?)",
    "imagectl.yaml:13:47: images.a.lifecycle.ignore_changes[1]: 'source.ulr' is not a field of nutanix images (did you mean 'url'?)",
  ]);
});

t.test('lifecycle keys are checked by the schema', async (t) => {
  const ds = await diagnostics(t, { 'imagectl.yaml': iso('{ prevent_destroy: yes, ignore: [] }') });
  t.same(lines(ds), [
    'imagectl.yaml:13:35: images.a.lifecycle.prevent_destroy: must be true or false',
    "imagectl.yaml:13:40: images.a.lifecycle.ignore: unknown field 'ignore' (did you mean 'ignore_changes'?)",
  ]);
});
