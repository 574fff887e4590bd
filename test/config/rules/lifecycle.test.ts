import t from 'tap';
import { toPointer } from '../../../src/config/rules/lifecycle.js';
import { diagnostics, lines, load, withImages } from '../../fixtures/config/helpers.js';

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

t.test('allow_duplicate_name: on the image, or for every image of a provider', async (t) => {
  let c = await load(t, { 'imagectl.yaml': iso('{ allow_duplicate_name: true }') });
  t.same(c.images['a']?.lifecycle, { prevent_destroy: false, ignore_changes: [], allow_duplicate_name: true });
  const provider = (img: string): string => withImages(img).replace('    driver: nutanix\n', '    driver: nutanix\n    allow_duplicate_names: true\n');
  c = await load(t, { 'imagectl.yaml': provider(`  a:\n    provider: prod\n    name: a\n    type: ISO_IMAGE\n    source: { url: https://x/a.iso }\n`) });
  t.equal(c.images['a']?.lifecycle.allow_duplicate_name, true, 'from the provider');
  t.notOk('allow_duplicate_names' in (c.providers['prod']?.settings ?? {}), 'not a driver setting');
  c = await load(t, { 'imagectl.yaml': provider(`  a:\n    provider: prod\n    name: a\n    type: ISO_IMAGE\n    source: { url: https://x/a.iso }\n    lifecycle: { allow_duplicate_name: false }\n`) });
  t.notOk(c.images['a']?.lifecycle.allow_duplicate_name, 'the image says no');
  c = await load(t, { 'imagectl.yaml': iso('{ prevent_destroy: true }') });
  t.notOk('allow_duplicate_name' in (c.images['a']?.lifecycle ?? {}), 'absent unless set: digests made before the key stay valid');
  const ds = await diagnostics(t, { 'imagectl.yaml': iso('{ allow_duplicate_name: yes }') });
  t.same(lines(ds), ['imagectl.yaml:13:40: images.a.lifecycle.allow_duplicate_name: must be true or false']);
});
