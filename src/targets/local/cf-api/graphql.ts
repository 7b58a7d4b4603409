import { AnalyticsInputError, analyticsRows } from './analytics-rows.ts';
import type { CfContext, CfRequest, CfRoute } from './context.ts';
import { jsonBody } from './context.ts';
import { d1AnalyticsRows } from './d1-analytics-rows.ts';
import { RawAnswer } from './envelope.ts';
import { evaluate, type GqlField, GqlSyntaxError, parseQuery } from './graphql-parse.ts';
import { SCHEMA, typeNamed } from './graphql-schema.ts';

interface GqlError {
  message: string;
  path?: Array<string | number>;
  extensions: { code: string; timestamp: string };
}

/** A field's value: plain data, or a resolver taking the field's arguments. */
type Resolver = (args: Record<string, unknown>, field: GqlField) => unknown;

class FieldError extends Error {}

/**
 * `POST /client/v4/graphql`: `viewer.accounts(filter:{accountTag}).workersInvocationsAdaptive(...)` from the
 * router's real counts, `d1AnalyticsAdaptiveGroups(...)` from the runtime's timing of D1 queries, plus introspection of those types. Answers `{data, errors}` (HTTP 200 even with
 * errors), as Cloudflare's GraphQL endpoint does.
 */
function graphql(ctx: CfContext, req: CfRequest): RawAnswer {
  const errors: GqlError[] = [];
  const error = (message: string, path?: Array<string | number>, code = 'BAD_USER_INPUT') =>
    errors.push({
      message,
      ...(path ? { path } : {}),
      extensions: { code, timestamp: new Date().toISOString() },
    });
  let data: unknown = null;
  try {
    const body = jsonBody(req);
    if (typeof body.query !== 'string') throw new GqlSyntaxError('query must be a string');
    const variables = (body.variables ?? {}) as Record<string, unknown>;
    const fields = parseQuery(body.query);
    data = select(root(ctx), fields, variables, [], error);
  } catch (err) {
    if (!(err instanceof GqlSyntaxError) && !(err instanceof Error)) throw err;
    error(
      (err as Error).message,
      undefined,
      err instanceof GqlSyntaxError ? 'GRAPHQL_PARSE_FAILED' : 'BAD_REQUEST',
    );
    data = null;
  }
  const answer = { data, errors: errors.length > 0 ? errors : null };
  return new RawAnswer(200, JSON.stringify(answer), 'application/json');
}

function root(ctx: CfContext): Record<string, unknown> {
  return {
    __typename: 'Query',
    __schema: SCHEMA,
    __type: ((args) => typeNamed(args.name)) as Resolver,
    viewer: {
      __typename: 'viewer',
      accounts: ((args) => {
        const tag = (args.filter as { accountTag?: unknown } | undefined)?.accountTag;
        if (tag !== ctx.store.state.accountId) {
          throw new FieldError(
            `not authorized for account ${String(tag)} (the local account is ${ctx.store.state.accountId})`,
          );
        }
        return [
          {
            __typename: 'account',
            workersInvocationsAdaptive: ((a, field) => {
              const dims =
                field.selections?.find((f) => f.name === 'dimensions')?.selections?.map((f) => f.name) ?? [];
              try {
                return analyticsRows(ctx, a, dims);
              } catch (err) {
                if (err instanceof AnalyticsInputError) throw new FieldError(err.message);
                throw err;
              }
            }) as Resolver,
            d1AnalyticsAdaptiveGroups: ((a) => {
              try {
                return d1AnalyticsRows(ctx, a);
              } catch (err) {
                if (err instanceof AnalyticsInputError) throw new FieldError(err.message);
                throw err;
              }
            }) as Resolver,
          },
        ];
      }) as Resolver,
    },
  };
}

/** Walks the selection over the data: resolvers are called with their arguments, unknown fields are errors. */
function select(
  value: unknown,
  fields: GqlField[],
  variables: Record<string, unknown>,
  path: Array<string | number>,
  error: (message: string, path?: Array<string | number>) => void,
): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((v, i) => select(v, fields, variables, [...path, i], error));
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const here = [...path, field.alias];
    if (field.name === '__typename') {
      out[field.alias] = obj.__typename ?? null;
      continue;
    }
    if (!(field.name in obj)) {
      error(
        `Cannot query field "${field.name}" on type "${String(obj.__typename ?? obj.name ?? 'object')}"`,
        here,
      );
      out[field.alias] = null;
      continue;
    }
    let v = obj[field.name];
    try {
      if (typeof v === 'function') {
        const args = Object.fromEntries(
          Object.entries(field.args).map(([k, a]) => [k, evaluate(a, variables)]),
        );
        v = (v as Resolver)(args, field);
      }
    } catch (err) {
      if (!(err instanceof FieldError)) throw err;
      error(err.message, here);
      out[field.alias] = null;
      continue;
    }
    out[field.alias] = field.selections ? select(v, field.selections, variables, here, error) : (v ?? null);
  }
  return out;
}

export const graphqlRoutes: CfRoute[] = [{ method: 'POST', path: '/graphql', handle: graphql }];
