// What the chaos run measures and how it reads it: the state files after every run, what each
// state owns, what drift reports, and the figures printed at the end (docs/RELIABILITY.md).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseState } from '../../src/state/format.js';

export interface ChaosFigures {
  seed: number;
  images: number;
  kills: number;
  killsLanded: number;
  runsWithFaults: number;
  duplicates: number;
  orphans: number;
  leakedReported: number;
  corruptStates: number;
  rerunsToConverge: number;
  converged: boolean;
  secretsFound: number;
  pausedHolders: number;
  pausedStopped: number;
  secondStateRuns: number;
  redirectsOffered: number;
  redirectsFollowed: number;
  cloudImages: number;
  stateResources: number;
  seconds: number;
  problems: string[];
}

/** Every file under `dir`, recursively. */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** The state file and its backups must parse and validate after every kill. */
export function checkStates(dir: string): string[] {
  const problems: string[] = [];
  for (const file of filesUnder(join(dir, '.imagectl')).filter((f) => /state\.json(\.\d+)?$/.test(f))) {
    try {
      parseState(readFileSync(file, 'utf8'), file);
    } catch (e) {
      problems.push(`${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return problems;
}

/** Ids of the leaked and unmanaged images a drift report lists. */
export function reportedIds(json: string): Set<string> {
  const ids = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if ((o['kind'] === 'leaked' || o['kind'] === 'unmanaged') && typeof o['id'] === 'string') ids.add(o['id']);
      Object.values(o).forEach(walk);
    }
  };
  try {
    walk(JSON.parse(json));
  } catch {
    // An unparsable report lists nothing: every image then counts as an orphan.
  }
  return ids;
}

/** Every cloud id a state owns: its resources, and objects kept until their delete succeeds. */
function ownedIds(state: unknown): Set<string> {
  const ids = new Set<string>();
  const walk = (v: unknown, key: string): void => {
    if (key === 'pending') return; // an intent owns nothing until it is resolved
    if (Array.isArray(v)) v.forEach((x) => walk(x, ''));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
    else if (key === 'id' && typeof v === 'string') ids.add(v);
  };
  walk(state, '');
  return ids;
}

interface StateSummary {
  ids: Set<string>;
  resources: number;
  pending: { action: string; address: string; driver: string }[];
}

export function readSummary(dir: string): StateSummary {
  const file = join(dir, '.imagectl', 'state.json');
  if (!existsSync(file)) return { ids: new Set(), resources: 0, pending: [] };
  const state = JSON.parse(readFileSync(file, 'utf8')) as { resources: Record<string, unknown>; pending: Record<string, { action: string; address: string; driver: string }> };
  return { ids: ownedIds(state), resources: Object.keys(state.resources).length, pending: Object.values(state.pending) };
}

export function formatFigures(f: ChaosFigures): string {
  return [
    `chaos run: seed ${f.seed}, ${f.images} images over Nutanix, Numspot and a plugin, ${f.killsLanded} SIGKILLs in ${f.runsWithFaults} runs with faults, ${f.seconds} s`,
    `  duplicates in the clouds:                    ${f.duplicates}`,
    `  orphans (neither in state nor reported):     ${f.orphans}`,
    `  leaked images reported by drift --unmanaged: ${f.leakedReported}`,
    `  state files that failed to parse/validate:   ${f.corruptStates}`,
    `  reruns to converge after faults stopped:     ${f.rerunsToConverge}${f.converged ? '' : ' (NOT converged)'}`,
    `  secrets found in files or output:            ${f.secretsFound}`,
    `  paused holders whose lock was broken:        ${f.pausedHolders} (stopped by the lost lock: ${f.pausedStopped})`,
    `  runs of a second state on the same spaces:   ${f.secondStateRuns}`,
    `  redirects to another origin offered/followed: ${f.redirectsOffered} / ${f.redirectsFollowed}`,
    `  images in the clouds / in state:             ${f.cloudImages} / ${f.stateResources}`,
  ].join('\n');
}
