// Secrets cross the pipe only towards the plugin. Whatever comes back for people to read (error
// messages, progress, the tail of its stderr shown when it fails) is scrubbed of every secret
// value the host has sent it, because those texts end up in CI logs.

const MASK = '(sensitive)';
const TAIL_LINES = 20;
const MAX_LINE = 500;

export class Scrubber {
  private readonly secrets = new Set<string>();

  add(value: unknown): void {
    if (typeof value === 'string' && value !== '') this.secrets.add(value);
  }

  scrub(text: string): string {
    let out = text;
    // Longest first, so a secret that contains another is masked whole.
    for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join(MASK);
    return out;
  }
}

/** The last lines the plugin wrote on stderr: context for an error, never printed otherwise. */
export class StderrTail {
  private readonly lines: string[] = [];

  push(line: string): void {
    this.lines.push(line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}...` : line);
    if (this.lines.length > TAIL_LINES) this.lines.shift();
  }

  /** An indented block to append to a message, or '' when the plugin said nothing. */
  render(scrubber: Scrubber): string {
    const lines = this.lines.filter((l) => l.trim() !== '');
    if (lines.length === 0) return '';
    return `\n  last lines of its stderr:\n${lines.map((l) => `    | ${scrubber.scrub(l)}`).join('\n')}`;
  }
}
