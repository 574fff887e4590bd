// The one redactor every message passes through before a person (or a CI log) can read it.
// A secret rarely comes back the way it was sent: a server that echoes a JSON body quotes it
// JSON-escaped (a password holding `"` or `\` becomes `\"`, `\\`), sometimes escaped twice
// (a JSON body quoted inside another JSON string) or with `\u0022` forms; a form or a URL
// carries it percent-encoded; an Authorization header carries base64 of `user:password`,
// which no substring of the password's own base64 matches. So each secret is matched with a
// pattern where every character may appear in any of those encodings, and every base64-looking
// token is decoded and masked whole when it holds a secret.

/** Values this short would blank out ordinary words; they cannot be told apart from text. */
export const MIN_SECRET_LENGTH = 4;

const HEX = (n: number, width: number): string =>
  n.toString(16).padStart(width, '0').split('').map((d) => (/[a-f]/.test(d) ? `[${d}${d.toUpperCase()}]` : d)).join('');

const reEscape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** `"` → `\"`, `\` → `\\`, control characters → `\n`/`\u0001`; everything else unchanged. */
const jsonEscape = (s: string): string => JSON.stringify(s).slice(1, -1);

const HTML: Readonly<Record<string, string[]>> = { '"': ['&quot;', '&#34;'], '&': ['&amp;', '&#38;'], '<': ['&lt;', '&#60;'], '>': ['&gt;', '&#62;'], "'": ['&#39;', '&#x27;', '&apos;'] };

/** Every way one character of a secret may be written in text that reached us. */
function charForms(ch: string): string[] {
  const forms = new Set<string>([reEscape(ch)]);
  const escaped = [jsonEscape(ch), ...(ch === '/' ? ['\\/'] : [])].filter((e) => e !== ch);
  // \uXXXX for each UTF-16 unit (JSON encoders that escape everything but ASCII letters, or
  // HTML-sensitive characters as Go does), and percent-encoding of each UTF-8 byte.
  const units = [...Array(ch.length).keys()].map((i) => ch.charCodeAt(i));
  const uForm = units.map((u) => `\\\\[uU]${HEX(u, 4)}`).join('');
  forms.add(uForm);
  forms.add(`\\\\${uForm}`); // the \u form escaped once more
  for (const e of escaped) {
    forms.add(reEscape(e));
    forms.add(reEscape(jsonEscape(e))); // escaped twice: a JSON body quoted inside a JSON string
  }
  forms.add([...Buffer.from(ch, 'utf8')].map((b) => `%${HEX(b, 2)}`).join(''));
  if (ch === ' ') forms.add('\\+');
  for (const h of HTML[ch] ?? []) forms.add(reEscape(h));
  return [...forms];
}

function secretPattern(secret: string): string {
  return [...secret].map((ch) => {
    const forms = charForms(ch);
    return forms.length === 1 ? forms[0] : `(?:${forms.join('|')})`;
  }).join('');
}

/** Runs that may be base64 or base64url (with or without padding), long enough to hide a secret. */
const BASE64_TOKEN = /[A-Za-z0-9+/_-]{6,}={0,2}/g;

/**
 * Masks secrets in text. Build one per set of secrets and reuse it: the patterns are compiled
 * once. Secrets shorter than MIN_SECRET_LENGTH are ignored.
 */
export class Redactor {
  private readonly any: RegExp | undefined;

  constructor(secrets: Iterable<unknown>, private readonly mask: string = '***') {
    const list = [...new Set([...secrets].filter((s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH))];
    // Longest first, so a secret that contains another is masked whole.
    list.sort((a, b) => b.length - a.length);
    this.any = list.length === 0 ? undefined : new RegExp(list.map(secretPattern).join('|'), 'g');
  }

  /** Whether `text` holds a secret in any encoding this redactor knows. */
  contains(text: string): boolean {
    return this.redact(text) !== text;
  }

  redact(text: string): string {
    const any = this.any;
    if (any === undefined || text === '') return text;
    const out = text.replace(any, this.mask);
    return out.replace(BASE64_TOKEN, (token) => (this.hidesSecret(token) ? this.mask : token));
  }

  private hidesSecret(token: string): boolean {
    const any = this.any;
    if (any === undefined) return false;
    // A token may start mid-word ("Basicdm9..." is not split by the pattern): try each offset
    // that realigns the 4-character base64 groups.
    for (let skip = 0; skip < 4 && token.length - skip >= 6; skip++) {
      const bytes = Buffer.from(token.slice(skip), 'base64');
      for (const decoded of [bytes.toString('utf8'), bytes.toString('latin1')]) {
        any.lastIndex = 0;
        if (any.test(decoded)) return true;
      }
    }
    return false;
  }
}

/** One-off form of Redactor: every occurrence of each secret, in every encoding, becomes `mask`. */
export function redactSecrets(text: string, secrets: Iterable<unknown>, mask: string = '***'): string {
  return new Redactor(secrets, mask).redact(text);
}
