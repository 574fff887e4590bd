// Human drift output for a terminal or a CI log. A pure function of the report; the caller
// decides colour. Order follows what a reader does next: the verdict, what to act on, what was
// accepted (suppressed, last so it cannot be mistaken for live drift), what got fixed, warnings,
// and finally why the command exits the way it does.
import type { DriftField } from '../planner/types.js';
import { DRIFT_GLYPHS, makeStyle, type Style } from './glyphs.js';
import { formatValue } from './values.js';
import { KINDS } from '../drift/kinds.js';
import { exitLine, summaryLine } from './drift-summary.js';
import type { DriftReport, Finding } from '../drift/types.js';

/** In-sync addresses are listed on one line; past this many the line says "and N more". */
const MAX_IN_SYNC_LISTED = 20;

export function renderDriftText(report: DriftReport, opts: { colour: boolean }): string {
  const st = makeStyle(opts.colour);
  const lines = [st.paint('bold', summaryLine(report))];
  const live = report.findings.filter((f) => f.kind !== 'in_sync' && f.suppressed === undefined);
  if (live.length > 0) lines.push('');
  for (const f of live) lines.push(...findingLines(st, f));
  lines.push(...inSyncLines(report.findings));
  lines.push(...section(st, 'Suppressed by ignore rules:', report.findings.filter((f) => f.suppressed !== undefined).map((f) => suppressedLine(st, f))));
  lines.push(...section(st, 'Resolved since the previous report:', report.resolved.map((f) => `  ${f.address} ${KINDS[f.kind].label}${identity(f)}`)));
  if (report.warnings.length > 0) lines.push('');
  for (const w of report.warnings) lines.push(st.paint('yellow', `Warning: ${w}`));
  lines.push('', st.paint(report.exit_code === 0 ? 'green' : 'bold', exitLine(report)));
  return lines.join('\n') + '\n';
}

function findingLines(st: Style, f: Finding): string[] {
  const k = { ...KINDS[f.kind], ...DRIFT_GLYPHS[f.kind] };
  const marker = f.status === undefined ? '' : ` ${st.paint(f.status === 'new' ? 'bold' : 'dim', `[${f.status}]`)}`;
  const lines = [`  ${st.paint(k.colour, k.symbol)} ${st.paint('bold', f.address)} ${k.label}${identity(f)}${marker}`];
  if (f.message !== undefined && f.kind !== 'modified') lines.push(`      ${f.message}`);
  for (const x of f.fields) lines.push(`      ${fieldLine(f, x)}`);
  for (const x of f.ignored_fields ?? []) lines.push(st.paint('dim', `      ${fieldLine(f, x)}  (ignored: ${x.reason}; rule ${x.rule})`));
  return lines;
}

/**
 * `path: old -> new`. For live drift that is state -> cloud (expected -> actual); for pending it
 * is applied -> configured, the direction apply would move it, as in the plan output.
 */
function fieldLine(f: Finding, x: DriftField): string {
  const [from, to] = f.kind === 'pending' ? [x.actual, x.expected] : [x.expected, x.actual];
  return `${x.path.slice(1)}: ${formatValue(from)} -> ${formatValue(to)}`;
}

function identity(f: Finding): string {
  const parts: string[] = [];
  if (f.id !== undefined) parts.push(`id ${f.id}`);
  if (f.name !== undefined) parts.push(`name ${JSON.stringify(f.name)}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

function suppressedLine(st: Style, f: Finding): string {
  const k = { ...KINDS[f.kind], ...DRIFT_GLYPHS[f.kind] };
  const why = f.suppressed === undefined ? '' : `: ${f.suppressed.reason} (rule ${f.suppressed.rule})`;
  return st.paint('dim', `  ${k.symbol} ${f.address} ${k.label}${identity(f)}${why}`);
}

function inSyncLines(findings: readonly Finding[]): string[] {
  const names = findings.filter((f) => f.kind === 'in_sync').map((f) => f.address);
  if (names.length === 0) return [];
  const shown = names.slice(0, MAX_IN_SYNC_LISTED).join(', ');
  const more = names.length > MAX_IN_SYNC_LISTED ? ` and ${names.length - MAX_IN_SYNC_LISTED} more` : '';
  return ['', `In sync: ${shown}${more}.`];
}

function section(st: Style, title: string, body: string[]): string[] {
  return body.length === 0 ? [] : ['', st.paint('bold', title), ...body];
}
