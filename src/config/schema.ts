import { z } from 'zod';
import { duration } from './duration.ts';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'expected a time "HH:MM" (24 h)' });
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected a date "YYYY-MM-DD"' });
const percent = z.number().int().min(0).max(100);
const flagValue = z.union([z.boolean(), z.number(), z.string()]);

const windowSchema = z.strictObject({
  deniedDays: z.array(z.enum(DAYS)).default(['fri']),
  allowedHours: z.strictObject({ from: hhmm, to: hhmm }).nullable().default(null),
  timeZone: z
    .string()
    .refine((tz) => isTimeZone(tz), { error: 'expected an IANA time zone such as "Europe/Paris" or "UTC"' })
    .default('UTC'),
  freeze: z.array(z.strictObject({ from: isoDate, to: isoDate, reason: z.string().optional() })).default([]),
});

const envFormat = z.strictObject({
  /** Regular expression the whole value must match. */
  pattern: z.string().optional(),
  /** Split on `separator` into exactly these named parts, none empty (seed 000's SMTP_INBOX_N). */
  parts: z.array(z.string()).optional(),
  separator: z.string().default('|'),
  description: z.string().optional(),
});

const checkCommand = z.strictObject({
  name: z.string().min(1),
  command: z.string().min(1),
  timeout: duration.prefault('10m'),
  cwd: z.string().optional(),
});

const gatesSchema = z.strictObject({
  window: windowSchema.prefault({}),
  branch: z.union([z.string().min(1), z.literal(false)]).default('main'),
  cleanTree: z.boolean().default(true),
  env: z
    .strictObject({
      required: z.array(z.string()).default([]),
      optional: z.array(z.string()).default([]),
      /** Name or glob (`SMTP_INBOX_*`) → format rule. */
      formats: z.record(z.string(), envFormat).default({}),
    })
    .prefault({}),
  checks: z.array(checkCommand).default([]),
  consoleLog: z
    .strictObject({
      enabled: z.boolean().default(true),
      pattern: z.string().default('console\\.log\\('),
      paths: z.array(z.string()).default(['src']),
    })
    .prefault({}),
  /** An environment (e.g. "staging") where this very build must have been promoted first; null: off. */
  promotedIn: z.string().min(1).nullable().default(null),
  incidents: z
    .strictObject({
      /** null: on for a production release (no --env, or one in `environments`) to target cloudflare. */
      enabled: z.boolean().nullable().default(null),
      /** `--env` names that count as production besides the base config. */
      environments: z.array(z.string().min(1)).default(['production']),
      /** A Statuspage `incidents/unresolved.json` (Statuspage API v2). */
      url: z.string().url().default('https://www.cloudflarestatus.com/api/v2/incidents/unresolved.json'),
      /** Status page components (or words in an incident's title) that matter; matched as whole words. */
      components: z.array(z.string().min(1)).default(['Workers', 'D1', 'KV']),
      timeout: duration.prefault('5s'),
    })
    .prefault({}),
});

const retriesSchema = z.strictObject({
  attempts: z.number().int().min(1).max(10).default(3),
  backoff: z.array(duration).prefault(['0s', '30s', '60s']),
});

const healthCheck = z.strictObject({
  name: z.string().min(1),
  path: z.string().startsWith('/', { error: 'expected a path starting with "/"' }),
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).default('GET'),
  status: z.number().int().min(100).max(599).default(200),
  json: z.record(z.string(), z.unknown()).optional(),
  body: z.string().optional(),
  headers: z.array(z.string()).default([]),
  requestHeaders: z.record(z.string(), z.string()).default({}),
  maxLatency: duration.prefault('2s'),
  critical: z.boolean().default(false),
  retries: z.number().int().min(1).max(10).default(3),
  retryDelay: duration.prefault('2s'),
  timeout: duration.prefault('10s'),
});

const DEFAULT_HEALTH = [
  { name: 'health endpoint', path: '/health', json: { status: 'healthy' }, critical: true },
];
const DEFAULT_SECURITY_HEADERS = ['x-content-type-options', 'x-frame-options'];

