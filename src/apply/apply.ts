// Executes a Plan through the drivers: the plan's graph in order (deletes in reverse),
// independent work in parallel per provider, state saved after every step. The plan is the one
// input that says what to do: each change is sent as its `after` shows it (fields.ts resolves
// only what the plan marks known after apply); nothing is re-read from the configuration.
import type { DriverSession } from '../drivers/contract.js';
import type { DriverSchema } from '../fields/schema.js';
import { changeKey, type Plan, type ResourceChange } from '../planner/types.js';
import { errorMessage, ImagectlError } from '../util/errors.js';
import type { EventSink, StepKind } from './events.js';
import { runGraph, type Step } from './executor.js';
import type { Journal } from './journal.js';
import type { SecretValues } from './fields.js';
import { createImage, declaredOf, deleteImage, updateImage, type OpEnv } from './operations.js';

/**
 * What applying needs besides the plan, none of it a decision about what to do: what no plan
 * may hold, and the means to act.
 */
export interface ApplyEnv {
  /** address → JSON Pointer → secret value, put in at send time; kept in memory only (a plan holds fingerprints). */
  secrets: Readonly<Record<string, SecretValues>>;
  /** Connected provider sessions, by provider name. */
  sessions: Readonly<Record<string, DriverSession>>;
  /** Driver schemas, by driver: only to normalise the values resolved after apply, as the planner normalised the rest. */
  schemas: Readonly<Record<string, DriverSchema>>;
  /** The state, journaled: intents before calls, results after; values known after apply are read from it. */
  journal: Journal;
  parallelism: number;
  events: EventSink;
  stop?: AbortSignal;
  now?: () => string;
}

export interface ApplyResult {
  added: number;
  changed: number;
  destroyed: number;
  failed: { address: string; step: StepKind; message: string }[];
  skipped: { address: string; step: StepKind; because: string }[];
  interrupted: boolean;
}

const stepId = (kind: StepKind, address: string): string => `${kind}:${address}`;

/** Which provider (and driver) a step talks to. */
type Where = { provider: string; driver: string };

/** The step after which an address's (new) image exists, for its dependents to wait on. */
function readyStep(c: ResourceChange | undefined): string | undefined {
  if (!c) return undefined;
  if (c.action === 'create' || c.action === 'replace') return stepId('create', c.address);
  if (c.action === 'update') return stepId('update', c.address);
  return undefined;
}

