/**
 * The Cloudflare error codes the API stand-in answers, each with where it was checked. "observed" means the code
 * and message appear in answers of the real API quoted in public issues; "unconfirmed" codes are kept because no
 * public source names a better one (what was searched is said beside them).
 */
export const CF_CODES = {
  /** 400, no auth header at all: "Missing X-Auth-Key, X-Auth-Email or Authorization headers" (observed). */
  missingAuth: 9106,
  /** 400 "Invalid request headers", with the cause in `error_chain` (observed, e.g. workers-sdk#5175). */
  invalidHeaders: 6003,
  /** The cause under 6003 for an Authorization header that is not `Bearer <token>` (observed). */
  invalidAuthorizationFormat: 6111,
  /** 400 "Malformed JSON in request body" (observed, the API gateway's code for any endpoint). */
  malformedJson: 6007,
  /** 403 "Authentication error": a token the API does not accept (observed, e.g. workers-sdk#3605). */
  authentication: 10000,
  /**
   * 400, a request field the API refuses (Cloudflare's local explorer in miniflare answers schema violations with
   * it; KV uses it for a missing `value` part). Production's message for each case is unconfirmed.
   */
  invalidField: 10001,
  /** 404 "This Worker does not exist on your account." (wrangler matches it). */
  scriptNotFound: 10007,
  /** 404 KV "get: 'key not found'" (miniflare's local explorer, written to match the API). */
  kvKeyNotFound: 10009,
  /**
   * 5xx "An unknown error has occurred." (wrangler's own test mocks of the API); also KV's "<op>: 'namespace not
   * found'" (404), as miniflare's local explorer answers it and wrangler v1 grouped it with namespace errors.
   */
  unknownError: 10013,
  kvNamespaceNotFound: 10013,
  /** Script content the runtime refuses (wrangler tags start-up failures with it); the stand-in's generic 400. */
  invalidScript: 10021,
  /** 404 "Binding 'NAME' not found." on a secret (observed, workers-sdk#12812). */
  bindingNotFound: 10056,
  /** 400 "invalid cron string": a cron trigger Cloudflare cannot read (observed, workers-sdk#8923). */
  invalidCron: 10100,
  /** 404 on `services/{s}` for an unknown Worker ("workers.api.error.service_not_found"). */
  serviceNotFound: 10090,
  /** A version upload carrying Durable Object migrations (wrangler's output tests use it). */
  migrationInVersionUpload: 10211,
  /** Secret edit while the newest version is not fully deployed (wrangler's message). */
  secretEditNotDeployed: 10215,
  /**
   * 404 for an unknown version or deployment id. Unconfirmed: no public answer of the real API was found (searched
   * workers-sdk sources and tests, issues for "version not found" and "[code: 10217]"); two third-party mocks use
   * 10007 "workers.api.error.version_not_found" instead, which is not used here because wrangler reads 10007 as
   * "this Worker does not exist".
   */
  versionNotFound: 10217,
  /** Deployment across a secret change without `?force=true` (wrangler matches it). */
  secretChanged: 10220,
  /** 429 "Please wait and consider throttling your request speed", with `Retry-After` (observed, workers-sdk#10025). */
  rateLimited: 971,
  /** Unknown route (observed: "Could not route to …, perhaps your object identifier is invalid?"). */
  noRoute: 7003,
  /** Wrong method on a known route. */
  methodNotAllowed: 7001,
  /** D1 "The request is malformed: …" (observed, workers-sdk#5523). */
  d1Malformed: 7400,
  /** D1 unknown database. */
  d1NotFound: 7404,
  /** D1 create: "A database with that name already exists" (observed, workers-sdk#2143). */
  d1NameTaken: 7502,
  /** D1 query failure: "<SQLite message>: SQLITE_ERROR", HTTP 400 since 2024-04 (observed in many issues). */
  d1QueryError: 7500,
  /** R2: "The specified bucket does not exist." (wrangler matches 10006 before it provisions a bucket). */
  r2BucketNotFound: 10006,
  /** Pages: unknown project (wrangler matches it). */
  pagesProjectNotFound: 8000007,
  /** Pages: an upload JWT that is missing, wrong or expired (wrangler fetches a new one on it). */
  pagesUnauthorized: 8000013,
  /** Pages: any other failure (wrangler retries a deployment on it). */
  pagesUnknown: 8000000,
} as const;