const healthSchema = z.strictObject({
  checks: z.array(healthCheck).prefault(DEFAULT_HEALTH),
  securityHeaders: z.array(z.string()).default(DEFAULT_SECURITY_HEADERS),
});

const e2eSchema = z.strictObject({
  /** A failed endpoint stops the release before traffic unless marked `critical: false` (then it costs points). */
  endpoints: z.array(healthCheck.extend({ critical: z.boolean().default(true) })).default([]),
  command: z.string().nullable().default(null),
  /** A failing e2e command stops the release before traffic; false: it only costs points. */
  commandCritical: z.boolean().default(true),
  timeout: duration.prefault('10m'),
  p95: duration.prefault('500ms'),
  /** The p95 budget costs a point when missed; true: a miss stops the release. */
  p95Critical: z.boolean().default(false),
  samples: z.number().int().min(1).max(1000).default(20),
});

const rolloutStep = z.union([
  percent,
  z.strictObject({ percent, bake: duration.optional() }),
  z.strictObject({ pause: z.literal('manual') }),
]);

const trafficSchema = z.strictObject({
  /** null: on for the local target (it has no users), off on Cloudflare. */
  enabled: z.boolean().nullable().default(null),
  /** null: enough for the canary to reach analysis.minSamples early in the first step's bake. */
  rps: z.number().positive().max(5000).nullable().default(null),
  /** Empty: the GET paths of the health checks and e2e endpoints, and the static assets' index. */
  paths: z
    .array(z.strictObject({ path: z.string().startsWith('/'), weight: z.number().positive().default(1) }))
    .default([]),
  methods: z.array(z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'])).default(['GET']),
  headers: z.record(z.string(), z.string()).default({}),
  /** Distinct Cloudflare-Workers-Version-Key values the generator spreads over. */
  keys: z.number().int().min(1).max(1_000_000).default(1000),
  maxRequests: z.number().int().positive().max(10_000_000).default(200_000),
  maxDuration: duration.prefault('30m'),
  /** Base URL; loopback by default (the local router). A non-loopback URL needs allowRemote. */
  url: z.string().url().nullable().default(null),
  allowRemote: z.boolean().default(false),
});

const rolloutSchema = z.strictObject({
  steps: z.array(rolloutStep).min(1).default([10, 50, 100]),
  bake: duration.prefault('5m'),
  /** How often the judge looks at the windows during a bake. */
  interval: duration.prefault('5s'),
  /** Longest a bake is extended while the judge is inconclusive. */
  maxExtension: duration.prefault('10m'),
  /** Shortest bake before a step ends early on a canary proven no worse than the baseline (the bake stays the longest). */
  minBake: duration.prefault('30s'),
  onInconclusive: z.enum(['rollback', 'pause']).default('rollback'),
  traffic: trafficSchema.prefault({}),
});

const level = (critical: number, high: number, medium: number) =>
  z
    .strictObject({ critical: z.number().min(0), high: z.number().min(0), medium: z.number().min(0) })
    .default({
      critical,
      high,
      medium,
    });

const analysisSchema = z.strictObject({
  errorRate: level(0.05, 0.02, 0.01),
  p95: z
    .strictObject({ critical: duration, high: duration, medium: duration })
    .prefault({ critical: '2s', high: '1s', medium: '500ms' }),
  /** Requests the canary must serve before a non-critical threshold or a promote counts. */
  minSamples: z.number().int().min(1).default(50),
  /** Bound on the false-rollback rate of the sequential tests. */
  alpha: z.number().gt(0).lt(0.5).default(0.01),
  /** Smallest regression worth catching, in error-rate points over the baseline. */
  minEffect: z.number().min(0).max(1).default(0.01),
  /** Latency regression ratio (canary/baseline) that counts as a regression. */
  latencyRatio: z.number().gt(1).default(1.5),
  /** Verify asks the baseline (twice: its noise) and the canary the same idempotent requests and compares them. */
  compare: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** GET paths; empty: rollout.traffic.paths and the GET/HEAD paths of the e2e endpoints and health checks. */
      paths: z.array(z.string().startsWith('/', { error: 'expected a path starting with "/"' })).default([]),
      /** Rounds per path, each the baseline twice and the canary once. */
      samples: z.number().int().min(1).max(20).default(3),
      /** Response headers compared besides the status and the body. */
      headers: z.array(z.string().min(1)).default([]),
      /** JSON paths never compared, `[*]` for any index or key: "$.timestamp", "$.items[*].id". */
      ignore: z
        .array(z.string().startsWith('$', { error: 'expected a JSON path such as "$.timestamp"' }))
        .default([]),
      onDifference: z.enum(['warn', 'rollback']).default('warn'),
      /** Also at the end of each step's bake, while the canary takes its share of users (not only in verify). */
      steps: z.boolean().default(true),
    })
    .prefault({}),
  /** Users' requests (not generated, not pinned) against the split during steps and before the release in monitor. */
  volume: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Accepted change, as a fraction: 0.2 is ±20% (seed S4). */
      band: z.number().gt(0).lt(1).default(0.2),
      onChange: z.enum(['warn', 'rollback']).default('warn'),
    })
    .prefault({}),
  /** D1 query time per database, against a budget and the same database before the release. */
  queryTime: z
    .strictObject({
      enabled: z.boolean().default(true),
      p95: duration.prefault('100ms'),
      onSlow: z.enum(['warn', 'rollback']).default('warn'),
    })
    .prefault({}),
});

