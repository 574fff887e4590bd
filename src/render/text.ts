// Human plan output, Terraform-style. A pure function of the Plan: the caller decides colour.
import { changeKey, type DriftEntry, type FieldChange, type Plan, type ResourceChange } from '../planner/types.js';
import { glyph, makeStyle, type Style } from './glyphs.js';
import { formatValue } from './values.js';

function fieldLine(st: Style, c: FieldChange, action: ResourceChange['action']): string {
  const name = c.path.slice(1);
  // formatValue masks only the secret or unknown parts, so reviewers still see the rest of a block.
  const after = formatValue(c.after);
  const before = formatValue(c.before);
  const note = c.forces_replacement ? st.paint('red', ' # forces replacement') : '';
  if (action === 'create' || c.before === undefined) return `      ${st.paint('green', '+')} ${name} = ${after}${note}`;
  return `      ${st.paint('yellow', '~')} ${name} = ${before} -> ${after}${note}`;
}

function renderChange(st: Style, c: ResourceChange): string[] {
  const g = glyph(c.action, c.replace_order);
  // A deposed object is named apart from its address's current image (Terraform's "deposed object").
  const lines = [`  ${st.paint('bold', `# ${changeKey(c)}`)} ${g.verb}`];
  for (const r of c.reasons) if (r.code !== 'update_in_place' && r.code !== 'new') lines.push(`  ${st.paint('dim', `# (${r.message})`)}`);
  lines.push(`${st.paint(g.colour, g.symbol.padStart(3))} image "${c.address}" (${c.provider}) {`);
  if (c.id !== undefined) lines.push(`        id = ${JSON.stringify(c.id)}`);
  if (c.action === 'delete') {
    const name = c.before?.['name'];
    if (name !== undefined) lines.push(`      ${st.paint('red', '-')} name = ${formatValue(name)}`);
  } else {
    for (const f of c.changes) lines.push(fieldLine(st, f, c.action));
    if (c.action === 'create' || c.action === 'replace') lines.push(`      ${st.paint('green', '+')} id = (known after apply)`);
  }
  lines.push('    }', '');
  return lines;
}

function renderDrift(st: Style, drift: readonly DriftEntry[]): string[] {
  const moved = drift.filter((d) => d.kind === 'modified' || d.kind === 'deleted');
  if (moved.length === 0) return [];
  const lines = [st.paint('bold', 'Note: images changed outside imagectl since the last apply:'), ''];
  for (const d of moved) {
    if (d.kind === 'deleted') lines.push(`  ${st.paint('red', '-')} ${d.address} (${d.id ?? '?'}) was deleted`);
    else {
      lines.push(`  ${st.paint('yellow', '~')} ${d.address} (${d.id ?? '?'}) was modified:`);
      for (const f of d.fields) lines.push(`      ${f.path.slice(1)}: ${formatValue(f.expected)} -> ${formatValue(f.actual)}`);
    }
  }
  lines.push('');
  return lines;
}

/** A provider the plan did not read (--allow-unreadable): said first and last, never quietly. */
export function unreadLine(u: { provider: string; reason: string }): string {
  return `provider '${u.provider}' was NOT read (allowed by --allow-unreadable): its images are planned from the state alone and may have changed or gone: ${u.reason}`;
}

export function renderPlanText(plan: Plan, opts: { colour: boolean }): string {
  const st = makeStyle(opts.colour);
  const unread = (plan.unread ?? []).map((u) => st.paint('red', `Warning: ${unreadLine(u)}`));
  const lines: string[] = [...unread, ...(unread.length > 0 ? [''] : []), ...renderDrift(st, plan.drift)];
  const notChecked = plan.drift.filter((d) => d.kind === 'not_checked');
  for (const d of notChecked) lines.push(st.paint('yellow', `Warning: ${d.address} could not be checked (${d.message ?? 'unknown error'})`));
  if (notChecked.length > 0) lines.push('');
  const acting = plan.changes.filter((c) => c.action !== 'no-op');
  if (acting.length === 0) {
    // Not a claim that images match when a provider was not read.
    lines.push(unread.length > 0 ? 'No changes planned from what could be read.' : st.paint('green', 'No changes. Images match the configuration.'));
  } else {
    lines.push('imagectl will perform the following actions:', '');
    for (const c of acting) lines.push(...renderChange(st, c));
    const s = plan.summary;
    lines.push(st.paint('bold', `Plan: ${s.add} to add, ${s.change} to change, ${s.destroy} to destroy.`));
  }
  for (const w of plan.warnings) lines.push(st.paint('yellow', `Warning: ${w}`));
  lines.push(...unread);
  for (const e of plan.errors) lines.push(st.paint('red', `Error: ${e}`));
  return lines.join('\n') + '\n';
}
