/** The slice of Cloudflare's GraphQL Analytics schema answered here, for introspection (`__schema`, `__type`). */
type TypeRef = { kind: string; name: string | null; ofType: TypeRef | null };

const scalar = (name: string): TypeRef => ({ kind: 'SCALAR', name, ofType: null });
const object = (name: string): TypeRef => ({ kind: 'OBJECT', name, ofType: null });
const input = (name: string): TypeRef => ({ kind: 'INPUT_OBJECT', name, ofType: null });
const list = (of: TypeRef): TypeRef => ({ kind: 'LIST', name: null, ofType: of });
const nonNull = (of: TypeRef): TypeRef => ({ kind: 'NON_NULL', name: null, ofType: of });

const QUANTILES = ['P25', 'P50', 'P75', 'P90', 'P99', 'P999'];
export const QUANTILE_FIELDS = [
  ...QUANTILES.map((p) => `cpuTime${p}`),
  ...QUANTILES.map((p) => `wallTime${p}`),
];
export const DIMENSION_FIELDS = [
  'datetime',
  'datetimeMinute',
  'datetimeFiveMinutes',
  'datetimeFifteenMinutes',
  'datetimeHour',
  'date',
  'scriptName',
  'scriptVersion',
  'status',
];
export const SUM_FIELDS = ['requests', 'errors', 'subrequests'];

const FILTER_FIELDS: Array<[string, TypeRef]> = [
  ['datetime_geq', scalar('Time')],
  ['datetime_gt', scalar('Time')],
  ['datetime_leq', scalar('Time')],
  ['datetime_lt', scalar('Time')],
  ['scriptName', scalar('string')],
  ['scriptName_in', list(scalar('string'))],
  ['scriptVersion', scalar('string')],
  ['scriptVersion_in', list(scalar('string'))],
  ['status', scalar('string')],
  ['status_neq', scalar('string')],
  ['status_in', list(scalar('string'))],
];
export const FILTER_KEYS = new Set(FILTER_FIELDS.map(([n]) => n));

const field = (name: string, type: TypeRef, args: Array<[string, TypeRef]> = []) => ({
  name,
  description: null,
  args: args.map(([n, t]) => ({ name: n, description: null, type: t, defaultValue: null })),
  type,
  isDeprecated: false,
  deprecationReason: null,
});

const objectType = (name: string, fields: ReturnType<typeof field>[]) => ({
  kind: 'OBJECT',
  name,
  description: null,
  fields,
  inputFields: null,
  interfaces: [],
  enumValues: null,
  possibleTypes: null,
});

const TYPES = [
  objectType('Query', [field('viewer', object('viewer'))]),
  objectType('viewer', [
    field('accounts', nonNull(list(nonNull(object('account')))), [
      ['filter', nonNull(input('AccountFilter_InputObject'))],
    ]),
  ]),
  objectType('account', [
    field('workersInvocationsAdaptive', nonNull(list(nonNull(object('AccountWorkersInvocationsAdaptive')))), [
      ['limit', nonNull(scalar('uint64'))],
      ['filter', input('AccountWorkersInvocationsAdaptiveFilter_InputObject')],
      ['orderBy', list(scalar('AccountWorkersInvocationsAdaptiveOrderBy'))],
    ]),
  ]),
  objectType('AccountWorkersInvocationsAdaptive', [
    field('sum', object('AccountWorkersInvocationsAdaptiveSum')),
    field('quantiles', object('AccountWorkersInvocationsAdaptiveQuantiles')),
    field('dimensions', object('AccountWorkersInvocationsAdaptiveDimensions')),
    field('avg', object('AccountWorkersInvocationsAdaptiveAvg')),
  ]),
  objectType(
    'AccountWorkersInvocationsAdaptiveSum',
    SUM_FIELDS.map((n) => field(n, nonNull(scalar('uint64')))),
  ),
  objectType(
    'AccountWorkersInvocationsAdaptiveQuantiles',
    QUANTILE_FIELDS.map((n) => field(n, nonNull(scalar('float64')))),
  ),
  objectType(
    'AccountWorkersInvocationsAdaptiveDimensions',
    DIMENSION_FIELDS.map((n) =>
      field(n, nonNull(scalar(n.startsWith('datetime') ? 'Time' : n === 'date' ? 'Date' : 'string'))),
    ),
  ),
  objectType('AccountWorkersInvocationsAdaptiveAvg', [field('sampleInterval', nonNull(scalar('float64')))]),
  {
    kind: 'INPUT_OBJECT',
    name: 'AccountWorkersInvocationsAdaptiveFilter_InputObject',
    description: null,
    fields: null,
    inputFields: FILTER_FIELDS.map(([n, t]) => ({ name: n, description: null, type: t, defaultValue: null })),
    interfaces: null,
    enumValues: null,
    possibleTypes: null,
  },
  {
    kind: 'INPUT_OBJECT',
    name: 'AccountFilter_InputObject',
    description: null,
    fields: null,
    inputFields: [{ name: 'accountTag', description: null, type: scalar('string'), defaultValue: null }],
    interfaces: null,
    enumValues: null,
    possibleTypes: null,
  },
  ...[
    'string',
    'uint64',
    'float64',
    'Time',
    'Date',
    'Boolean',
    'AccountWorkersInvocationsAdaptiveOrderBy',
  ].map((name) => ({
    kind: 'SCALAR',
    name,
    description: null,
    fields: null,
    inputFields: null,
    interfaces: null,
    enumValues: null,
    possibleTypes: null,
  })),
];

/** `__schema` as the introspection query reads it. */
export const SCHEMA = {
  queryType: { name: 'Query' },
  mutationType: null,
  subscriptionType: null,
  types: TYPES,
  directives: [],
};

export function typeNamed(name: unknown) {
  return TYPES.find((t) => t.name === name) ?? null;
}
