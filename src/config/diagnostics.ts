// Collects every configuration problem before anything is thrown, so one run reports them all
// (Terraform's tfdiags habit). Diagnostics are deduplicated because two checks can legitimately
// reach the same conclusion (the schema and the secret check both reject a literal password).
import { ConfigError, type Diagnostic } from '../util/errors.js';
import type { SourcePos } from './types.js';

export class Diagnostics {
  private readonly items: Diagnostic[] = [];
  private readonly seen = new Set<string>();

  add(pos: SourcePos, message: string): void {
    const key = `${pos.file}\0${pos.line}\0${pos.col}\0${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.items.push({ file: pos.file, line: pos.line, col: pos.col, message });
  }

  get count(): number {
    return this.items.length;
  }

  /** Sorted by file, line, column, then message, so output is stable across runs. */
  sorted(): Diagnostic[] {
    return [...this.items].sort(compareDiagnostics);
  }

  /** Throws a ConfigError carrying every diagnostic collected so far, if there is any. */
  throwIfAny(): void {
    if (this.items.length > 0) throw new ConfigError(this.sorted());
  }
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.col !== b.col) return a.col - b.col;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

/** `images.ubuntu.source.url`, `images.x.tags[0].key`: how users name a place in their YAML. */
export function displayPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out === '' ? '(top level)' : out;
}
