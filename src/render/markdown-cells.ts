// Markdown building blocks for the drift report: values that cannot break out of a table cell or
// a code span, whatever an image description holds. GitHub renders these reports in PR comments
// and job summaries, where one stray `|` or backtick would garble the whole table.

/** Values longer than this are cut, so one huge field cannot push a PR comment past GitHub's limit. */
export const MAX_VALUE_CHARS = 200;

/** Cut `text` to MAX_VALUE_CHARS, saying so. */
export function truncate(text: string): string {
  return text.length <= MAX_VALUE_CHARS ? text : `${text.slice(0, MAX_VALUE_CHARS)}… (${text.length - MAX_VALUE_CHARS} more characters)`;
}

/**
 * A code span that holds any text: backslashes do not escape inside code spans, so the fence is
 * made one backtick longer than the longest run inside, and padded with spaces when the text
 * touches a backtick (CommonMark strips one space on each side).
 */
export function code(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A table cell: GFM splits rows on `|` before it looks at code spans, so pipes are escaped even there. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** Free text (messages, reasons) in Markdown: no HTML, no emphasis, no links by accident. */
export function inline(text: string): string {
  return escapeHtml(text.replace(/\r?\n/g, ' ')).replace(/([\\`*_[\]|#])/g, '\\$1');
}

/** Text inside an HTML element such as <summary>. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)];
}
