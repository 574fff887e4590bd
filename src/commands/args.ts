// The CLI's flag parser, shared by every command.
// A small argument parser: the commands' flags are few and known, so a table beats a
// dependency. Unknown flags are errors (with a suggestion), never ignored.
import { closest } from '../util/suggest.js';
import { ImagectlError } from '../util/errors.js';

export interface FlagSpec {
  /** Flags that take a value (`--out FILE`, `--out=FILE`). */
  values: readonly string[];
  /** Boolean flags (`--json`, `--refresh=false`). */
  booleans: readonly string[];
  /** Flags that may repeat (collected in order). */
  repeat?: readonly string[];
  aliases?: Readonly<Record<string, string>>;
}

export interface Parsed {
  flags: Record<string, string | boolean | string[]>;
  positionals: string[];
}

export const COMMON: FlagSpec = {
  values: ['config', 'parallelism', 'lock-timeout'],
  booleans: ['no-color', 'help'],
  aliases: { c: 'config', h: 'help' },
};

function merge(a: FlagSpec, b: FlagSpec): FlagSpec {
  return {
    values: [...a.values, ...b.values],
    booleans: [...a.booleans, ...b.booleans],
    repeat: [...(a.repeat ?? []), ...(b.repeat ?? [])],
    aliases: { ...a.aliases, ...b.aliases },
  };
}

export function parseArgs(argv: readonly string[], specific: FlagSpec): Parsed {
  const spec = merge(COMMON, specific);
  const out: Parsed = { flags: {}, positionals: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    const m = /^(--?)([^=]+)(?:=(.*))?$/.exec(arg);
    if (!m || arg === '-') {
      out.positionals.push(arg);
      continue;
    }
    const raw = m[2] as string;
    const name = spec.aliases?.[raw] ?? raw;
    const inline = m[3];
    if (spec.booleans.includes(name)) {
      if (inline !== undefined && !['true', 'false'].includes(inline)) throw new ImagectlError('USAGE', `--${name} takes true or false, not '${inline}'`);
      out.flags[name] = inline === undefined ? true : inline === 'true';
    } else if (spec.values.includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new ImagectlError('USAGE', `--${name} needs a value`);
      if (spec.repeat?.includes(name)) out.flags[name] = [...((out.flags[name] as string[] | undefined) ?? []), value];
      else out.flags[name] = value;
    } else {
      const flags = [...spec.values, ...spec.booleans];
      const guess = closest(raw, flags);
      const hint = guess === undefined ? '' : `did you mean --${guess}? `;
      throw new ImagectlError('USAGE', `unknown flag ${m[1]}${raw} (${hint}this command takes ${flags.map((f) => `--${f}`).join(', ')})`);
    }
  }
  return out;
}

export const str = (p: Parsed, name: string): string | undefined => {
  const v = p.flags[name];
  return typeof v === 'string' ? v : undefined;
};
export const bool = (p: Parsed, name: string, dflt = false): boolean => {
  const v = p.flags[name];
  return typeof v === 'boolean' ? v : dflt;
};
export const list = (p: Parsed, name: string): string[] => {
  const v = p.flags[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
};

export function intFlag(p: Parsed, name: string, dflt: number, min = 1): number {
  const v = str(p, name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new ImagectlError('USAGE', `--${name} must be a whole number of at least ${min}, not '${v}'`);
  return n;
}

/** "30s", "5m", "250ms", "1h" or plain seconds → milliseconds. */
export function durationFlag(p: Parsed, name: string, dfltMs: number): number {
  const v = str(p, name);
  if (v === undefined) return dfltMs;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v.trim());
  if (!m) throw new ImagectlError('USAGE', `--${name} must be a duration like 30s, 5m or 500ms, not '${v}'`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(m[1]) * unit);
}
