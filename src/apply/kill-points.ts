// Crash points for tests: with IMAGECTL_TEST_KILL_AT=<point>:<action>:<address> set, the process
// SIGKILLs itself at that point of that address's create, update or delete, so an end-to-end
// test can stop a run exactly where each recovery path begins (a kill after a delay lands
// wherever the run happens to be, almost always before a task id is journaled):
//   before-call        the intent is durable, nothing was sent (recovery re-sends or settles it)
//   after-task-id      the cloud answered with a task (Nutanix) or image id (Numspot create),
//                      and that id is durable (recovery follows the task)
//   after-cloud-acted  the driver call returned, its result is not saved (recovery adopts it)
// Unset (always, outside tests) this costs one environment lookup per call.
export type KillPoint = 'before-call' | 'after-task-id' | 'after-cloud-acted';

export const KILL_AT_ENV = 'IMAGECTL_TEST_KILL_AT';

export function killPoint(point: KillPoint, action: 'create' | 'update' | 'delete', address: string): void {
  const spec = process.env[KILL_AT_ENV];
  if (spec === undefined || spec !== `${point}:${action}:${address}`) return;
  process.kill(process.pid, 'SIGKILL');
}
