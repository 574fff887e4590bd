// `drift.ignore` rules: known, accepted drift that should stay visible but stop failing the job.
// Three promises, each fixing a complaint about other tools (research/anchors.md §3.4):
//  - a suppressed finding is still listed, with the reason, so nobody accepts drift unknowingly;
//  - a rule with `expires` stops working on its own and says so, so "temporary" stays temporary;
//  - nothing hides `not_checked`: a failure to look is never an accepted state.
import type { LoadedConfig } from '../config/types.js';
import type { DriftField } from '../planner/types.js';
import { isObject } from '../util/json.js';
import type { Draft, IgnoredField, IgnoreRule } from './types.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The configuration's `drift.ignore` rules (validated against the config schema already). */
export function ignoreRulesOf(config: Pick<LoadedConfig, 'drift'>): IgnoreRule[] {
  const raw = config.drift?.['ignore'];
  if (!Array.isArray(raw)) return [];
  return raw.filter(isObject).map((r) => {
    const rule: IgnoreRule = { address: String(r['address']), reason: String(r['reason']) };
    if (typeof r['path'] === 'string') rule.path = r['path'];
    if (typeof r['expires'] === 'string') rule.expires = r['expires'];
    return rule;
  });
}

/** `*` is any run of characters (dots and slashes included), `?` exactly one; the rest is literal. */
export function globMatches(glob: string, text: string): boolean {
  const source = [...glob].map((ch) => (ch === '*' ? '[\\s\\S]*' : ch === '?' ? '[\\s\\S]' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`).test(text);
}

/** A rule path covers a field when it is the field's pointer or an ancestor of it ("/source" covers "/source/url"). */
export function pathCovers(rulePath: string, fieldPath: string): boolean {
  return rulePath === '' || fieldPath === rulePath || fieldPath.startsWith(rulePath.endsWith('/') ? rulePath : `${rulePath}/`);
}

/** How a rule is named in reports: its address, and its path when it has one. */
export function ruleLabel(rule: IgnoreRule): string {
  return rule.path === undefined ? rule.address : `${rule.address} ${rule.path}`;
}

/**
 * Whether the rule has stopped applying at `now`. A bare date ("2026-03-31") holds through that
 * whole UTC day, which is what a person writing "expires: 2026-03-31" means. An unreadable date
 * counts as expired: when in doubt, show the drift.
 */
export function isExpired(rule: IgnoreRule, now: string): boolean {
  if (rule.expires === undefined) return false;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(rule.expires);
  const end = dateOnly ? Date.parse(`${rule.expires}T00:00:00Z`) + DAY_MS : Date.parse(rule.expires);
  if (Number.isNaN(end)) return true;
  return dateOnly ? Date.parse(now) >= end : end < Date.parse(now);
}

export function applyIgnoreRules(drafts: readonly Draft[], rules: readonly IgnoreRule[], now: string): { drafts: Draft[]; warnings: string[] } {
  const warnings: string[] = [];
  const active: IgnoreRule[] = [];
  for (const rule of rules) {
    if (!isExpired(rule, now)) active.push(rule);
    else if (Number.isNaN(Date.parse(rule.expires ?? ''))) warnings.push(`ignore rule for ${ruleLabel(rule)} has an unreadable expiry date "${rule.expires ?? ''}" and does not suppress anything (reason: ${rule.reason})`);
    else warnings.push(`ignore rule for ${ruleLabel(rule)} expired on ${rule.expires ?? ''} (reason: ${rule.reason})`);
  }
  return { drafts: drafts.map((d) => applyTo(d, active)), warnings };
}

function applyTo(draft: Draft, rules: readonly IgnoreRule[]): Draft {
  // in_sync has nothing to hide; not_checked must never be hidden.
  if (draft.kind === 'in_sync' || draft.kind === 'not_checked') return draft;
  const matching = rules.filter((r) => globMatches(r.address, draft.address));
  const whole = matching.find((r) => r.path === undefined);
  if (whole) return { ...draft, suppressed: { reason: whole.reason, rule: ruleLabel(whole) } };
  // A path rule speaks about a field; only a `modified` finding is made of drifted fields.
  if (draft.kind !== 'modified' || draft.fields.length === 0) return draft;
  const kept: DriftField[] = [];
  const ignored: IgnoredField[] = [];
  const used: IgnoreRule[] = [];
  for (const field of draft.fields) {
    const rule = matching.find((r) => r.path !== undefined && pathCovers(r.path, field.path));
    if (rule === undefined) kept.push(field);
    else {
      ignored.push({ ...field, reason: rule.reason, rule: ruleLabel(rule) });
      if (!used.includes(rule)) used.push(rule);
    }
  }
  if (ignored.length === 0) return draft;
  if (kept.length === 0) {
    // Every field is accepted: the finding as a whole is suppressed and keeps its fields for display.
    const suppressed = { reason: used.map((r) => r.reason).join('; '), rule: used.map(ruleLabel).join(', ') };
    return { ...draft, suppressed };
  }
  return { ...draft, fields: kept, ignored_fields: ignored };
}
