// The slice of OData 4.01 that Nutanix clients use on lists: `name eq 'x'`, `ne`,
// `startswith(name,'x')`, `contains(name,'x')`, joined with `and`/`or` and parentheses.
// Anything else is a parse error (→ 400), so a driver never silently gets an unfiltered list.

export type Row = Record<string, unknown>;
export type Predicate = (row: Row) => boolean;

type Token = { t: 'str'; v: string } | { t: 'num'; v: number } | { t: 'id'; v: string } | { t: 'p'; v: '(' | ')' | ',' };

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i] ?? '';
    if (/\s/.test(c)) i++;
    else if (c === '(' || c === ')' || c === ',') (out.push({ t: 'p', v: c }), i++);
    else if (c === "'") {
      let v = '';
      for (i++; ; i++) {
        if (i >= s.length) throw new Error('unterminated string literal');
        if (s[i] === "'" && s[i + 1] === "'") (v += "'", i++);
        else if (s[i] === "'") break;
        else v += s[i];
      }
      i++;
      out.push({ t: 'str', v });
    } else {
      const m = /^(-?\d+(\.\d+)?|[A-Za-z_$][\w.$]*)/.exec(s.slice(i));
      if (!m) throw new Error(`unexpected character '${c}' at ${i}`);
      out.push(/^-?\d/.test(m[0]) ? { t: 'num', v: Number(m[0]) } : { t: 'id', v: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly toks: Token[], private readonly fields: ReadonlySet<string>) {}

  parse(): Predicate {
    const p = this.or();
    if (this.i < this.toks.length) throw new Error('unexpected trailing tokens');
    return p;
  }
  private peek(): Token | undefined {
    return this.toks[this.i];
  }
  private next(): Token {
    const t = this.toks[this.i++];
    if (!t) throw new Error('unexpected end of expression');
    return t;
  }
  private expect(v: '(' | ')' | ','): void {
    const t = this.next();
    if (t.t !== 'p' || t.v !== v) throw new Error(`expected '${v}'`);
  }
  private keyword(k: string): boolean {
    const t = this.peek();
    if (t?.t === 'id' && t.v.toLowerCase() === k) return (this.i++, true);
    return false;
  }
  private or(): Predicate {
    let left = this.and();
    while (this.keyword('or')) {
      const l = left, r = this.and();
      left = (row) => l(row) || r(row);
    }
    return left;
  }
  private and(): Predicate {
    let left = this.term();
    while (this.keyword('and')) {
      const l = left, r = this.term();
      left = (row) => l(row) && r(row);
    }
    return left;
  }
  private field(): string {
    const t = this.next();
    if (t.t !== 'id' || !this.fields.has(t.v)) throw new Error(`unsupported filter field '${'v' in t ? String(t.v) : ''}'`);
    return t.v;
  }
  private literal(): string | number {
    const t = this.next();
    if (t.t !== 'str' && t.t !== 'num') throw new Error('expected a literal');
    return t.v;
  }
  private term(): Predicate {
    const t = this.peek();
    if (t?.t === 'p' && t.v === '(') {
      this.i++;
      const p = this.or();
      this.expect(')');
      return p;
    }
    if (t?.t === 'id' && (t.v === 'startswith' || t.v === 'contains')) {
      this.i++;
      this.expect('(');
      const f = this.field();
      this.expect(',');
      const v = String(this.literal());
      this.expect(')');
      return t.v === 'startswith' ? (row) => String(row[f] ?? '').startsWith(v) : (row) => String(row[f] ?? '').includes(v);
    }
    const f = this.field();
    const op = this.next();
    if (op.t !== 'id' || (op.v !== 'eq' && op.v !== 'ne')) throw new Error(`unsupported operator`);
    const v = this.literal();
    return op.v === 'eq' ? (row) => row[f] === v : (row) => row[f] !== v;
  }
}

/** Throws Error with a human message on anything outside the supported subset. */
export function parseFilter(expr: string, fields: readonly string[]): Predicate {
  return new Parser(tokenize(expr), new Set(fields)).parse();
}

export type Comparator = (a: Row, b: Row) => number;

export function parseOrderBy(expr: string, fields: readonly string[]): Comparator {
  const parts = expr.split(',').map((p) => p.trim().split(/\s+/));
  const keys = parts.map(([field, dir, ...rest]) => {
    if (!field || !fields.includes(field) || rest.length > 0 || (dir !== undefined && dir !== 'asc' && dir !== 'desc')) {
      throw new Error(`unsupported $orderby '${expr}'`);
    }
    return { field, sign: dir === 'desc' ? -1 : 1 };
  });
  return (a, b) => {
    for (const { field, sign } of keys) {
      const x = a[field], y = b[field];
      if (x === y) continue;
      if (x === undefined || x === null) return sign;
      if (y === undefined || y === null) return -sign;
      return ((x as string | number) < (y as string | number) ? -1 : 1) * sign;
    }
    return 0;
  };
}