const monitorSchema = z.strictObject({
  duration: duration.prefault('15m'),
  interval: duration.prefault('60s'),
  /** Consecutive bad intervals before a sustained threshold rolls back. */
  sustained: z.number().int().min(1).default(5),
});

const hook = z.union([
  z.strictObject({ command: z.string().min(1), timeout: duration.prefault('2m') }),
  z.strictObject({ webhook: z.string().url(), timeout: duration.prefault('10s') }),
]);

const rollbackSchema = z.strictObject({
  hooks: z.array(hook).default([]),
  /** Flags set when a release is rolled back, e.g. { NEW_EMAIL_TEMPLATE_ENABLED: false }. */
  flags: z.record(z.string(), flagValue).default({}),
  /** What the platform's recovery does with a release whose process died: roll it back, or resume it. */
  onOrphan: z.enum(['rollback', 'resume']).default('rollback'),
  /**
   * The release lease's length: when the deploying process stops renewing it (killed, suspended) for this long,
   * the platform itself takes the release over and recovers it (onOrphan).
   */
  guard: duration.prefault('30s'),
  /** Re-check health after switching back. */
  verify: z.boolean().default(true),
});

const notifySchema = z.strictObject({
  slack: z.strictObject({ webhook: z.string().url() }).nullable().default(null),
  webhooks: z
    .array(
      z.strictObject({
        url: z.string().url(),
        events: z.array(z.string()).default(['release.finished', 'action']),
      }),
    )
    .default([]),
  /** How long one notification may take, retries included: it never holds a rollback longer. */
  timeout: duration.prefault('10s'),
  /** Retries of a notification answered 429/5xx or not answered, with a doubling backoff inside `timeout`. */
  retries: z.number().int().min(0).max(10).default(3),
});

const flagDefinition = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('boolean'), default: z.boolean(), description: z.string().optional() }),
  z.strictObject({ type: z.literal('number'), default: z.number(), description: z.string().optional() }),
  z.strictObject({ type: z.literal('string'), default: z.string(), description: z.string().optional() }),
  z.strictObject({ type: z.literal('percentage'), default: percent, description: z.string().optional() }),
]);

const flagsSchema = z.strictObject({
  /** KV binding holding the overrides; default: the worker's first KV namespace. */
  binding: z.string().nullable().default(null),
  key: z.string().min(1).default('feature_flags'),
  cacheTtl: duration.prefault('5s'),
  definitions: z
    .record(
      z.string().regex(/^[A-Z][A-Z0-9_]*$/, { error: 'flag names are UPPER_SNAKE_CASE' }),
      flagDefinition,
    )
    .default({}),
  /** Flags `shipshape emergency stop` sets besides EMERGENCY_STOP. */
  emergency: z.record(z.string(), flagValue).default({}),
});

const localSchema = z.strictObject({
  port: z.number().int().min(0).max(65535).default(8787),
  controlPort: z.number().int().min(0).max(65535).default(8788),
});

