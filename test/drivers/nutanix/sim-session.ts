// Shared set-up for the driver tests against the Nutanix simulator: a session with fast polling
// and retries, a recording OpContext, and raw helpers for out-of-band changes.
import { randomUUID } from 'node:crypto';
import type { DriverSession, OpContext, Progress } from '../../../src/drivers/contract.js';
import { createNutanixSession, DEFAULT_TUNING, type SessionTuning } from '../../../src/drivers/nutanix/session.js';
import { startNutanixSimulator, type NutanixSimOptions, type NutanixSimulator } from '../../../src/simulators/nutanix/index.js';

export const FAST: SessionTuning = {
  ...DEFAULT_TUNING,
  poll: { minMs: 5, fineMs: 2, ratio: 0.1, maxMs: 40, lead: 0.9 },
  http: { backoff: { baseMs: 1, capMs: 10 }, maxRetries: 4, retryAfterCapMs: 50 },
};

export interface Harness {
  sim: NutanixSimulator;
  session: DriverSession;
}

export async function harness(
  t: { teardown(fn: () => unknown): void },
  opts: { sim?: NutanixSimOptions; password?: string; parallelism?: number; tuning?: Partial<SessionTuning>; taskTimeoutMs?: number } = {},
): Promise<Harness> {
  const sim = await startNutanixSimulator({ taskDurationMs: 30, seed: 7, ...opts.sim });
  t.teardown(() => sim.close());
  const session = createNutanixSession(
    {
      endpoint: sim.url,
      username: sim.username,
      password: opts.password ?? sim.password,
      timeoutMs: 5000,
      taskTimeoutMs: opts.taskTimeoutMs ?? 10_000,
      insecure: false,
    },
    { warn: () => undefined, parallelism: opts.parallelism ?? 4 },
    { ...FAST, ...opts.tuning },
  );
  t.teardown(() => session.close());
  return { sim, session };
}

export interface RecordingContext extends OpContext {
  tasks: string[];
  progress: Progress[];
}

export function opContext(address = 'nutanix.test', key: string = randomUUID(), signal?: AbortSignal): RecordingContext {
  const tasks: string[] = [];
  const progress: Progress[] = [];
  const ctx: RecordingContext = {
    address,
    idempotency_key: key,
    lineage: 'lineage-1',
    tasks,
    progress,
    on_task: (id) => tasks.push(id),
    on_progress: (p) => progress.push(p),
  };
  if (signal) ctx.signal = signal;
  return ctx;
}

export const ISO = { name: 'ubuntu-mini', type: 'ISO_IMAGE', source: { url: 'http://archive.ubuntu.com/ubuntu/mini.iso' } };

function auth(sim: NutanixSimulator): string {
  return `Basic ${Buffer.from(`${sim.username}:${sim.password}`).toString('base64')}`;
}

/** Raw calls that bypass the driver: what another user or tool does at the same time. */
export async function raw(sim: NutanixSimulator, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; etag: string | null; body: any }> {
  const init: RequestInit = { method, headers: { Authorization: auth(sim), 'Content-Type': 'application/json', ...headers } };
  if (body !== undefined) init.body = JSON.stringify(body);
  const res = await fetch(`${sim.url}${path}`, init);
  const text = await res.text();
  return { status: res.status, etag: res.headers.get('etag'), body: text === '' ? undefined : JSON.parse(text) };
}

/** Waits until a task is terminal (raw polling). */
export async function settleTask(sim: NutanixSimulator, taskId: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const r = await raw(sim, 'GET', `/api/prism/v4.0/config/tasks/${taskId}`);
    const status = String(r.body?.data?.status);
    if (['SUCCEEDED', 'FAILED', 'CANCELED'].includes(status)) return status;
    await new Promise((res) => setTimeout(res, 10));
  }
  throw new Error(`task ${taskId} did not finish`);
}
