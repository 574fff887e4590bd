// Phase timings for people chasing a slow run: IMAGECTL_TRACE=1 prints one stderr line per
// phase (name, wall ms, CPU ms). Names only: nothing a phase reads or returns is printed, so a
// trace can be pasted into an issue without leaking anything.
const enabled = (): boolean => {
  const v = process.env['IMAGECTL_TRACE'];
  return v !== undefined && v !== '' && v !== '0';
};

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function report(name: string, wall: number, cpu: number): void {
  process.stderr.write(`[trace] ${name}: ${Math.round(performance.now() - wall)} ms wall, ${Math.round(cpuMs() - cpu)} ms cpu\n`);
}

/** Runs `fn`, and when tracing is on reports how long it took. */
export async function traced<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
  if (!enabled()) return fn();
  const wall = performance.now();
  const cpu = cpuMs();
  try {
    return await fn();
  } finally {
    report(name, wall, cpu);
  }
}

/** traced, for a phase that runs synchronously inside another (a lazy computation). */
export function tracedSync<T>(name: string, fn: () => T): T {
  if (!enabled()) return fn();
  const wall = performance.now();
  const cpu = cpuMs();
  try {
    return fn();
  } finally {
    report(name, wall, cpu);
  }
}
