// imagectl drift: does the cloud still match Git? Strictly read-only: a shared lock, no state
// write, no mutating API call. Exit 0 in sync, 2 config not applied, 3 live drift, 4 unchecked.
import { readFile, writeFile } from 'node:fs/promises';
import { buildReport, parseDriftReport, renderDriftJson, renderDriftMarkdown, renderDriftText, type IgnoreRule } from '../drift/index.js';
import { makePlan } from '../plan-pipeline/make-plan.js';
import { findUnmanaged } from '../drift/unmanaged.js';
import { ImagectlError } from '../util/errors.js';
import { isObject } from '../util/json.js';
import { bool, list, parseArgs, str } from './args.js';
import type { Io } from './io.js';
import { withRun } from './run.js';
import type { LoadedConfig } from '../config/types.js';

const FORMATS = ['text', 'json', 'markdown'] as const;
type Format = (typeof FORMATS)[number];

function rules(config: LoadedConfig): IgnoreRule[] {
  const raw = config.drift?.['ignore'];
  if (!Array.isArray(raw)) return [];
  return raw.filter(isObject).map((r) => {
    const rule: IgnoreRule = { address: String(r['address']), reason: String(r['reason']) };
    if (typeof r['path'] === 'string') rule.path = r['path'];
    if (typeof r['expires'] === 'string') rule.expires = r['expires'];
    return rule;
  });
}

/** --report FILE is written in the format its extension names (.md, .txt), JSON otherwise. */
function formatFor(file: string): Format {
  return file.endsWith('.md') ? 'markdown' : file.endsWith('.txt') ? 'text' : 'json';
}

export async function driftCommand(argv: readonly string[], io: Io): Promise<number> {
  const p = parseArgs(argv, { values: ['format', 'report', 'since', 'target'], booleans: ['unmanaged'], repeat: ['target'] });
  const format = (str(p, 'format') ?? 'text') as Format;
  if (!FORMATS.includes(format)) throw new ImagectlError('USAGE', `--format must be one of ${FORMATS.join(', ')}, not '${format}'`);
  const since = str(p, 'since');
  const previous = since === undefined ? undefined : parseDriftReport(await readFile(since, 'utf8').catch((e: unknown) => {
    throw new ImagectlError('SINCE_UNREADABLE', `cannot read --since ${since}: ${(e as Error).message}`);
  }), since);
  return withRun(p, io, { command: 'drift', mode: 'shared' }, async (ctx) => {
    const { plan, refreshed } = await makePlan({
      config: ctx.config, state: ctx.state, sessions: ctx.connected.sessions, schemas: ctx.connected.schemas,
      secrets: ctx.imageSecrets, parallelism: ctx.parallelism, targets: list(p, 'target'), allowEmpty: true,
    });
    const unmanaged = bool(p, 'unmanaged') ? findUnmanaged(ctx.config, ctx.state, refreshed?.listed ?? {}) : [];
    // A provider that could not be listed has unknown leaked images: never "none found" (exit 4).
    const unlisted = bool(p, 'unmanaged') ? (refreshed?.listErrors ?? {}) : {};
    const report = buildReport({ plan, unmanaged, unlisted, rules: rules(ctx.config), now: new Date().toISOString(), ...(previous ? { previous } : {}) });
    const render = (f: Format): string => (f === 'json' ? renderDriftJson(report) : f === 'markdown' ? renderDriftMarkdown(report) : renderDriftText(report, { colour: io.colour && f === format }));
    const file = str(p, 'report');
    if (file !== undefined) await writeFile(file, render(formatFor(file)));
    io.out(render(format));
    return report.exit_code;
  });
}
