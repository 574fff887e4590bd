// Bad input, fuzzed: the examples, mutated 1,200 ways (fixed seed) by mutations that each make a
// config invalid by construction: a required key deleted, a value of the wrong type, broken YAML,
// a reference to nothing, a huge string, unicode where it does not belong, a duplicate address
// (in one file and across an include), a dependency cycle. Every case must exit 1 with at least
// one FILE:LINE:COL diagnostic, never a stack trace or an "internal error", and never reach an
// API: the providers point at a loopback server that counts requests.
//
// In process through main(argv, io): a child process per case would take minutes.
import t from 'tap';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli.js';
import { mulberry32 } from '../../src/simulators/http.js';
import { fakeIo } from '../support/fake-io.js';

const CASES = 1200;
const SEED = 424242;
const EXAMPLES = [
  'quickstart/imagectl.yaml', 'nutanix/iso-from-url.yaml', 'nutanix/disk-on-cluster.yaml', 'nutanix/private-source-and-vm-disk.yaml',
  'numspot/image-from-image.yaml', 'numspot/image-from-vm.yaml', 'numspot/image-from-snapshot.yaml',
];


type Rng = () => number;
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

interface Doc {
  lines: string[];
  /** Image addresses (2-space keys under `images:`) with their line index. */
  images: { address: string; line: number }[];
  extra?: Record<string, string>;
}

function parseDoc(text: string): Doc {
  const lines = text.split('\n');
  const images: Doc['images'] = [];
  let inImages = false;
  lines.forEach((l, i) => {
    if (/^\S/.test(l)) inImages = l.startsWith('images:');
    const m = /^ {2}([A-Za-z0-9_-]+):\s*$/.exec(l);
    if (inImages && m?.[1]) images.push({ address: m[1], line: i });
  });
  return { lines, images };
}

/** Lines of the block of the image at `line` (its body, indented by 4 or more). */
function bodyOf(d: Doc, line: number): number[] {
  const out: number[] = [];
  for (let i = line + 1; i < d.lines.length && (/^ {4}/.test(d.lines[i] ?? '') || (d.lines[i] ?? '').trim() === ''); i++) {
    if (/^ {4}\S/.test(d.lines[i] ?? '')) out.push(i);
  }
  return out;
}

const insertAt = (d: Doc, at: number, ...ls: string[]): void => void d.lines.splice(at, 0, ...ls);

