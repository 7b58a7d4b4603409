import { describe, expect, it } from 'vitest';
import type { CfContext, CfRequest } from './context.ts';
import type { RawAnswer } from './envelope.ts';
import { graphqlRoutes } from './graphql.ts';
import { evaluate, type GqlField, GqlSyntaxError, parseQuery } from './graphql-parse.ts';

/** The query the Cloudflare target sends for a release's per-version analytics. */
const ANALYTICS = `query Versions($accountTag: string!, $script: string!, $since: Time!, $until: Time!, $versions: [string!]) {
  viewer {
    accounts(filter: { accountTag: $accountTag }) {
      rows: workersInvocationsAdaptive(
        limit: 10000
        filter: { scriptName: $script, datetime_geq: $since, datetime_lt: $until, scriptVersion_in: $versions, status_neq: "internalError" }
        orderBy: [datetimeMinute_ASC, sum_requests_DESC]
      ) {
        sum { requests errors subrequests }
        quantiles { cpuTimeP50 cpuTimeP99 }
        dimensions { scriptVersion status datetimeMinute }
      }
    }
  }
}`;

const field = (fields: GqlField[], ...path: string[]): GqlField => {
  let here: GqlField | undefined;
  let list = fields;
  for (const alias of path) {
    here = list.find((f) => f.alias === alias);
    if (!here) throw new Error(`no field ${alias}`);
    list = here.selections ?? [];
  }
  return here as GqlField;
};
const names = (f: GqlField) => f.selections?.map((s) => s.name);

describe('parseQuery: the queries the analytics use', () => {
  it('reads a named operation with variable definitions, aliases, nested input objects, lists and enums', () => {
    const fields = parseQuery(ANALYTICS);
    const rows = field(fields, 'viewer', 'accounts', 'rows');
    expect(rows.name).toBe('workersInvocationsAdaptive');
    expect(names(rows)).toEqual(['sum', 'quantiles', 'dimensions']);
    expect(names(field(fields, 'viewer', 'accounts', 'rows', 'quantiles'))).toEqual([
      'cpuTimeP50',
      'cpuTimeP99',
    ]);
    const variables = {
      accountTag: 'acc',
      script: 'app',
      since: '2026-01-01T00:00:00Z',
      until: '2026-01-01T01:00:00Z',
      versions: ['v1', 'v2'],
    };
    const args = Object.fromEntries(Object.entries(rows.args).map(([k, v]) => [k, evaluate(v, variables)]));
    expect(args).toEqual({
      limit: 10000,
      filter: {
        scriptName: 'app',
        datetime_geq: '2026-01-01T00:00:00Z',
        datetime_lt: '2026-01-01T01:00:00Z',
        scriptVersion_in: ['v1', 'v2'],
        status_neq: 'internalError',
      },
      orderBy: ['datetimeMinute_ASC', 'sum_requests_DESC'],
    });
    expect(evaluate(field(fields, 'viewer', 'accounts').args.filter, variables)).toEqual({
      accountTag: 'acc',
    });
  });

  it('reads literals: strings with escapes, negative and exponent numbers, booleans, null; commas and comments are ignored', () => {
    const [f] = parseQuery(`{ x(a: "say \\"hi\\"", b: -1.5e2, c: true, d: false, e: null, f: [1, 2,, 3]) # why
    }`);
    expect(Object.fromEntries(Object.entries(f.args).map(([k, v]) => [k, evaluate(v, {})]))).toEqual({
      a: 'say "hi"',
      b: -150,
      c: true,
      d: false,
      e: null,
      f: [1, 2, 3],
    });
  });

  it('a variable the request does not give evaluates to undefined (the filter key is then absent in effect)', () => {
    const [f] = parseQuery('query($v: Time) { x(filter: { datetime_geq: $v }) }');
    expect(evaluate(f.args.filter, {})).toEqual({ datetime_geq: undefined });
  });

  it('expands named fragments (nested too) and inline fragments in place', () => {
    const fields = parseQuery(`
      query { viewer { accounts(filter: {accountTag: "a"}) { workersInvocationsAdaptive(limit: 1) { ...Counts ... on Row { dimensions { status } } } } } }
      fragment Counts on Row { sum { ...Sums } }
      fragment Sums on RowSum { requests errors }`);
    const row = field(fields, 'viewer', 'accounts', 'workersInvocationsAdaptive');
    expect(names(row)).toEqual(['sum', 'dimensions']);
    expect(names(field(fields, 'viewer', 'accounts', 'workersInvocationsAdaptive', 'sum'))).toEqual([
      'requests',
      'errors',
    ]);
  });

  it('a bare selection set and __typename / introspection fields parse as any other field', () => {
    const fields = parseQuery('{ __typename __type(name: "X") { name fields { name } } }');
    expect(fields.map((f) => f.name)).toEqual(['__typename', '__type']);
  });
});

describe('parseQuery: what it refuses', () => {
  const refuses = (query: string, message: RegExp) => {
    expect(() => parseQuery(query)).toThrow(GqlSyntaxError);
    expect(() => parseQuery(query)).toThrow(message);
  };
  it('syntax errors name what was found', () => {
    refuses('{ viewer { ', /Unexpected end of query/);
    refuses('{ viewer } }', /Unexpected "}"/);
    refuses('{ a(x 1) }', /Expected ":", found "1"/);
    refuses('{ a(x: ) }', /Unexpected "\)"/);
    refuses('{ a ; }', /Unexpected character ";"/);
    refuses('', /no query/);
  });
  it('mutations, subscriptions, two operations, directives, unknown or cyclic fragments', () => {
    refuses('mutation { a }', /Only queries are supported, not mutation/);
    refuses('subscription { a }', /not subscription/);
    refuses('{ a } { b }', /Only one operation/);
    refuses('{ a @include(if: true) }', /Directives are not supported/);
    refuses('{ ...Missing }', /Unknown fragment "Missing"/);
    refuses('{ ...A } fragment A on T { ...B } fragment B on T { ...A }', /within itself/);
    refuses('{ ...A } fragment A on T { a } fragment A on T { b }', /only one fragment named "A"/);
  });
});

describe('the GraphQL endpoint answers syntax errors in GraphQL form', () => {
  const ask = (body: unknown) => {
    const req = {
      method: 'POST',
      params: {},
      query: new URLSearchParams(),
      headers: {},
      body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
    } as CfRequest;
    // A query that does not parse never reaches the data: the context is not read.
    const answer = graphqlRoutes[0].handle({} as CfContext, req) as RawAnswer;
    return { status: answer.status, body: JSON.parse(String(answer.body)) };
  };
  it('HTTP 200, data null, errors with message and extensions.code GRAPHQL_PARSE_FAILED', () => {
    const r = ask({ query: '{ viewer { ' });
    expect(r.status).toBe(200);
    expect(r.body.data).toBeNull();
    expect(r.body.errors).toEqual([
      {
        message: 'Syntax Error: Unexpected end of query',
        extensions: { code: 'GRAPHQL_PARSE_FAILED', timestamp: expect.any(String) },
      },
    ]);
  });
  it('a body without a query string is a parse failure too; a body that is not JSON is BAD_REQUEST', () => {
    expect(ask({ variables: {} }).body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(ask('{nope').body.errors[0].extensions.code).toBe('BAD_REQUEST');
  });
});