/**
 * One deployable of the project: a folder with its own wrangler config. Its order comes from its service
 * bindings to other components (and `after`); its health checks default to the project's.
 */
const componentSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, {
    error: 'expected lowercase letters, digits and "-" (it names folders and events)',
  }),
  /** Folder holding the component's wrangler config, relative to shipshape.config.ts. */
  dir: z.string().min(1),
  /** `pages` for a Pages project (static output plus Functions); detected from the wrangler config when left out. */
  kind: z.enum(['worker', 'pages']).optional(),
  /** Components released before this one besides those its service bindings name. */
  after: z.array(z.string()).default([]),
  build: z.strictObject({ command: z.string().min(1).nullable().default(null) }).optional(),
  health: healthSchema.optional(),
  /** Its local ports; default: the project's ports plus 2 per component before it (0 stays 0). */
  local: localSchema.partial().optional(),
});

/**
 * The account-side state store. Only D1 gives the lock its compare-and-set (one SQL statement is atomic on the
 * database's single primary); KV is last-write-wins and takes up to a minute to be read back elsewhere, so two
 * runners could both believe they hold the lock.
 */
const stateStoreSchema = z
  .object({ d1: z.string().min(1).optional(), kv: z.unknown().optional() })
  .superRefine((v, ctx) => {
    if (v.kv !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['kv'],
        message:
          'a KV namespace cannot hold the release lock: KV has no compare-and-set and its writes take up to 60 s to be seen by another runner; name a D1 database instead ({"d1": "shipshape-state"}, created with "wrangler d1 create shipshape-state")',
      });
    else if (!v.d1)
      ctx.addIssue({
        code: 'custom',
        message: 'name the D1 database that holds the state: {"d1": "<name or id>"}',
      });
  })
  .transform((v) => ({ d1: v.d1 as string }));

/**
 * Where `target: "cloudflare"` finds the account: credentials come from the environment as wrangler reads them
 * (CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID, CLOUDFLARE_API_BASE_URL), never from this file.
 */
const cloudflareSchema = z.strictObject({
  /** Account id; default: CLOUDFLARE_ACCOUNT_ID, else the wrangler config's `account_id`. */
  accountId: z.string().min(1).nullable().default(null),
  /** The worker's public URL for pinned checks and generated traffic; default: its workers.dev address. */
  url: z.string().url().nullable().default(null),
  /** How long the Analytics API may take to settle a second; the judge only reads older windows. */
  analyticsLag: duration.prefault('60s'),
  /**
   * Where the lock, history and journals live so that every runner sees them: a D1 database of the account (its
   * name or id). Null: `.shipshape/` on the machine that deploys.
   */
  state: stateStoreSchema.nullable().default(null),
});

/** Everything a release can be told; each key has the seeds' default. */
export const configShape = {
  target: z.enum(['local', 'cloudflare']).default('local'),
  cloudflare: cloudflareSchema.prefault({}),
  local: localSchema.prefault({}),
  gates: gatesSchema.prefault({}),
  release: z.strictObject({ retries: retriesSchema.prefault({}) }).prefault({}),
  /** A build to run before wrangler bundles, for apps whose wrangler config has no build.command. */
  build: z.strictObject({ command: z.string().min(1).nullable().default(null) }).prefault({}),
  health: healthSchema.prefault({}),
  e2e: e2eSchema.prefault({}),
  rollout: rolloutSchema.prefault({}),
  analysis: analysisSchema.prefault({}),
  monitor: monitorSchema.prefault({}),
  score: z.strictObject({ pass: percent.default(80), warn: percent.default(60) }).prefault({}),
  rollback: rollbackSchema.prefault({}),
  notify: notifySchema.prefault({}),
  flags: flagsSchema.prefault({}),
  /** Several deployables released together; a project without the key is one worker (its wrangler config). */
  components: z.array(componentSchema).default([]),
};

export const configSchema = z.strictObject({
  ...configShape,
  /** Per-environment layers; any key above, deep-merged over the base for `--env NAME`. */
  environments: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
});

export type UserConfigInput = z.input<typeof configSchema>;
export type ParsedConfig = z.output<typeof configSchema>;

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
