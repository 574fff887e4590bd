#!/usr/bin/env node
// The README's first command: plan and apply the quickstart against the built-in simulator,
// then plan again to show that nothing is left to do. Prints each command before running it.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'imagectl.js');
const cfg = join('examples', 'quickstart', 'imagectl.yaml');

function run(args) {
  console.log(`\n$ imagectl ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, stdio: 'inherit' });
  return r.status ?? 1;
}

const steps = [
  ['validate', '-c', cfg],
  ['plan', '-c', cfg],
  ['apply', '-c', cfg, '--auto-approve'],
  ['plan', '-c', cfg, '--detailed-exitcode'],
];
for (const args of steps) {
  const code = run(args);
  if (code !== 0) process.exit(code);
}
console.log('\nThe quickstart images exist in the simulator and match the configuration.');
console.log(`State: examples/quickstart/.imagectl/state.json. Try editing ${cfg} and running plan again.`);
