// Shared set-up for the driver tests against the Numspot simulator: a session with fast polling
// and retries, a recording OpContext, and raw helpers for out-of-band changes.
import { randomUUID } from 'node:crypto';
import type { DriverSession, OpContext, Progress } from '../../../src/drivers/contract.js';
import { createNumspotSession, DEFAULT_TUNING, type SessionTuning } from '../../../src/drivers/numspot/session.js';
import type { NumspotSettings } from '../../../src/drivers/numspot/settings.js';
import { startNumspotSimulator, type NumspotSimOptions, type NumspotSimulator } from '../../../src/simulators/numspot/index.js';

export const FAST: SessionTuning = {
  ...DEFAULT_TUNING,
  poll: { minMs: 5, fineMs: 2, ratio: 0.1, maxMs: 40, lead: 0.9 },
  conflictRetryMs: 200,
  http: { backoff: { baseMs: 1, capMs: 10 }, maxRetries: 4, retryAfterCapMs: 50 },
};

export const LINEAGE = '7d3f0c1e-5b2a-4c8d-9e6f-0a1b2c3d4e5f';

export interface Harness {
  sim: NumspotSimulator;
  session: DriverSession;
}

export interface HarnessOptions {
  sim?: NumspotSimOptions;
  secret?: string;
  settings?: Partial<NumspotSettings>;
  tuning?: Partial<SessionTuning>;
}

export async function harness(t: { teardown(fn: () => unknown): void }, opts: HarnessOptions = {}): Promise<Harness> {
  const sim = await startNumspotSimulator({ pendingMs: 60, prngSeed: 7, ...opts.sim });
  t.teardown(() => sim.close());
  const settings: NumspotSettings = {
    host: sim.url,
    spaceId: sim.spaceId,
    clientId: sim.clientId,
    clientSecret: opts.secret ?? sim.clientSecret,
    timeoutMs: 5000,
    pendingTimeoutMs: 10_000,
    insecure: false,
    ...opts.settings,
  };
  const session = createNumspotSession(settings, { warn: () => undefined, parallelism: 4 }, 'eu', { ...FAST, ...opts.tuning });
  t.teardown(() => session.close());
  return { sim, session };
}

export interface RecordingContext extends OpContext {
  tasks: string[];
  progress: Progress[];
}

export function opContext(address = 'eu.image', lineage = LINEAGE): RecordingContext {
  const tasks: string[] = [];
  const progress: Progress[] = [];
  return {
    address,
    idempotency_key: randomUUID(),
    lineage,
    tasks,
    progress,
    on_task: (id) => tasks.push(id),
    on_progress: (p) => progress.push(p),
  };
}

/** Raw calls that bypass the driver: what another user or tool does at the same time. */
export async function raw(sim: NumspotSimulator, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: sim.clientId, client_secret: sim.clientSecret });
  const tok = await fetch(`${sim.url}/iam/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString() });
  const { access_token } = (await tok.json()) as { access_token: string };
  const init: RequestInit = { method, headers: { Authorization: `Bearer ${access_token}`, 'Content-Type': 'application/json' } };
  if (body !== undefined) init.body = JSON.stringify(body);
  const res = await fetch(`${sim.url}/compute/spaces/${sim.spaceId}${path}`, init);
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
}

/** Tags of an image as the simulator holds them (ownership tags included). */
export function simTags(sim: NumspotSimulator, id: string): { key: string; value: string }[] {
  const img = (sim.listImages() as { id: string; tags?: { key: string; value: string }[] }[]).find((i) => i.id === id);
  return [...(img?.tags ?? [])].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Driver traffic only (the raw helper's token requests and calls are left out by the caller). */
export function calls(sim: NumspotSimulator, from = 0): string[] {
  return sim.exchanges.slice(from).map((e) => `${e.method} ${e.path.replace(/\/compute\/spaces\/[^/]+/, '')}`);
}
