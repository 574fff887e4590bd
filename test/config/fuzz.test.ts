// A table of broken inputs: each must fail as a ConfigError (never a crash, never another error)
// and every diagnostic must point somewhere real.
import t from 'tap';
import { loadConfig } from '../../src/config/index.js';
import { ConfigError } from '../../src/util/errors.js';
import { UUID, withImages } from '../fixtures/config/helpers.js';

const img = (body: string): string => withImages(`  a:\n${body}`);
const base = '    provider: prod\n    name: a\n    type: ISO_IMAGE\n';

const cases: Record<string, string | Record<string, string>> = {
  'plain scalar document': 'hello\n',
  'a list document': '- 1\n- 2\n',
  'null document with comment only': '# nothing\n',
  'two documents': 'version: 1\n---\nversion: 1\n',
  'unclosed flow map': 'version: 1\nimages: {a: 1\n',
  'bad indentation': 'version: 1\n  images: {}\n',
  'tab indentation': 'version: 1\nimages:\n\ta: {}\n',
  'duplicate top-level key': 'version: 1\nversion: 1\n',
  'version as string': "version: '1'\n",
  'state not a map': 'version: 1\nstate: x\n',
  'state path empty': "version: 1\nstate: { path: '' }\n",
  'providers is a list': 'version: 1\nproviders: [a]\n',
  'provider without driver': 'version: 1\nproviders:\n  p: { endpoint: https://x }\n',
  'provider name invalid': "version: 1\nproviders:\n  'p q': { driver: nutanix }\n",
  'provider block is a scalar': 'version: 1\nproviders:\n  p: nutanix\n',
  'provider unknown key': 'version: 1\nproviders:\n  p: { driver: nutanix, endpiont: https://x }\n',
  'include not a list': 'version: 1\ninclude: images/*.yaml\n',
  'include a number': 'version: 1\ninclude: [3]\n',
  'images is a scalar': 'version: 1\nimages: yes\n',
  'image is a list': img('    - 1\n'),
  'image without provider': withImages('  a: { name: a }\n'),
  'image name wrong type': img('    provider: prod\n    name: [a]\n    type: ISO_IMAGE\n    source: { url: https://x }\n'),
  'source url bad scheme': img(`${base}    source: { url: ftp://x }\n`),
  'source neither url nor ext_id': img(`${base}    source: {}\n`),
  'ext_id a ref with bad format': img(`${base}    source: { ext_id: { ref: nodot } }\n`),
  'ref object with extra key': img(`${base}    source: { ext_id: { ref: a.id, x: 1 } }\n`),
  'category ids not unique uuid': img(`${base}    source: { url: https://x }\n    category_ext_ids: [1, 2]\n`),
  'lookup without name': img(`${base}    source: { url: https://x }\n    cluster_location_ext_ids: [{ lookup: cluster }]\n`),
  'depends_on with a bad address': img(`${base}    source: { url: https://x }\n    depends_on: ['a.b']\n`),
  'lifecycle a list': img(`${base}    source: { url: https://x }\n    lifecycle: []\n`),
  'checksum object_type wrong': img(`${base}    source: { url: https://x }\n    checksum: { hex_digest: ${'a'.repeat(40)}, object_type: md5 }\n`),
  'basic_auth literal number password': img(`${base}    source: { url: https://x, basic_auth: { username: u, password: 1 } }\n`),
  'secret env empty name': img(`${base}    source: { url: https://x, basic_auth: { username: u, password: { env: '' } } }\n`),
  'alias to an undefined anchor': 'version: 1\nimages: *nope\n',
  'drift not an object': 'version: 1\ndrift: daily\n',
  'included file broken': { 'imagectl.yaml': 'version: 1\ninclude: [more.yaml]\n', 'more.yaml': 'images: [\n' },
  'included file with a list of images': { 'imagectl.yaml': 'version: 1\ninclude: [more.yaml]\n', 'more.yaml': 'images: [1]\n' },
  'ext_id uuid in wrong case form': img(`${base}    source: { ext_id: ${UUID.toUpperCase()}x }\n`),
};

for (const [name, input] of Object.entries(cases)) {
  t.test(name, async (t) => {
    const files = typeof input === 'string' ? { 'imagectl.yaml': input } : input;
    const cwd = t.testdir(files);
    const err = await loadConfig({ cwd }).catch((e: unknown) => e);
    t.type(err, ConfigError, 'throws ConfigError');
    const ds = err instanceof ConfigError ? err.diagnostics : [];
    t.ok(ds.length > 0, 'has diagnostics');
    for (const d of ds) {
      t.ok(d.file.length > 0 && Object.keys(files).includes(d.file), `file ${d.file}`);
      t.ok(Number.isInteger(d.line) && d.line >= 1, `line ${d.line}`);
      t.ok(Number.isInteger(d.col) && d.col >= 1, `col ${d.col}`);
      t.ok(d.message.length > 0);
    }
  });
}
