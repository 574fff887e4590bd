// The CI examples must be valid YAML and call only commands and flags that exist.
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { main } from '../../src/cli.js';
import type { Io } from '../../src/commands/io.js';

const root = join(import.meta.dirname, '../../examples/ci');
const files = ['github/imagectl-plan.yml', 'github/imagectl-apply.yml', 'github/imagectl-drift.yml', 'gitlab/.gitlab-ci.yml'];

async function helpFor(command: string): Promise<string | undefined> {
  let out = '';
  const io: Io = { out: (s) => void (out += s), err: () => {}, colour: false, interactive: false, ask: async () => '' };
  return (await main([command, '--help'], io)) === 0 ? out : undefined;
}

t.test('every example workflow is listed here', async (t) => {
  const found = [...readdirSync(join(root, 'github')).map((f) => `github/${f}`), ...readdirSync(join(root, 'gitlab')).map((f) => `gitlab/${f}`)];
  t.same(found.sort(), [...files].sort());
});

for (const file of files) {
  t.test(file, async (t) => {
    const text = readFileSync(join(root, file), 'utf8');
    const doc = parse(text) as unknown;
    t.type(doc, 'object', 'valid YAML');
    const calls = [...text.matchAll(/npx imagectl ([a-z]+)([^\n|>&;]*)/g)];
    t.ok(calls.length > 0, 'calls imagectl');
    for (const [, command, rest] of calls) {
      const help = await helpFor(command as string);
      t.ok(help, `imagectl ${command} exists`);
      for (const flag of (rest ?? '').match(/--[a-z-]+/g) ?? []) t.match(help ?? '', flag, `imagectl ${command} takes ${flag}`);
    }
  });
}
