// imagectl simulate: serve the cloud simulators on loopback for users' own CI and demos.
import { resolve, join } from 'node:path';
import { startNutanixSimulator } from '../simulators/nutanix/index.js';
import { DEFAULT_CLUSTERS } from '../simulators/nutanix/clusters.js';
import { intFlag, parseArgs, str } from './args.js';
import type { Io } from './io.js';

export async function simulateCommand(argv: readonly string[], io: Io, until?: Promise<void>): Promise<number> {
  const p = parseArgs(argv, {
    values: ['nutanix-port', 'state-dir', 'nutanix-username', 'nutanix-password', 'latency-ms', 'task-duration-ms'],
    booleans: [],
  });
  const dir = str(p, 'state-dir');
  const opts: Parameters<typeof startNutanixSimulator>[0] = { port: intFlag(p, 'nutanix-port', 0, 0) };
  if (dir !== undefined) opts.statePath = join(resolve(dir), 'nutanix.json');
  const username = str(p, 'nutanix-username');
  const password = str(p, 'nutanix-password');
  if (username !== undefined) opts.username = username;
  if (password !== undefined) opts.password = password;
  opts.latencyMs = intFlag(p, 'latency-ms', 0, 0);
  opts.taskDurationMs = intFlag(p, 'task-duration-ms', 300, 0);
  const sim = await startNutanixSimulator(opts);
  io.out(`Nutanix Prism Central simulator: ${sim.url}\n  username: ${sim.username}\n  password: ${sim.password}\n`);
  io.out(`  clusters (for {lookup: cluster, name: ...}): ${DEFAULT_CLUSTERS.map((c) => `${c.name} (${c.extId})`).join(', ')}\n`);
  io.out(`  state: ${opts.statePath ?? 'in memory'}\nPress Ctrl-C to stop.\n`);
  await (until ?? new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  }));
  await sim.close();
  return 0;
}
