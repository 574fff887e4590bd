#!/usr/bin/env node
// localdir: an imagectl driver plugin that keeps VM images as files in a local folder.
// It speaks the protocol of docs/PLUGINS.md over stdin/stdout: one JSON object per line,
// requests `{id, method, params}` in, responses `{id, result}` or `{id, error}` out, and
// progress/task notifications while a create downloads. Logs go to stderr, never stdout.
// Requests are handled concurrently: answers may come back in any order, matched by id.
import { createInterface } from 'node:readline';
import { PluginError, toWireError } from './errors.mjs';
import { schema } from './schema.mjs';
import { Store } from './store.mjs';

const PROTOCOL = 1;
let store;

function send(message, then) {
  process.stdout.write(`${JSON.stringify(message)}\n`, then);
}

function ready() {
  if (!store) throw new PluginError('invalid', 'configure must come before any other call', true);
  return store;
}

const handlers = {
  hello(params) {
    if (params.protocol !== PROTOCOL) {
      throw new PluginError('invalid', `localdir speaks protocol ${PROTOCOL}, imagectl asked for ${params.protocol}`, true);
    }
    return { protocol: PROTOCOL, name: 'localdir', version: '1.0.0' };
  },
  describe: () => schema,
  async configure({ settings }) {
    const s = new Store(settings.directory);
    await s.open(settings.token);
    store = s;
    return {};
  },
  async list() {
    const s = ready();
    return { images: (await s.all()).map((m) => s.observed(m)) };
  },
  async read({ id }) {
    const meta = await ready().sidecar(id);
    return meta ? { status: 'found', image: ready().observed(meta) } : { status: 'not_found' };
  },
  create: async ({ fields, context }, report) => ({ image: await ready().create(fields, context, report) }),
  update: async ({ id, fields, changed, context }) => ({ image: await ready().update(id, fields, changed, context) }),
  async delete({ id }) {
    await ready().delete(id);
    return {};
  },
  recover: ({ intent }) => ready().recover(intent),
  lookup({ kind }) {
    throw new PluginError('invalid', `localdir has no lookup kind '${kind}'`, true);
  },
  shutdown: () => ({}),
};

async function handle(line) {
  let request;
  try {
    request = JSON.parse(line);
  } catch {
    process.stderr.write(`localdir: ignoring a line that is not JSON\n`);
    return;
  }
  const { id, method, params = {} } = request;
  // Notifications tied to this request: imagectl shows progress and journals the task id.
  const report = {
    progress: (message, percent) => send({ id, progress: percent === undefined ? { message } : { message, percent } }),
    task: (task) => send({ id, task }),
  };
  const handler = handlers[method];
  try {
    if (!handler) throw new PluginError('invalid', `unknown method '${method}'`, true);
    const result = await handler(params, report);
    send({ id, result }, method === 'shutdown' ? () => process.exit(0) : undefined);
  } catch (e) {
    process.stderr.write(`localdir: ${method} failed: ${e.message}\n`);
    send({ id, error: toWireError(e) });
  }
}

createInterface({ input: process.stdin, crlfDelay: Infinity }).on('line', (line) => {
  if (line.trim() !== '') void handle(line);
});
