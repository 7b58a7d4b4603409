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

/** A selection before fragments are expanded: a field, a `...Name` spread, or an inline `... on Type { }`. */
type RawSelection =
  | {
      kind: 'field';
      alias: string;
      name: string;
      args: Record<string, GqlValue>;
      selections: RawSelection[] | null;
    }
  | { kind: 'spread'; name: string }
  | { kind: 'inline'; selections: RawSelection[] };

/**
 * Parses the query subset analytics clients send: one operation (`query Name($v: Type!) { … }` or a bare
 * selection set) and any `fragment Name on Type { … }` definitions; fields with aliases, arguments and nested
 * selections; fragment spreads and inline fragments, expanded in place (the schema has no interfaces, so type
 * conditions always hold). Variable types and defaults are not checked; directives are refused.
 * @example parseQuery('{ viewer { a: accounts { __typename } } }')[0].selections?.[0].alias // 'a'
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
  const name = () => {
    const t = next();
    if (!/^[_A-Za-z]/.test(t)) throw new GqlSyntaxError(`Syntax Error: Expected a name, found "${t}"`);
    return t;
  };
  const value = (): GqlValue => {
    const t = next();
    if (t === '$') return { kind: 'var', name: name() };
    if (t === '[') {
      const items: GqlValue[] = [];
      while (peek() !== ']') items.push(value());
      next();
      return { kind: 'list', items };
    }
    if (t === '{') {
      const fields: Record<string, GqlValue> = {};
      while (peek() !== '}') {
        const key = name();
        expect(':');
        fields[key] = value();
      }
      next();
      return { kind: 'object', fields };
    }
    if (t.startsWith('"')) return { kind: 'literal', value: JSON.parse(t) };
    if (/^-?\d/.test(t)) return { kind: 'literal', value: Number(t) };
    if (t === 'true' || t === 'false') return { kind: 'literal', value: t === 'true' };
    if (t === 'null') return { kind: 'literal', value: null };
    if (/^[_A-Za-z]/.test(t)) return { kind: 'enum', value: t };
    throw new GqlSyntaxError(`Syntax Error: Unexpected "${t}"`);
  };
  const selectionSet = (): RawSelection[] => {
    expect('{');
    const out: RawSelection[] = [];
    while (peek() !== '}') {
      if (peek() === '@') throw new GqlSyntaxError('Directives are not supported by the local API');
      if (peek() === '...') {
        next();
        if (peek() === 'on') {
          next();
          name();
          out.push({ kind: 'inline', selections: selectionSet() });
        } else if (peek() === '{') out.push({ kind: 'inline', selections: selectionSet() });
        else out.push({ kind: 'spread', name: name() });
        continue;
      }
      let field = name();
      const alias = field;
      if (peek() === ':') {
        next();
        field = name();
      }
      const args: Record<string, GqlValue> = {};
      if (peek() === '(') {
        next();
        while (peek() !== ')') {
          const arg = name();
          expect(':');
          args[arg] = value();
        }
        next();
      }
      if (peek() === '@') throw new GqlSyntaxError('Directives are not supported by the local API');
      out.push({
        kind: 'field',
        alias,
        name: field,
        args,
        selections: peek() === '{' ? selectionSet() : null,
      });
    }
    next();
    return out;
  };
  let operation: RawSelection[] | null = null;
  const fragments = new Map<string, RawSelection[]>();
  while (i < tokens.length) {
    const t = peek();
    if (t === 'fragment') {
      next();
      const fragment = name();
      if (fragment === 'on') throw new GqlSyntaxError('Syntax Error: Unexpected "on"');
      expect('on');
      name();
      if (fragments.has(fragment))
        throw new GqlSyntaxError(`There can be only one fragment named "${fragment}"`);
      fragments.set(fragment, selectionSet());
      continue;
    }
    if (t === 'mutation' || t === 'subscription') {
      throw new GqlSyntaxError(`Only queries are supported, not ${t}`);
    }
    if (t !== 'query' && t !== '{') throw new GqlSyntaxError(`Syntax Error: Unexpected "${t}"`);
    if (operation) throw new GqlSyntaxError('Only one operation per request is supported by the local API');
    if (t === 'query') {
      next();
      if (peek() !== '{' && peek() !== '(') name();
      if (peek() === '(') {
        // Variable definitions: types and defaults are not checked here.
        let depth = 0;
        do {
          const v = next();
          if (v === '(') depth++;
          if (v === ')') depth--;
        } while (depth > 0);
      }
    }
    operation = selectionSet();
  }
  if (!operation) throw new GqlSyntaxError('Syntax Error: the document has no query');
  return expand(operation, fragments, []);
}

/** Replaces spreads and inline fragments by their fields; a fragment that spreads itself is an error. */
function expand(list: RawSelection[], fragments: Map<string, RawSelection[]>, using: string[]): GqlField[] {
  const out: GqlField[] = [];
  for (const s of list) {
    if (s.kind === 'field') {
      const { alias, name, args } = s;
      out.push({
        alias,
        name,
        args,
        selections: s.selections ? expand(s.selections, fragments, using) : null,
      });
    } else if (s.kind === 'inline') {
      out.push(...expand(s.selections, fragments, using));
    } else {
      const fragment = fragments.get(s.name);
      if (!fragment) throw new GqlSyntaxError(`Unknown fragment "${s.name}"`);
      if (using.includes(s.name))
        throw new GqlSyntaxError(`Cannot spread fragment "${s.name}" within itself`);
      out.push(...expand(fragment, fragments, [...using, s.name]));
    }
  }
  return out;
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
