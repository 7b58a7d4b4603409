import { ShipshapeError } from '../../errors/shipshape-error.ts';
import { dataOf } from './analytics-errors.ts';

export const DATASET = 'workersInvocationsAdaptive';

/** What the metrics query may ask for, as this account's schema has it. */
export interface AnalyticsFeatures {
  /** `avg { sampleInterval }`: how many requests each kept one stands for (1 = not sampled). */
  sampleInterval: boolean;
  /** `quantiles { wallTimeP95 }`; Cloudflare documents P25, P50, P75, P90, P99 and P999 only. */
  wallTimeP95: boolean;
}

/** Fields the metrics query cannot do without, by the object they sit on. */
export const REQUIRED = {
  sum: ['requests', 'errors'],
  quantiles: ['wallTimeP50', 'wallTimeP90', 'wallTimeP99'],
  dimensions: ['scriptVersion'],
  filter: ['scriptName', 'scriptVersion', 'datetime_geq', 'datetime_lt'],
} as const;

type GraphqlCall = (query: string, variables: Record<string, unknown>) => Promise<unknown>;

interface TypeRef {
  kind?: string;
  name?: string | null;
  ofType?: TypeRef | null;
}
interface FieldInfo {
  name: string;
  type?: TypeRef;
  args?: Array<{ name: string; type?: TypeRef }>;
}

const TYPE_REF = 'kind name ofType { kind name ofType { kind name ofType { kind name } } }';

/** The named type under NON_NULL and LIST wrappers. */
export function unwrap(t: TypeRef | null | undefined): string | null {
  let at = t;
  for (let i = 0; at && i < 8; i++) {
    if (at.name) return at.name;
    at = at.ofType;
  }
  return null;
}

/**
 * Introspects the dataset in three small queries (the account node's fields, the dataset's row type, then
 * the row's `sum`/`quantiles`/`dimensions`/`avg` types and its filter input), so it works against Cloudflare
 * and the local stand-in alike, whose type references carry no nested `fields`.
 * Throws ANALYTICS_DATASET_MISSING or ANALYTICS_FIELDS_MISSING; authorization errors come as
 * ANALYTICS_NOT_AUTHORIZED.
 */
export async function introspectAnalytics(graphql: GraphqlCall, account: string): Promise<AnalyticsFeatures> {
  const typeFields = async (names: Record<string, string>, withInputs = false) => {
    const parts = Object.entries(names).map(
      ([alias, name]) =>
        `${alias}: __type(name: ${JSON.stringify(name)}) { name fields { name type { ${TYPE_REF} } args { name type { ${TYPE_REF} } } }${withInputs ? ' inputFields { name }' : ''} }`,
    );
    const data = dataOf(await graphql(`query ShipshapeAnalyticsSchema { ${parts.join(' ')} }`, {}), account);
    return (data ?? {}) as Record<
      string,
      { name: string; fields: FieldInfo[] | null; inputFields?: Array<{ name: string }> | null } | null
    >;
  };

  const { account: accountType } = await typeFields({ account: 'account' });
  const dataset = accountType?.fields?.find((f) => f.name === DATASET);
  if (!dataset)
    throw new ShipshapeError('ANALYTICS_DATASET_MISSING', {
      account,
      dataset: DATASET,
      reason: accountType ? `the "account" node has no ${DATASET} field` : 'the schema has no "account" node',
    });
  const rowType = unwrap(dataset.type);
  const filterType = unwrap(dataset.args?.find((a) => a.name === 'filter')?.type);
  if (!rowType) throw new ShipshapeError('ANALYTICS_FIELDS_MISSING', { fields: `${DATASET} row type` });

  const { row } = await typeFields({ row: rowType });
  const sub = (name: string) => unwrap(row?.fields?.find((f) => f.name === name)?.type);
  const names: Record<string, string> = {};
  for (const part of ['sum', 'quantiles', 'dimensions', 'avg']) {
    const t = sub(part);
    if (t) names[part] = t;
  }
  if (filterType) names.filter = filterType;
  const types = await typeFields(names, true);
  const has = (part: string, field: string) =>
    part === 'filter'
      ? (types.filter?.inputFields ?? []).some((f) => f.name === field)
      : (types[part]?.fields ?? []).some((f) => f.name === field);

  const missing = Object.entries(REQUIRED).flatMap(([part, fields]) =>
    fields.filter((f) => !has(part, f)).map((f) => `${part}.${f}`),
  );
  if (missing.length > 0)
    throw new ShipshapeError('ANALYTICS_FIELDS_MISSING', { fields: missing.join(', ') });
  return { sampleInterval: has('avg', 'sampleInterval'), wallTimeP95: has('quantiles', 'wallTimeP95') };
}