export async function applyPlan(plan: Plan, input: ApplyEnv): Promise<ApplyResult> {
  if (plan.errors.length > 0) throw new ImagectlError('PLAN_HAS_ERRORS', `the plan cannot be applied:\n${plan.errors.join('\n')}`);
  const now = input.now ?? (() => new Date().toISOString());
  const byAddress = new Map(plan.changes.filter((c) => c.deposed === undefined).map((c) => [c.address, c]));
  // An address's own delete waits for its deposed objects' deletes: while one fails, the address
  // keeps its current image too, and a unique name is free before it is used again.
  const deposedSteps = new Map<string, string[]>();
  for (const c of plan.changes) {
    if (c.deposed !== undefined) deposedSteps.set(c.address, [...(deposedSteps.get(c.address) ?? []), stepId('delete_old', changeKey(c))]);
  }
  const result: ApplyResult = { added: 0, changed: 0, destroyed: 0, failed: [], skipped: [], interrupted: false };
  const steps: Step[] = [];
  const meta = new Map<string, { address: string; kind: StepKind; action: ResourceChange['action'] }>();

  const envFor = (c: ResourceChange, where: Where): OpEnv => {
    const session = input.sessions[where.provider];
    const schema = input.schemas[where.driver];
    if (!session || !schema) throw new ImagectlError('NO_SESSION', `${c.address}: provider '${where.provider}' is not connected`, { origin: 'internal' });
    return { journal: input.journal, session, schema, events: input.events, now };
  };
  /** A step of `c`, run against `where` (the old image's provider for the old half of a move). */
  // A run that lost its state lock must not go on: no step starts after the first one finds out
  // (each would only fail the same way), and the journal keeps what was in flight.
  const lockLost = new AbortController();
  const add = (c: ResourceChange, kind: StepKind, deps: string[], body: (env: OpEnv) => Promise<string | void>, count: () => void, where: Where = c): void => {
    const name = changeKey(c);
    const id = stepId(kind, name);
    meta.set(id, { address: name, kind, action: c.action });
    steps.push({
      id, group: where.provider, deps,
      run: async () => {
        const started = Date.now();
        input.events.emit({ type: 'step_start', address: name, step: kind, action: c.action });
        try {
          const id = await body(envFor(c, where));
          count();
          const done = { type: 'step_done' as const, address: name, step: kind, elapsed_ms: Date.now() - started };
          input.events.emit(typeof id === 'string' ? { ...done, id } : done);
        } catch (e) {
          const ev = { type: 'step_failed' as const, address: name, step: kind, error: errorMessage(e), elapsed_ms: Date.now() - started };
          if (e instanceof ImagectlError && e.code === 'STATE_LOCK_LOST') lockLost.abort();
          const cause = e instanceof Error && e.cause !== undefined ? e.cause : e;
          input.events.emit('kind' in Object(cause) ? { ...ev, kind: String((cause as { kind: unknown }).kind) } : ev);
          throw e;
        }
      },
    });
  };

  for (const c of plan.changes) {
    const secrets = input.secrets[c.address];
    const forwardDeps = c.depends_on.map((a) => readyStep(byAddress.get(a))).filter((s): s is string => s !== undefined);
    // A create over an image deleted outside imagectl: that one is gone, not to be deposed.
    const gone = c.action === 'create' ? c.id : undefined;
    if (c.action === 'create') add(c, 'create', forwardDeps, (env) => createImage(env, c, secrets, undefined, gone), () => result.added++);
    if (c.action === 'update' && c.id !== undefined) {
      const id = c.id;
      const changed = c.changes.map((f) => f.path.slice(1));
      add(c, 'update', forwardDeps, (env) => updateImage(env, c, secrets, id, changed), () => result.changed++);
    }
    if (c.action === 'delete' && c.id !== undefined && c.deposed !== undefined) {
      const id = c.id;
      add(c, 'delete_old', [], (env) => deleteImage(env, c, id, false), () => result.destroyed++);
    } else if (c.action === 'delete' && c.id !== undefined) {
      const id = c.id;
      const deps = [...c.depends_on.map((a) => stepId('delete', a)), ...(deposedSteps.get(c.address) ?? [])];
      add(c, 'delete', deps, (env) => deleteImage(env, c, id, true), () => result.destroyed++);
    }
    if (c.action === 'replace' && c.id !== undefined) {
      const old: Where & { id: string } = { id: c.id, provider: c.prior_provider ?? c.provider, driver: c.prior_driver ?? c.driver };
      const oldImage = { address: c.address, ...old };
      if (c.replace_order === 'destroy_before_create') {
        add(c, 'delete_old', deposedSteps.get(c.address) ?? [], (env) => deleteImage(env, oldImage, old.id, true), () => result.destroyed++, old);
        add(c, 'create', [...forwardDeps, stepId('delete_old', c.address)], (env) => createImage(env, c, secrets), () => result.added++);
      } else {
        add(c, 'create', forwardDeps, (env) => createImage(env, c, secrets, old), () => result.added++);
        add(c, 'delete_old', [stepId('create', c.address)], (env) => deleteImage(env, oldImage, old.id, false), () => result.destroyed++, old);
      }
    }
  }

  const opts = { limit: Math.max(1, input.parallelism), stop: input.stop ? AbortSignal.any([input.stop, lockLost.signal]) : lockLost.signal };
  const outcomes = await runGraph(steps, opts);
  for (const [id, o] of outcomes) {
    const m = meta.get(id);
    if (!m) continue;
    if (o.status === 'failed') result.failed.push({ address: m.address, step: m.kind, message: errorMessage(o.error) });
    if (o.status === 'skipped') {
      const stopped = lockLost.signal.aborted ? 'the state lock was lost' : 'interrupted';
      const because = o.because === 'interrupted' ? stopped : `${meta.get(o.because)?.address ?? o.because} failed or was skipped`;
      result.skipped.push({ address: m.address, step: m.kind, because });
      input.events.emit({ type: 'step_skipped', address: m.address, step: m.kind, because });
    }
  }
  result.interrupted = input.stop?.aborted ?? false;
  await syncMetadata(plan, input.journal, now);
  // Fire-and-forget journal updates (a task id learnt just before a failure) land before we return.
  await input.journal.idle();
  return result;
}

/** prevent_destroy and dependencies live in state too: keep them current even when no field changed. */
async function syncMetadata(plan: Plan, journal: Journal, now: () => string): Promise<void> {
  // A no-op is always a declared image's change: the plan holds its lifecycle and edges.
  const stale = plan.changes.filter((c) => c.action === 'no-op').map(declaredOf).filter((d) => {
    const r = journal.state.resources[d.address];
    return r && (r.protected !== d.prevent_destroy || r.depends_on.join() !== [...d.depends_on].sort().join());
  });
  if (stale.length === 0) return;
  await journal.mutate((s) => {
    const resources = { ...s.resources };
    for (const d of stale) {
      const r = resources[d.address];
      if (r) resources[d.address] = { ...r, protected: d.prevent_destroy, depends_on: [...d.depends_on].sort(), updated_at: now() };
    }
    return { ...s, resources };
  });
}
