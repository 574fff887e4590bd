// Command `imagectl drift`: does the cloud still match Git?
// Strictly read-only: a shared lock, no state write, no mutating API call. Exit 0 in sync,
// 2 config not applied, 3 live drift, 4 unchecked.
import { readFile, writeFile } from 'node:fs/promises';
import { parseDriftReport } from '../drift/read-report.js';
import { checkDrift } from '../plan-pipeline/drift-check.js';
import { renderDriftJson } from '../render/drift-json.js';
import { renderDriftMarkdown } from '../render/drift-markdown.js';
import { renderDriftText } from '../render/drift-text.js';
import { ImagectlError } from '../util/errors.js';
import { bool, list, parseArgs, str } from './args.js';
import type { Io } from './io.js';
import { withRun } from './run.js';

const FORMATS = ['text', 'json', 'markdown'] as const;
type Format = (typeof FORMATS)[number];

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
    const report = await checkDrift(ctx, {
      targets: list(p, 'target'), unmanaged: bool(p, 'unmanaged'), now: new Date().toISOString(), ...(previous ? { previous } : {}),
    });
    const render = (f: Format): string => (f === 'json' ? renderDriftJson(report) : f === 'markdown' ? renderDriftMarkdown(report) : renderDriftText(report, { colour: io.colour && f === format }));
    const file = str(p, 'report');
    if (file !== undefined) await writeFile(file, render(formatFor(file)));
    io.out(render(format));
    return report.exit_code;
  });
}