/** Each mutation makes the document invalid whatever else it holds; it names what it did. */
const MUTATIONS: Record<string, (d: Doc, r: Rng) => void> = {
  'delete a required key': (d, r) => {
    const img = pick(r, d.images);
    const required = bodyOf(d, img.line).filter((i) => /^ {4}(provider|name):/.test(d.lines[i] ?? ''));
    const victim = pick(r, required);
    // A key's whole block goes (a multi-line value would otherwise be left dangling).
    let end = victim + 1;
    while (end < d.lines.length && /^ {6}/.test(d.lines[end] ?? '')) end++;
    d.lines.splice(victim, end - victim);
  },
  'wrong type for a scalar': (d, r) => {
    const img = pick(r, d.images);
    const scalars = bodyOf(d, img.line).filter((i) => /^ {4}[a-z_]+: [^{[\s#][^#]*$/.test(d.lines[i] ?? ''));
    const i = pick(r, scalars);
    d.lines[i] = (d.lines[i] ?? '').replace(/: .*$/, `: ${pick(r, ['{ zz_wrong_type: [1, 2] }', '[[nested], list]'])}`);
  },
  'wrong type for version': (d, r) => {
    const i = d.lines.findIndex((l) => l.startsWith('version:'));
    d.lines[i] = `version: ${pick(r, ['"one"', '[1]', '2', '{ v: 1 }', 'true'])}`;
  },
  'images as a list': (d) => {
    const i = d.lines.findIndex((l) => l.startsWith('images:'));
    d.lines.splice(i + 1, 0, '  - not: a map');
  },
  'broken YAML: unclosed flow': (d, r) => {
    insertAt(d, 1 + Math.floor(r() * (d.lines.length - 1)), `${' '.repeat(pick(r, [0, 2, 4]))}zz_broken: ${pick(r, ['[unclosed, list', '{ unclosed: map', '"unterminated string'])}`);
  },
  'broken YAML: tab indentation': (d, r) => {
    const img = pick(r, d.images);
    const i = pick(r, bodyOf(d, img.line));
    d.lines[i] = (d.lines[i] ?? '').replace(/^ {4}/, '\t');
  },
  'broken YAML: bad alias': (d, r) => {
    const img = pick(r, d.images);
    const i = pick(r, bodyOf(d, img.line));
    d.lines[i] = (d.lines[i] ?? '').replace(/: .*$/, ': *undefined_anchor');
    if (!(d.lines[i] ?? '').includes('*undefined_anchor')) d.lines[i] = '    description: *undefined_anchor';
  },
  'reference to nothing': (d, r) => {
    const img = pick(r, d.images);
    insertAt(d, img.line + 1, `    depends_on: [${pick(r, ['missing', 'no-such-image', 'ghost_42'])}]`);
  },
  'provider that does not exist': (d, r) => {
    const img = pick(r, d.images);
    const i = bodyOf(d, img.line).find((x) => /^ {4}provider:/.test(d.lines[x] ?? ''));
    if (i !== undefined) d.lines[i] = `    provider: ${pick(r, ['nowhere', 'prød', 'PROD'])}`;
    else insertAt(d, img.line + 1, '    provider: nowhere');
  },
  'unknown key with a huge string': (d, r) => {
    const img = pick(r, d.images);
    insertAt(d, img.line + 1, `    zz_huge: "${'x'.repeat(50_000 + Math.floor(r() * 200_000))}"`);
  },
  'huge name': (d, r) => {
    const img = pick(r, d.images);
    const i = bodyOf(d, img.line).find((x) => /^ {4}name:/.test(d.lines[x] ?? ''));
    const huge = `"${'n'.repeat(100_000 + Math.floor(r() * 100_000))}"`;
    if (i !== undefined) d.lines[i] = `    name: ${huge}`;
  },
  'unicode key': (d, r) => {
    const img = pick(r, d.images);
    insertAt(d, img.line + 1, `    ${pick(r, ['nämé', 'ñame_🚀', '名前', 'ｎａｍｅ', 'name\u200b'])}: ${pick(r, ['ü', '🚀🚀', '\u202etxt'])}`);
  },
  'unicode address': (d, r) => {
    const img = pick(r, d.images);
    d.lines[img.line] = `  ${pick(r, ['imäge', '🚀', '名前', 'a b', 'a.b'])}:`;
  },
  'duplicate address in one file': (d, r) => {
    const img = pick(r, d.images);
    const body = bodyOf(d, img.line);
    const end = (body[body.length - 1] ?? img.line) + 1;
    d.lines.splice(end, 0, ...d.lines.slice(img.line, end));
  },
  'duplicate address across an include': (d, r) => {
    const img = pick(r, d.images);
    const name = `more-${Math.floor(r() * 1e9)}.yaml`;
    d.extra = { [name]: `images:\n  ${img.address}:\n    provider: elsewhere\n    name: dup\n` };
    d.lines.splice(1, 0, `include: [${name}]`);
  },
  'dependency cycle': (d, r) => {
    if (d.images.length < 2 || r() < 0.3) {
      const img = pick(r, d.images);
      insertAt(d, img.line + 1, `    depends_on: [${img.address}]`);
      return;
    }
    const [a, b] = d.images;
    if (!a || !b) return;
    // Insert the later one first so the earlier index stays right.
    insertAt(d, b.line + 1, `    depends_on: [${a.address}]`);
    insertAt(d, a.line + 1, `    depends_on: [${b.address}]`);
  },
  'literal secret': (d, r) => {
    const i = d.lines.findIndex((l) => /^ {4}(password|client_secret):/.test(l));
    if (i >= 0) d.lines[i] = (d.lines[i] ?? '').replace(/: .*$/, `: ${pick(r, ['hunter2', 'plain-text-secret'])}`);
    else insertAt(d, d.lines.findIndex((l) => l.startsWith('images:')), 'zz_top_level: 1');
  },
};

t.test(`${CASES} mutated examples: exit 1 with FILE:LINE:COL, no stack trace, no API call`, async (t) => {
  let requests = 0;
  const server = createServer((_req, res) => {
    requests++;
    res.writeHead(500).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const env = { NUTANIX_USERNAME: 'u', NUTANIX_PASSWORD: 'fuzz-pw', NUMSPOT_SPACE_ID: 'bba8c1d7-4a6e-4f35-9c2b-7d1e0f3a5b68', NUMSPOT_CLIENT_ID: 'c', NUMSPOT_CLIENT_SECRET: 'fuzz-secret' };
  Object.assign(process.env, env);
  t.teardown(() => {
    for (const k of Object.keys(env)) delete process.env[k];
  });
  const bases = EXAMPLES.map((e) =>
    readFileSync(join(import.meta.dirname, '../../examples', e), 'utf8')
      .replace(/^(\s+endpoint:).*$/m, `$1 ${url}`)
      .replace(/^(\s+host:).*$/m, `$1 ${url}`),
  );
  const dir = t.testdir({});
  // The control: unmutated, every base validates, so a failure below is the mutation's doing.
  for (const [i, text] of bases.entries()) {
    writeFileSync(join(dir, `base-${i}.yaml`), text);
    const io = fakeIo();
    t.equal(await main(['validate', '-c', join(dir, `base-${i}.yaml`)], io), 0, `${EXAMPLES[i] ?? i} validates unmutated: ${io.stderr}`);
  }
  const r = mulberry32(SEED);
  const names = Object.keys(MUTATIONS);
  const failures: string[] = [];
  const seen = new Map<string, number>();
  for (let n = 0; n < CASES; n++) {
    const d = parseDoc(pick(r, bases));
    const applied: string[] = [];
    for (let k = 0, count = 1 + Math.floor(r() * 2); k < count; k++) {
      const m = pick(r, names);
      (MUTATIONS[m] as (d: Doc, r: Rng) => void)(d, r);
      applied.push(m);
      // The images' line numbers moved: re-read them before another mutation.
      Object.assign(d, { images: parseDoc(d.lines.join('\n')).images.length ? parseDoc(d.lines.join('\n')).images : d.images });
    }
    for (const m of applied) seen.set(m, (seen.get(m) ?? 0) + 1);
    const file = join(dir, `case-${n}.yaml`);
    writeFileSync(file, d.lines.join('\n'));
    for (const [name, text] of Object.entries(d.extra ?? {})) writeFileSync(join(dir, name), text);
    const io = fakeIo();
    const command = n % 4 === 3 ? 'plan' : 'validate';
    const code = await main([command, '-c', file, '--no-color'], io);
    const problems: string[] = [];
    if (code !== 1) problems.push(`exit ${code}`);
    if (!/[\w.-]+\.ya?ml:\d+:\d+/.test(io.stderr)) problems.push('no FILE:LINE:COL');
    if (/internal error|\n\s+at .+:\d+:\d+/.test(io.stderr)) problems.push('stack trace or internal error');
    if (problems.length > 0) failures.push(`case ${n} (${command}; ${applied.join(' + ')}): ${problems.join(', ')}\n${io.stderr.slice(0, 600)}`);
  }
  t.same(failures.slice(0, 5), [], `${failures.length} of ${CASES} cases misbehaved`);
  t.equal(requests, 0, 'no request reached an API');
  t.equal(seen.size, names.length, 'every kind of mutation was exercised');
  t.comment(`mutations: ${[...seen].map(([k, v]) => `${k} ${v}`).join('; ')}`);
});
