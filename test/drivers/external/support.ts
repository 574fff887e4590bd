// Tiny fake plugins for the failure tests: a working protocol loop in a .mjs file written to the
// test's folder, with some methods replaced by misbehaviour (`on.create = ...`).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OpContext, Progress } from '../../../src/drivers/contract.js';
import type { DriverSchema } from '../../../src/fields/schema.js';
import { pluginSpec, type PluginSpec } from '../../../src/drivers/external/index.js';

export const fakeSchema: DriverSchema = {
  driver: 'fake',
  provider_schema: { type: 'object', properties: { token: { $ref: 'imagectl-defs#/$defs/secret' } } },
  provider_secrets: ['token'],
  image_schema: { type: 'object', properties: { name: { type: 'string' }, password: { type: 'string' } } },
  fields: { '/name': { mode: 'replace' }, '/password': { mode: 'update', secret: true, write_only: true } },
  unique_names: false,
  idempotent_create: false,
  lookups: {},
};

const LOOP = `
import { createInterface } from 'node:readline';
const send = (m) => process.stdout.write(JSON.stringify(m) + '\\n');
const schema = ${JSON.stringify(fakeSchema)};
const image = (name) => ({ id: 'fake-1', name, attributes: { name } });
const on = {
  hello: () => ({ protocol: 1, name: 'fake' }),
  describe: () => schema,
  configure: () => ({}),
  list: () => ({ images: [] }),
  read: () => ({ status: 'not_found' }),
  create: (p) => ({ image: image(p.fields.name) }),
  update: (p) => ({ image: image(p.fields.name) }),
  delete: () => ({}),
  recover: () => ({ status: 'not_created' }),
  lookup: () => ({ matches: [{ id: 'x-1', name: 'x' }] }),
  shutdown: () => { setTimeout(() => process.exit(0), 5); return {}; },
};
const fail = (kind, message, definitive = false) => Object.assign(new Error(message), { kind, definitive });
`;

const DISPATCH = `
createInterface({ input: process.stdin }).on('line', async (line) => {
  const { id, method, params } = JSON.parse(line);
  try {
    const result = await on[method](params, id);
    if (result !== undefined) send({ id, result });
  } catch (e) {
    send({ id, error: { kind: e.kind ?? 'failed', message: e.message, definitive: e.definitive === true } });
  }
});
`;

/** Writes a fake plugin with `overrides` (JavaScript run after `on` is defined) and returns its spec. */
export function fakePlugin(dir: string, overrides = '', opts: { timeout_seconds?: number } = {}): PluginSpec {
  writeFileSync(join(dir, 'fake.mjs'), `${LOOP}\n${overrides}\n${DISPATCH}`);
  const spec = pluginSpec({ command: ['node', './fake.mjs'], ...opts }, dir);
  if (spec === undefined) throw new Error('unreachable: a valid driver object');
  return spec;
}

export interface Recorded extends OpContext {
  tasks: string[];
  progress: Progress[];
}

export function ctx(key = 'key-1'): Recorded {
  const tasks: string[] = [];
  const progress: Progress[] = [];
  return {
    address: 'img', idempotency_key: key, lineage: 'lineage-1', tasks, progress,
    on_task: (id) => tasks.push(id), on_progress: (p) => progress.push(p),
  };
}

export const env = { warn: () => undefined, parallelism: 2 };
export const provider = (settings: Record<string, string> = {}) => ({ name: 'p', driver: 'fake', settings });
