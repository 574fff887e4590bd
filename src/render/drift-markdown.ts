// The drift report as Markdown for a PR comment or $GITHUB_STEP_SUMMARY. Deterministic: the same
// report gives the same bytes (one timestamp line, from the report), so a bot can update its
// comment only when the text changes. Each finding folds into a <details> block so a long
// report stays one screen until someone opens it.
import type { DriftField } from '../planner/types.js';
import { formatValue } from './values.js';
import { EXIT_MEANING, KIND_ORDER, KINDS } from '../drift/kinds.js';
import { cell, code, escapeHtml, inline, table, truncate } from './markdown-cells.js';
import { summaryLine } from './drift-summary.js';
import type { DriftReport, Finding } from '../drift/types.js';

/** GitHub refuses comments over 65,536 characters; past this many findings the rest are counted, not shown. */
const MAX_DETAILS = 50;
const MAX_IN_SYNC_LISTED = 20;

export function renderDriftMarkdown(report: DriftReport): string {
  const out = [`### imagectl drift: ${EXIT_MEANING[report.exit_code].headline}`, '', summaryLine(report), ''];
  out.push(`Checked at ${report.created_at} against state serial ${report.state.serial}.`, '');
  const rows = [...KIND_ORDER.map((k) => [KINDS[k].label, String(report.summary[k])]), ['suppressed', String(report.summary.suppressed)], ['resolved', String(report.summary.resolved)]];
  out.push(...table(['kind', 'count'], rows), '');
  const live = report.findings.filter((f) => f.kind !== 'in_sync' && f.suppressed === undefined);
  for (const f of live.slice(0, MAX_DETAILS)) out.push(...details(f), '');
  if (live.length > MAX_DETAILS) out.push(`…and ${live.length - MAX_DETAILS} more findings (see the JSON report).`, '');
  out.push(...inSync(report.findings), ...suppressed(report.findings), ...resolved(report.resolved), ...warnings(report.warnings));
  out.push(`Exit code ${report.exit_code}: ${inline(EXIT_MEANING[report.exit_code].explanation)}.`);
  return out.join('\n') + '\n';
}

function details(f: Finding): string[] {
  const status = f.status === undefined ? '' : ` (${f.status})`;
  const out = [`<details><summary>${escapeHtml(f.address)} — ${KINDS[f.kind].label}${status}</summary>`, ''];
  const who = [f.id === undefined ? '' : `id ${code(f.id)}`, f.name === undefined ? '' : `name ${code(f.name)}`, `provider ${code(f.provider)}`];
  out.push(who.filter((x) => x !== '').join(', '), '');
  if (f.message !== undefined) out.push(inline(f.message), '');
  if (f.fields.length > 0) {
    // The same expected/actual pair means different things per kind; the headers say which.
    const header = f.kind === 'pending' ? ['field', 'configured', 'last applied'] : ['field', 'expected (state)', 'actual (cloud)'];
    out.push(...table(header, f.fields.map(fieldRow)), '');
  }
  for (const x of f.ignored_fields ?? []) out.push(`Ignored ${code(x.path)}: ${inline(x.reason)} (rule ${code(x.rule)}).`, '');
  out.push('</details>');
  return out;
}

function fieldRow(x: DriftField): string[] {
  return [cell(code(x.path)), cell(code(truncate(formatValue(x.expected)))), cell(code(truncate(formatValue(x.actual))))];
}

function inSync(findings: readonly Finding[]): string[] {
  const names = findings.filter((f) => f.kind === 'in_sync').map((f) => code(f.address));
  if (names.length === 0) return [];
  const more = names.length > MAX_IN_SYNC_LISTED ? ` and ${names.length - MAX_IN_SYNC_LISTED} more` : '';
  return [`**In sync:** ${names.slice(0, MAX_IN_SYNC_LISTED).join(', ')}${more}.`, ''];
}

function suppressed(findings: readonly Finding[]): string[] {
  const items = findings.flatMap((f) =>
    f.suppressed === undefined ? [] : [`- ${code(f.address)} ${KINDS[f.kind].label}: ${inline(f.suppressed.reason)} (rule ${code(f.suppressed.rule)})`],
  );
  return items.length === 0 ? [] : ['**Suppressed by ignore rules** (listed, not counted):', '', ...items, ''];
}

function resolved(findings: readonly Finding[]): string[] {
  if (findings.length === 0) return [];
  return [`**Resolved since the previous report:** ${findings.map((f) => `${code(f.address)} (${KINDS[f.kind].label})`).join(', ')}.`, ''];
}

function warnings(list: readonly string[]): string[] {
  if (list.length === 0) return [];
  return ['> **Warnings**', '>', ...list.map((w) => `> - ${inline(w)}`), ''];
}
