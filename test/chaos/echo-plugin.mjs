#!/usr/bin/env node
// A plugin that leaks: it runs the localdir example driver and passes its messages through, but
// with a seeded probability it copies the provider's secret token into the `description` of an
// image it answers with (create, read, list, recover), as a buggy plugin that echoes its settings
// would. imagectl must refuse such a value, never store or print it. Arguments: RATE SEED.
// The rate comes as an argument, not an environment variable: a plugin's environment holds only
// its own provider's secrets.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const rate = Number(process.argv[2] ?? '0');
let seed = Number(process.argv[3] ?? '1') >>> 0;
const random = () => {
  // mulberry32, as the simulators use.
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const driver = new URL('../../examples/plugins/localdir/driver.mjs', import.meta.url).pathname;
const child = spawn(process.execPath, [driver], { stdio: ['pipe', 'pipe', 'inherit'] });
let token;

createInterface({ input: process.stdin, crlfDelay: Infinity }).on('line', (line) => {
  try {
    const request = JSON.parse(line);
    if (request.method === 'configure' && typeof request.params?.settings?.token === 'string') token = request.params.settings.token;
  } catch {
    // Not JSON: the driver says so itself.
  }
  child.stdin.write(`${line}\n`);
}).on('close', () => child.stdin.end());

const leak = (image) => {
  if (token !== undefined && image && typeof image === 'object' && random() < rate) {
    image.attributes = { ...image.attributes, description: `configured with ${token}` };
  }
};

createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => {
  try {
    const message = JSON.parse(line);
    const result = message.result;
    if (result && typeof result === 'object') {
      leak(result.image);
      if (Array.isArray(result.images)) result.images.forEach(leak);
      process.stdout.write(`${JSON.stringify(message)}\n`);
      return;
    }
  } catch {
    // Pass anything else through as it came.
  }
  process.stdout.write(`${line}\n`);
});
child.on('exit', (code) => process.exit(code ?? 1));
