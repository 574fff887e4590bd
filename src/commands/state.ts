// Command `imagectl state list | show | rm`: look at and repair the state by hand.
// The other subcommands (unlock, lock-info, history, pull, migrate) are state-tools.ts.
import { ImagectlError } from '../util/errors.js';
import { formatValue } from '../render/values.js';
import { durationFlag, parseArgs } from './args.js';
import type { Io } from './io.js';
import { loadFromFlags } from './load-config.js';
import { openConfiguredStore } from '../state/configured-store.js';
import { STATE_TOOL_FLAGS, STATE_TOOLS } from './state-tools.js';
import type { JsonObject } from '../util/json.js';
import { deposedRef } from '../planner/types.js';

const usage = 'usage: imagectl state list | show ADDRESS | rm ADDRESS... | unlock LOCK_ID [--force] | lock-info | history | pull [--serial N] | migrate --to postgres|local [--path FILE]';

function showFields(io: Io, title: string, fields: JsonObject): void {
  io.out(`  ${title}:\n`);
  for (const k of Object.keys(fields).sort()) io.out(`    ${k} = ${formatValue(fields[k])}\n`);
}

export async function stateCommand(argv: readonly string[], io: Io): Promise<number> {
  const p = parseArgs(argv, { values: [...STATE_TOOL_FLAGS.values], booleans: [...STATE_TOOL_FLAGS.booleans] });
  const [sub, ...rest] = p.positionals;
  const config = await loadFromFlags(p);
  const tool = sub === undefined ? undefined : STATE_TOOLS[sub];
  if (tool !== undefined) return tool(config, p, rest, io);
  const store = openConfiguredStore(config);
  if (sub === 'list' || sub === 'show') {
    const lock = await store.lock({ command: `state ${sub}`, mode: 'shared', timeout_ms: durationFlag(p, 'lock-timeout', 0) });
    try {
      const state = await store.read();
      if (sub === 'list') {
        for (const r of Object.values(state.resources).sort((a, b) => a.address.localeCompare(b.address))) {
          io.out(`${r.address}\t${r.provider}\t${r.id}\n`);
          for (const d of r.deposed ?? []) io.out(`${deposedRef(r.address, d.key)}\t${d.provider}\t${d.id}\n`);
        }
        return 0;
      }
      // Own entries only: `toString` or `__proto__` is no address, whatever a plain object inherits.
      const r = rest[0] === undefined || !Object.hasOwn(state.resources, rest[0]) ? undefined : state.resources[rest[0]];
      if (!r) throw new ImagectlError('NOT_IN_STATE', `${rest[0] ?? '(no address)'} is not in ${store.description}`);
      io.out(`# ${r.address}\n  id = ${r.id}\n  provider = ${r.provider} (${r.driver})\n  protected = ${r.protected}\n  updated_at = ${r.updated_at}\n`);
      if (r.etag) io.out(`  etag = ${r.etag}\n`);
      if (r.delete_error !== undefined) io.out(`  last delete failed = ${r.delete_error}\n`);
      for (const d of r.deposed ?? []) {
        io.out(`  deposed ${d.key} = ${d.id} on ${d.provider}, since ${d.since}${d.last_error === undefined ? '' : `; last delete failed: ${d.last_error}`}\n`);
      }
      showFields(io, 'inputs', r.inputs);
      showFields(io, 'attributes', r.attributes);
      return 0;
    } finally {
      await lock.release();
      await store.close?.();
    }
  }
  if (sub === 'rm') {
    if (rest.length === 0) throw new ImagectlError('USAGE', usage);
    const lock = await store.lock({ command: 'state rm', mode: 'exclusive', timeout_ms: durationFlag(p, 'lock-timeout', 0) });
    try {
      const state = await store.read();
      const resources = { ...state.resources };
      for (const a of rest) {
        if (!Object.hasOwn(resources, a)) throw new ImagectlError('NOT_IN_STATE', `${a} is not in ${store.description}`);
        delete resources[a];
      }
      await store.write({ ...state, resources });
      io.out(`Removed ${rest.length} image(s) from the state; the images themselves were not touched.\n`);
      return 0;
    } finally {
      await lock.release();
      await store.close?.();
    }
  }
  throw new ImagectlError('USAGE', usage);
}
