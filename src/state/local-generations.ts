// The local store's answers to `state history`, `state pull`, `state lock-info` and `state
// migrate`. Its generations are the state file and its rotated backups (`state.json.1` ... `.N`),
// so history is as deep as the backups kept (5 by default); who wrote each one is not recorded.
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ImagectlError } from '../util/errors.js';
import { writeFileAtomic } from './atomic-write.js';
import { backupPath, rotateBackups } from './backups.js';
import { assertWritable, parseState, serializeState } from './format.js';
import { DEFAULT_LOCK_TUNING, readLockFile, staleReason, type FoundLock, type LockTuning } from './lock-file.js';
import { lockPathFor } from './lock.js';
import { compareSnapshots, snapshotOf } from './snapshot.js';
import type { Generation, LockHolder, StateFile } from './types.js';

interface Found {
  file: string;
  state: StateFile;
  saved: string;
}

/** The state file then each backup, newest first; unreadable ones are skipped. */
async function generations(path: string, backups: number): Promise<Found[]> {
  const out: Found[] = [];
  for (let g = 0; g <= backups; g++) {
    const file = g === 0 ? path : backupPath(path, g);
    try {
      const [text, st] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
      out.push({ file, state: parseState(text, file), saved: st.mtime.toISOString() });
    } catch {
      continue; // missing, or damaged: the refusal message of read() is where that is explained
    }
  }
  return out;
}

export async function localHistory(path: string, backups: number): Promise<Generation[]> {
  return (await generations(path, backups)).map(({ file, state, saved }) => ({
    serial: state.serial,
    lineage: state.lineage,
    saved,
    resources: Object.keys(state.resources).length,
    pending: Object.keys(state.pending).length,
    where: basename(file),
  }));
}

export async function localPull(path: string, backups: number, serial: number): Promise<StateFile> {
  const all = await generations(path, backups);
  const hit = all.find((g) => g.state.serial === serial);
  if (hit !== undefined) return hit.state;
  const kept = all.length === 0 ? 'none is kept yet' : `it keeps serials ${all.map((g) => g.state.serial).join(', ')}`;
  throw new ImagectlError(
    'STATE_GENERATION_NOT_FOUND',
    `state file ${path} has no generation with serial ${serial} (the local store keeps the last ${backups} as backups beside it; ${kept}); ` +
      'the postgres backend keeps every generation',
    { origin: 'user' },
  );
}

/** The exclusive and shared lock files, each with whether its holder still runs. */
export async function localLockHolders(path: string, tuning: LockTuning = DEFAULT_LOCK_TUNING): Promise<LockHolder[]> {
  const prefix = `${basename(path)}.lock.shared.`;
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  const files = [lockPathFor(path), ...names.filter((n) => n.startsWith(prefix) && !n.includes('.broken-')).map((n) => join(dirname(path), n))];
  const found = (await Promise.all(files.map((f) => readLockFile(f)))).filter((f): f is FoundLock => f?.info !== undefined);
  return found.map((f) => {
    const reason = staleReason(f, tuning);
    return { info: f.info as NonNullable<FoundLock['info']>, live: reason === undefined, detail: reason ?? `lock file ${basename(f.path)}` };
  });
}

/**
 * Writes this exact generation (lineage and serial kept), for `state migrate`: only where there is
 * no state, or an older generation of the same lineage.
 */
export async function localPush(path: string, backups: number, state: StateFile): Promise<StateFile> {
  const refuse = (why: string): ImagectlError =>
    new ImagectlError('STATE_MIGRATE_REFUSED', `refusing to copy serial ${state.serial} into state file ${path}: ${why}`, { origin: 'user' });
  const current = await readFile(path, 'utf8').then((t) => parseState(t, path), (e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  const content = snapshotOf(state);
  if (current !== undefined) {
    if (current.lineage !== state.lineage) {
      throw refuse(`it holds another lineage (${current.lineage}, serial ${current.serial}): they are different histories; choose another --path or move that file away`);
    }
    const changed = compareSnapshots(snapshotOf(current), content).changed;
    if (current.serial > state.serial) throw refuse(`it already holds a newer generation (serial ${current.serial}) of this lineage`);
    if (current.serial === state.serial && changed) throw refuse(`it holds a different state under the same serial ${current.serial}`);
    if (current.serial === state.serial) return current;
  }
  assertWritable(state, content);
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFileAtomic(path, serializeState(state), { mode: 0o600, beforeReplace: () => rotateBackups(path, backups) });
  return state;
}
