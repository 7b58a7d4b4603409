import { type Ctx, defineErrors } from './define.ts';

/** Errors of the local target: the daemon, its control API, builds and uploads. */
export const localErrors = defineErrors({
  TARGET_UNSUPPORTED: (c) => ({
    message: `The ${c.target} target is not available in this build.`,
    hint: 'Set target: "local" in shipshape.config.ts (the default) to release on the local platform.',
  }),
  TARGET_UNAVAILABLE: (c) => ({
    message: `The ${c.target ?? 'local'} target did not answer ${c.operation ?? 'the request'}: ${c.reason}`,
    hint:
      c.target === 'cloudflare'
        ? 'Cloudflare may be having trouble; the release retries this step on its own.'
        : 'Check "shipshape local status"; the daemon log is .shipshape/local/daemon.log. Transient errors are retried.',
    kind: 'target',
  }),
  BUILD_FAILED: (c) => ({
    message: `Build failed${c.file ? ` at ${c.file}${c.line ? `:${c.line}${c.column ? `:${c.column}` : ''}` : ''}` : ''}: ${c.reason}${c.tail ? `\n${c.tail}` : ''}`,
    hint: 'Fix the error above; "npx wrangler deploy --dry-run --outdir dist" shows the same bundler output.',
    kind: 'user',
    exit: 2,
  }),
  WRANGLER_UNAVAILABLE: (c) => ({
    message: c.found
      ? `The project's wrangler ${c.found} cannot be used: ${c.reason}.`
      : `No wrangler to build with: ${c.reason}.`,
    hint: c.nodeRange
      ? `wrangler ${c.found} needs Node ${c.nodeRange} (this is Node ${c.node}): run shipshape on Node 24 LTS, or "npm i -D wrangler@${c.suggest}".`
      : `Install a supported wrangler (${c.range}) in the project: "npm i -D wrangler@${c.suggest}".`,
    kind: 'user',
    exit: 2,
  }),
  LOCAL_WORKER_START_FAILED: (c) => ({
    message: `The worker failed at start-up; upload refused (the serving version is untouched): ${c.reason}`,
    hint: 'Fix the error thrown while the module loads (top-level code), then build and upload again.',
  }),
  LOCAL_PORT_IN_USE: (c) => ({
    message: `Port ${c.port} (${c.which}) is already in use on 127.0.0.1.`,
    hint: `Stop what listens there, or choose another port: "shipshape local start${flags(c)} ${c.option} <N>" or ${c.component ? `the "${c.component}" entry of components: local` : c.env ? `environments.${c.env}.local` : 'local'}.${c.key} in shipshape.config.ts (0 picks a free port).`,
  }),
  LOCAL_STATE_CORRUPT: (c) => ({
    message: `The local platform's state file ${c.path} cannot be read: ${c.reason}`,
    hint: 'Restore the file from a backup or fix its JSON by hand. If you want to start over, delete .shipshape/local/ yourself (this loses every local version and its data).',
  }),
  LOCAL_DAEMON_START_FAILED: (c) => ({
    message: `The local daemon did not start: ${c.reason}`,
    hint: `Read its log at ${c.log} for the cause, then run "shipshape local start --foreground" to see it live.`,
    kind: 'target',
  }),
  LOCAL_NOT_RUNNING: (c) => ({
    message: `The local daemon is not running for ${c.dir}${where(c)}.`,
    hint: `Start it with "shipshape local start${flags(c)}" (deploy starts it on its own).`,
  }),
  LOCAL_ALREADY_RUNNING: (c) => ({
    message: `The local daemon already runs for ${c.dir}${where(c)} (pid ${c.pid}, data plane ${c.url}).`,
    hint: `Use "shipshape local status${flags(c)}" to see it, or "shipshape local stop${flags(c)}" first to restart it with other ports.`,
  }),
  LOCAL_COMPONENT_NOT_RUNNING: (c) => ({
    message: `Service binding ${c.binding} calls component "${c.component}", whose local platform${c.env ? ` (environment ${c.env})` : ''} is not running.`,
    hint: `Start it with "shipshape local start --component ${c.component}${c.env ? ` --env ${c.env}` : ''}" or deploy it; calls reach its live deployment once it runs.`,
  }),
  LOCAL_COMPONENT_NAME_INVALID: (c) => ({
    message: `The component name "${c.component}" cannot name a local platform folder.`,
    hint: 'Component names are lowercase letters, digits and "-" (components[].name in shipshape.config.ts).',
    kind: 'user',
    exit: 2,
  }),
  LOCAL_UNAUTHORIZED: (c) => ({
    message: `The local control API refused the token (${c.status}).`,
    hint: 'The token lives in .shipshape/local/token; restart the daemon ("shipshape local stop", then "start") if it was replaced.',
  }),
  LOCAL_ENV_NAME_INVALID: (c) => ({
    message: `The environment name "${c.env}" cannot name a local platform folder.`,
    hint: 'Use letters, digits, "_" and "-" only (e.g. "staging") in wrangler\'s env block and --env.',
    kind: 'user',
    exit: 2,
  }),
  LOCAL_WRONG_ENVIRONMENT: (c) => ({
    message: `This local platform serves ${c.serves}; it refused a version built for ${c.given}.`,
    hint: 'Each environment has its own daemon: pass the same --env to every command (e.g. "shipshape local status --env staging").',
  }),
  LOCAL_BODY_TOO_LARGE: (c) => ({
    message: `The local control API refused a request body ${c.size ? `of ${c.size} bytes (limit ${c.limit})` : `over ${c.limit} bytes`}.`,
    hint: 'Send smaller pieces: split a large KV value or SQL batch into several calls.',
  }),
  LOCAL_PATH_NOT_ALLOWED: (c) => ({
    message: `The local control API refused ${c.operation}: ${c.path} is outside the project and its build folders.`,
    hint: `Upload bundles that "shipshape deploy" built; files must live under ${c.projectDir} or a shipshape-build-* temp folder.`,
  }),
  LOCAL_BAD_REQUEST: (c) => ({
    message: `The local control API refused ${c.operation}: ${c.reason}`,
    hint: 'Check the values passed (percentages are integers summing to 100, at most two versions, known version ids).',
  }),
});

/** ` (component api, environment staging)` for a component's or environment's own daemon; nothing otherwise. */
function where(c: Ctx): string {
  const parts = [c.component ? `component ${c.component}` : null, c.env ? `environment ${c.env}` : null];
  const named = parts.filter(Boolean).join(', ');
  return named ? ` (${named})` : '';
}

/** The `local` command flags that name the same daemon again. */
function flags(c: Ctx): string {
  return `${c.component ? ` --component ${c.component}` : ''}${c.env ? ` --env ${c.env}` : ''}`;
}
