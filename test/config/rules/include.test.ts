import t from 'tap';
import { expandBraces, glob } from '../../../src/config/rules/glob.js';
import { diagnostics, lines, load, withImages } from '../../fixtures/config/helpers.js';

const img = (name: string): string => `    provider: prod\n    name: ${name}\n    type: ISO_IMAGE\n    source: { url: https://x/${name}.iso }\n`;

t.test('glob: *, ?, ** and {a,b}, sorted, hidden files skipped', async (t) => {
  const dir = t.testdir({
    'a.yaml': '',
    'b.yml': '',
    'c.txt': '',
    '.hidden.yaml': '',
    sub: { 'd.yaml': '', deep: { 'e.yaml': '' } },
    x1: { 'f.yaml': '' },
    x2: { 'g.yaml': '' },
  });
  const rel = async (p: string): Promise<string[]> => (await glob(dir, p)).map((f) => f.slice(dir.length + 1));
  t.same(await rel('*.yaml'), ['a.yaml']);
  t.same(await rel('*.{yaml,yml}'), ['a.yaml', 'b.yml']);
  t.same(await rel('**/*.yaml'), ['a.yaml', 'sub/d.yaml', 'sub/deep/e.yaml', 'x1/f.yaml', 'x2/g.yaml']);
  t.same(await rel('x?/*.yaml'), ['x1/f.yaml', 'x2/g.yaml']);
  t.same(await rel('sub/**/e.yaml'), ['sub/deep/e.yaml']);
  t.same(await rel('.*.yaml'), ['.hidden.yaml']);
  t.same(await rel('c.txt'), ['c.txt']);
  t.same(await rel('nope/*.yaml'), []);
  t.same(expandBraces('a{b,c{d,e}}f'), ['abf', 'acdf', 'acef']);
  t.same(expandBraces('a{b'), ['a{b']);
});

t.test('included image files are merged, in sorted order', async (t) => {
  const c = await load(t, {
    'imagectl.yaml': withImages(`  main:\n${img('main')}`) + 'include: [images/*.yaml, "extra/{one,two}.yml"]\n',
    images: { 'b.yaml': `images:\n  bee:\n${img('bee')}`, 'a.yaml': `images:\n  ay:\n${img('ay')}`, 'empty.yaml': '' },
    extra: { 'one.yml': `images:\n  one:\n${img('one')}` },
  });
  t.same(Object.keys(c.images), ['ay', 'bee', 'main', 'one']);
  t.same(c.images['bee']?.pos, { file: 'images/b.yaml', line: 2, col: 3 });
  t.same(c.images['bee']?.positions['/name'], { file: 'images/b.yaml', line: 4, col: 11 });
  t.equal(c.files?.length, 5);
  t.match(c.files?.[0], /imagectl\.yaml$/);
});

t.test('an address defined in two files names both places', async (t) => {
  const ds = await diagnostics(t, {
    'imagectl.yaml': withImages(`  dup:\n${img('x')}`) + 'include: ["images/*.yaml"]\n',
    images: { 'a.yaml': `images:\n  other:\n${img('o')}  dup:\n${img('y')}`, 'b.yaml': `# b\n\nimages:\n  dup:\n${img('z')}` },
  });
  t.same(lines(ds), [
    "images/a.yaml:7:3: images.dup: address 'dup' is defined twice: at imagectl.yaml:8:3 and at images/a.yaml:7:3",
    "images/b.yaml:4:3: images.dup: address 'dup' is defined twice: at imagectl.yaml:8:3 and at images/b.yaml:4:3",
  ]);
});

t.test('errors inside included files carry their own file name and positions', async (t) => {
  const ds = await diagnostics(t, {
    'imagectl.yaml': withImages('  {}\n') + 'include: [more.yaml, "none/*.yaml", missing.yaml]\n',
    'more.yaml': 'providers: {}\nimages:\n  a:\n    provider: prod\n    name: a\n    type: ISO\n    source: { url: https://x/a.iso }\n',
  });
  t.same(lines(ds), [
    "imagectl.yaml:9:37: include[2]: included file 'missing.yaml' does not exist",
    "more.yaml:1:1: providers: unknown field 'providers'",
    'more.yaml:6:11: images.a.type: must be one of DISK_IMAGE, ISO_IMAGE',
  ]);
});

t.test('a glob matching nothing is a warning, not an error', async (t) => {
  const c = await load(t, { 'imagectl.yaml': 'version: 1\ninclude: ["images/*.yaml"]\n' });
  t.same(c.warnings, ["imagectl.yaml:2:11: warning: include 'images/*.yaml' matched no files"]);
});

t.test('a syntax error in an included file is positioned in that file', async (t) => {
  const ds = await diagnostics(t, {
    'imagectl.yaml': 'version: 1\ninclude: ["*.yml"]\n',
    'bad.yml': 'images:\n  a: {\n',
  });
  t.equal(ds.length, 1);
  t.match(ds[0], { file: 'bad.yml', line: 3 });
});

t.test('the main file is not included twice by a broad glob', async (t) => {
  const c = await load(t, { 'imagectl.yaml': withImages(`  a:\n${img('a')}`) + 'include: ["*.yaml"]\n' });
  t.same(Object.keys(c.images), ['a']);
});
