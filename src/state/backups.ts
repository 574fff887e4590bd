// Rotated backups of the state file, kept beside it as `state.json.1` (newest) ... `state.json.N`.
// Beside rather than in a `backups/` folder so that `ls .imagectl` shows them and the recovery
// advice is one `cp state.json.1 state.json`. The previous generation is hard-linked (not renamed)
// to `.1`, so the state name is never missing, even for an instant: a crash between rotation and
// the final rename must not make the next run see "no state" and start a new lineage.
import { chmod, copyFile, link, rename, stat, unlink } from 'node:fs/promises';
import { readFileSync, statSync } from 'node:fs';

export function backupPath(file: string, generation: number): string {
  return `${file}.${generation}`;
}

/**
 * Shifts `.1`→`.2` ... up to the first missing generation (dropping the oldest only when all are
 * there), then makes the current file `.1`. A run killed in the middle of a rotation leaves one
 * generation missing; shifting only up to it fills that gap at the next write instead of carrying
 * it along and losing a backup on every rotation until it falls off the end.
 */
export async function rotateBackups(file: string, count: number): Promise<void> {
  if (count <= 0) return;
  if (!(await exists(file))) return;
  let free = 1;
  while (free <= count && (await exists(backupPath(file, free)))) free++;
  if (free > count) {
    free = count;
    await unlink(backupPath(file, count)).catch(ignoreMissing);
  }
  for (let g = free - 1; g >= 1; g--) {
    await rename(backupPath(file, g), backupPath(file, g + 1));
  }
  const first = backupPath(file, 1);
  try {
    await link(file, first);
  } catch (e) {
    // Filesystems without hard links (some network and FAT mounts): copy instead.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    await copyFile(file, first);
    await chmod(first, 0o600);
  }
}

/**
 * One line per existing backup ("state.json.1 (serial 41, saved 2026-...)"), for the message of a
 * refused state file. Synchronous and only called on that error path. `summarize` reads a backup's
 * serial, or returns undefined when that backup is unreadable too.
 */
export function describeBackups(file: string, count: number, summarize: (text: string) => number | undefined): string {
  const lines: string[] = [];
  for (let g = 1; g <= count; g++) {
    const path = backupPath(file, g);
    let saved: string;
    let text: string;
    try {
      saved = statSync(path).mtime.toISOString();
      text = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    const serial = summarize(text);
    lines.push(`  ${path} (${serial === undefined ? 'also unreadable' : `serial ${serial}`}, saved ${saved})`);
  }
  if (lines.length === 0) {
    return `No backups exist beside it (imagectl keeps the last ${count} as ${backupPath(file, 1)} ... .${count}).`;
  }
  return `Backups of earlier generations (newest first):\n${lines.join('\n')}\n` +
    `To recover, inspect the newest readable backup and copy it over ${file}.`;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, (e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return false;
    throw e;
  });
}

function ignoreMissing(e: NodeJS.ErrnoException): void {
  if (e.code !== 'ENOENT') throw e;
}
