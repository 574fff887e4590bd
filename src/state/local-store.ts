// The embedded default state backend: one JSON file (default .imagectl/state.json), written
// atomically with rotated backups beside it, locked with lock files beside it (lock.ts).
import { mkdir, open, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { dirname } from 'node:path';
import { ImagectlError } from '../util/errors.js';
import { removeStrayTemps, writeFileAtomic, type FileIdentity } from './atomic-write.js';
import { describeBackups, rotateBackups } from './backups.js';
import { assertWritable, emptyState, parseState, serializeState } from './format.js';
import { DEFAULT_LOCK_TUNING, type LockTuning } from './lock-file.js';
import { acquireLock, unlockById } from './lock.js';
import { stateConflictError, stateWriteError } from './write-errors.js';
import { compareSnapshots, snapshotOf, type Snapshot } from './snapshot.js';
import { localHistory, localLockHolders, localPull, localPush } from './local-generations.js';
import type { Generation, Lock, LockHolder, LockOptions, StateFile, StateStore, UnlockOptions } from './types.js';

export interface LocalStoreOptions {
  /** Generations kept as `<state>.1` (newest) ... `<state>.N`; 0 keeps none. Default 5. */
  backups?: number;
  /** Heartbeat, staleness and polling intervals of the lock (tests shorten them). */
  lock?: Partial<LockTuning>;
}

/** What this store last read or wrote: the yardstick for "content changed" and "lineage differs". */
interface Baseline {
  lineage: string;
  serial: number;
  content: Snapshot;
  /** The file version on disk it came from; undefined when there was no file. */
  file: FileIdentity | undefined;
}

export class LocalStateStore implements StateStore {
  readonly description: string;
  private readonly backups: number;
  private readonly tuning: LockTuning;
  private baseline: Baseline | undefined;
  private cleanedTemps = false;
  /** The exclusive lock taken through this store, while held: every write first checks it is still ours. */
  private held: Lock | undefined;
  /** Writes run one at a time, in call order: the applier saves after parallel steps. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly path: string, opts: LocalStoreOptions = {}) {
    this.description = `state file ${path}`;
    this.backups = opts.backups ?? 5;
    this.tuning = { ...DEFAULT_LOCK_TUNING, ...opts.lock };
  }

  /** A missing file is a fresh state; it is not created until the first write. */
  async read(): Promise<StateFile> {
    const found = await this.readDisk();
    if (found !== undefined) {
      this.baseline = found.baseline;
      return found.state;
    }
    const fresh = emptyState();
    this.baseline = { lineage: fresh.lineage, serial: fresh.serial, content: snapshotOf(fresh), file: undefined };
    return fresh;
  }

  write(state: StateFile): Promise<StateFile> {
    // Two overlapping writes would read the same baseline and could give two different
    // contents the same serial, and would rotate the backups over each other.
    const result = this.queue.then(() => this.writeNow(state));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async writeNow(state: StateFile): Promise<StateFile> {
    // Fencing: a run whose lock was broken (it was paused past the staleness limit, or
    // `state unlock --force`) must not write again, even a write that would find nothing new.
    await this.held?.assertHeld?.();
    const base = await this.currentBaseline();
    if (base?.file !== undefined && base.lineage !== state.lineage) {
      throw new ImagectlError(
        'STATE_LINEAGE_MISMATCH',
        `refusing to write state of lineage ${state.lineage} over ${this.description}, which has lineage ${base.lineage}: ` +
          'they are different histories (was the state file replaced while imagectl was running?)',
        { origin: 'user' },
      );
    }
    const content = snapshotOf(state);
    const diff = compareSnapshots(base?.content, content);
    // Nothing new: no rewrite, so the backups keep distinct generations instead of copies.
    if (base !== undefined && !diff.changed && base.file !== undefined) return { ...state, serial: base.serial };
    const serial = base !== undefined && !diff.changed ? base.serial : Math.max(base?.serial ?? 0, state.serial) + 1;
    const written: StateFile = { ...state, serial };
    // Never write what read() would refuse: a caller's bug must not cost the user their state.
    // Entries unchanged since a valid read or write need no second look; on a 10k state that
    // is the difference between checking everything and checking one resource per step.
    assertWritable(written, content, diff);

    const file = await this.replaceFile(written, base);
    this.baseline = { lineage: written.lineage, serial, content, file };
    return written;
  }

  /** The atomic replacement; an I/O failure (disk full, permissions) becomes one clear line. */
  private async replaceFile(written: StateFile, base: Baseline | undefined): Promise<FileIdentity> {
    try {
      await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
      if (!this.cleanedTemps) {
        await removeStrayTemps(this.path);
        this.cleanedTemps = true;
      }
      return await writeFileAtomic(this.path, serializeState(written), {
        mode: 0o600, // it may hold secret fingerprints and cloud ids: owner only
        beforeReplace: async () => {
          await rotateBackups(this.path, this.backups);
          // Again as close to the rename as possible: the lock may have been broken while the
          // temp file was written and synced.
          await this.held?.assertHeld?.();
        },
      });
    } catch (e) {
      if (e instanceof ImagectlError) throw e;
      throw stateWriteError(this.description, base?.file === undefined ? undefined : base.serial, e);
    }
  }

  async lock(opts: LockOptions): Promise<Lock> {
    const lock = await acquireLock(this.path, opts, this.tuning);
    if (opts.mode !== 'exclusive') return lock;
    this.held = lock;
    return {
      info: lock.info,
      assertHeld: () => lock.assertHeld?.() ?? Promise.resolve(),
      release: async () => {
        if (this.held === lock) this.held = undefined;
        await lock.release();
      },
    };
  }

  unlock(id: string, opts: UnlockOptions = {}): Promise<void> {
    return unlockById(this.path, id, opts.force === true, this.tuning);
  }

  /** The state file and its backups, newest first (local-generations.ts). */
  history(): Promise<Generation[]> {
    return localHistory(this.path, this.backups);
  }

  pull(serial: number): Promise<StateFile> {
    return localPull(this.path, this.backups, serial);
  }

  lockHolders(): Promise<LockHolder[]> {
    return localLockHolders(this.path, this.tuning);
  }

  /** `state migrate`: this exact generation, queued behind any write in flight. */
  push(state: StateFile): Promise<StateFile> {
    const result = this.queue.then(() => localPush(this.path, this.backups, state));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /**
   * The baseline for a write. Re-reading a large state before every write would be wasteful, so
   * the file is re-read only when it is not the version this store last saw (another process
   * wrote it, or this store never read it).
   */
  private async currentBaseline(): Promise<Baseline | undefined> {
    const base = this.baseline;
    let st: Stats;
    try {
      st = await stat(this.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      if (base?.file !== undefined) throw stateConflictError(this.description, base.serial, undefined);
      return base;
    }
    if (base?.file !== undefined && sameFile(base.file, st)) return base;
    const found = await this.readDisk();
    // Another process replaced the file since this store read it. The same generation (a touch,
    // a copy) is fine; a newer one means this run's picture is outdated, as the postgres store's
    // `WHERE serial = $read` finds: refuse rather than overwrite what the other run wrote.
    if (base !== undefined && found !== undefined) {
      const read = base.file === undefined ? undefined : base.serial;
      if (read !== found.baseline.serial) {
        throw stateConflictError(this.description, read, found.baseline.serial);
      }
    }
    return found?.baseline;
  }

  private async readDisk(): Promise<{ state: StateFile; baseline: Baseline } | undefined> {
    let handle;
    try {
      handle = await open(this.path, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    let st: Stats;
    let text: string;
    try {
      st = await handle.stat();
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
    const state = parseState(text, this.path, {
      describeBackups: () => describeBackups(this.path, this.backups, (t) => serialOf(t, this.path)),
    });
    const file = { dev: st.dev, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs };
    return { state, baseline: { lineage: state.lineage, serial: state.serial, content: snapshotOf(state), file } };
  }
}

function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

function serialOf(text: string, file: string): number | undefined {
  try {
    return parseState(text, file).serial;
  } catch {
    return undefined;
  }
}
