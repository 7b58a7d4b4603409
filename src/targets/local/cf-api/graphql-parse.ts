/** A GraphQL value as written in a query: literals, `$variables`, lists and input objects. */
export type GqlValue =
  | { kind: 'var'; name: string }
  | { kind: 'literal'; value: unknown }
  | { kind: 'enum'; value: string }
  | { kind: 'list'; items: GqlValue[] }
  | { kind: 'object'; fields: Record<string, GqlValue> };

export interface GqlField {
  alias: string;
  name: string;
  args: Record<string, GqlValue>;
  selections: GqlField[] | null;
}

export class GqlSyntaxError extends Error {}

const TOKEN =
  /\s+|#[^\n]*|,|(\.\.\.|[{}()[\]:!$=@|&])|("(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|([_A-Za-z][_0-9A-Za-z]*)/y;

function tokenize(text: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) throw new GqlSyntaxError(`Syntax Error: Unexpected character "${text[at]}" at ${at}`);
    const token = m[1] ?? m[2] ?? m[3] ?? m[4];
    if (token !== undefined) out.push(token);
  }
  return out;
}

/**
 * Parses the query subset analytics clients send: one operation (`query Name($v: Type!) { … }` or a bare
 * selection set), fields with aliases, arguments and nested selections. Fragments are not supported.
 */
export function parseQuery(text: string): GqlField[] {
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i];
  const next = () => {
    if (i >= tokens.length) throw new GqlSyntaxError('Syntax Error: Unexpected end of query');
    return tokens[i++];
  };
  const expect = (t: string) => {
    const got = next();
    if (got !== t) throw new GqlSyntaxError(`Syntax Error: Expected "${t}", found "${got}"`);
  };
  const value = (): GqlValue => {
    const t = next();
    if (t === '$') return { kind: 'var', name: next() };
    if (t === '[') {
      const items: GqlValue[] = [];
      while (peek() !== ']') items.push(value());
      next();
      return { kind: 'list', items };
    }
    if (t === '{') {
      const fields: Record<string, GqlValue> = {};
      while (peek() !== '}') {
        const name = next();
        expect(':');
        fields[name] = value();
      }
      next();
      return { kind: 'object', fields };
    }
    if (t.startsWith('"')) return { kind: 'literal', value: JSON.parse(t) };
    if (/^-?\d/.test(t)) return { kind: 'literal', value: Number(t) };
    if (t === 'true' || t === 'false') return { kind: 'literal', value: t === 'true' };
    if (t === 'null') return { kind: 'literal', value: null };
    return { kind: 'enum', value: t };
  };
  const selectionSet = (): GqlField[] => {
    expect('{');
    const fields: GqlField[] = [];
    while (peek() !== '}') {
      if (peek() === '...') throw new GqlSyntaxError('Fragments are not supported by the local API');
      let name = next();
      const alias = name;
      if (peek() === ':') {
        next();
        name = next();
      }
      const args: Record<string, GqlValue> = {};
      if (peek() === '(') {
        next();
        while (peek() !== ')') {
          const arg = next();
          expect(':');
          args[arg] = value();
        }
        next();
      }
      fields.push({ alias, name, args, selections: peek() === '{' ? selectionSet() : null });
    }
    next();
    return fields;
  };
  if (peek() === 'query') {
    next();
    if (peek() !== '{' && peek() !== '(') next();
    if (peek() === '(') {
      // Variable definitions: types and defaults are not checked here.
      let depth = 0;
      do {
        const t = next();
        if (t === '(') depth++;
        if (t === ')') depth--;
      } while (depth > 0);
    }
  } else if (peek() === 'mutation' || peek() === 'subscription') {
    throw new GqlSyntaxError(`Only queries are supported, not ${peek()}`);
  }
  const fields = selectionSet();
  if (i < tokens.length) throw new GqlSyntaxError(`Syntax Error: Unexpected "${tokens[i]}"`);
  return fields;
}

/** An argument's value with variables filled in. */
export function evaluate(v: GqlValue, variables: Record<string, unknown>): unknown {
  switch (v.kind) {
    case 'var':
      return variables[v.name];
    case 'literal':
      return v.value;
    case 'enum':
      return v.value;
    case 'list':
      return v.items.map((x) => evaluate(x, variables));
    case 'object':
      return Object.fromEntries(Object.entries(v.fields).map(([k, x]) => [k, evaluate(x, variables)]));
  }
}
