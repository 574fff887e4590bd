// Fault settings from the outside world: `imagectl simulate` flags and, for the in-process
// simulators of `simulator: true` providers, the IMAGECTL_SIMULATOR_FAULTS environment variable
// (a JSON object of Faults). Both are checked here so a typo fails loudly instead of silently
// running a "chaos" test with no chaos in it.
import type { Faults } from './http.js';

/** Flag name (kebab-case) → Faults key. Rates are fractions in [0, 1]; the rest are counts/ms. */
export const FAULT_FLAGS: Readonly<Record<string, keyof Faults>> = {
  'jitter-ms': 'jitterMs',
  'error-rate': 'errorRate',
  'throttle-rate': 'throttleRate',
  'retry-after': 'retryAfterSeconds',
  'drop-before-rate': 'dropBeforeRate',
  'drop-after-rate': 'dropAfterRate',
  'delete-refused-rate': 'deleteRefusedRate',
  'redirect-rate': 'redirectRate',
  'redirect-port': 'redirectPort',
  'task-failure-rate': 'taskFailureRate',
  'slow-task-rate': 'slowTaskRate',
  'slow-task-factor': 'slowTaskFactor',
  'image-failure-rate': 'imageFailureRate',
  'stuck-rate': 'stuckRate',
  'stuck-ms': 'stuckMs',
  'token-expiry-rate': 'tokenExpiryRate',
};

const KEYS: ReadonlySet<string> = new Set<string>(['latencyMs', ...Object.values(FAULT_FLAGS)]);

export const FAULTS_ENV = 'IMAGECTL_SIMULATOR_FAULTS';
export const SEED_ENV = 'IMAGECTL_SIMULATOR_SEED';

function checkValue(key: string, v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`${where}: ${key} must be a number >= 0`);
  if (key.endsWith('Rate') && v > 1) throw new Error(`${where}: ${key} is a fraction of requests and must be <= 1`);
  return v;
}

/** Validates a Faults object given as JSON (unknown keys and bad values are errors). */
export function parseFaults(value: unknown, where: string): Faults {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${where}: faults must be a JSON object`);
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(value)) {
    if (!KEYS.has(k)) throw new Error(`${where}: unknown fault '${k}' (known: ${[...KEYS].join(', ')})`);
    out[k] = checkValue(k, v, where);
  }
  return out as Faults;
}

/** Faults and seed for in-process simulators, from the environment; undefined when unset. */
export function faultsFromEnv(env: NodeJS.ProcessEnv = process.env): { faults?: Faults; seed?: number } {
  const raw = env[FAULTS_ENV];
  const seedText = env[SEED_ENV];
  const out: { faults?: Faults; seed?: number } = {};
  if (raw !== undefined && raw.trim() !== '') {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      throw new Error(`${FAULTS_ENV} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    out.faults = parseFaults(json, FAULTS_ENV);
  }
  if (seedText !== undefined && seedText.trim() !== '') {
    const seed = Number(seedText);
    if (!Number.isInteger(seed)) throw new Error(`${SEED_ENV} must be an integer`);
    out.seed = seed;
  }
  return out;
}

/** Faults from `simulate` flag values (strings); undefined when no fault flag was given. */
export function faultsFromFlags(values: Readonly<Record<string, string | undefined>>): Faults | undefined {
  const out: Record<string, number> = {};
  for (const [flag, key] of Object.entries(FAULT_FLAGS)) {
    const text = values[flag];
    if (text === undefined) continue;
    out[key] = checkValue(key, text.trim() === '' ? Number.NaN : Number(text), `--${flag}`);
  }
  return Object.keys(out).length > 0 ? (out as Faults) : undefined;
}
