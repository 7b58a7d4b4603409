import { CF_CODES } from './codes.ts';
import type { CfContext, CfRequest, CfRoute } from './context.ts';
import { jsonBody } from './context.ts';
import { cronProblem, parseCron } from './cron.ts';
import { CfError, invalid } from './envelope.ts';
import { requireScript } from './scripts.ts';
import type { CfSchedule } from './state.ts';

const SCHEDULES = '/accounts/:account/workers/scripts/:script/schedules';

/**
 * `PUT …/schedules` with `[{"cron": "* * * * *"}, …]` (what `wrangler deploy` sends for `triggers.crons`): replaces
 * the Worker's cron triggers. Every expression is checked first; one Cloudflare would refuse is 400 10100 and
 * nothing changes. A trigger kept from before keeps its `created_on`.
 */
function putSchedules(ctx: CfContext, req: CfRequest) {
  const script = req.params.script;
  requireScript(ctx, script);
  let body: unknown;
  try {
    body = JSON.parse(req.body.toString('utf8'));
  } catch {
    throw new CfError(400, CF_CODES.malformedJson, 'Malformed JSON in request body');
  }
  if (!Array.isArray(body) || body.some((s) => typeof s?.cron !== 'string')) {
    throw invalid('the body must be a list of cron triggers: [{"cron": "* * * * *"}, …]');
  }
  const crons = [...new Set((body as Array<{ cron: string }>).map((s) => s.cron.trim()))];
  const problems = crons.flatMap((c) => {
    const problem = cronProblem(c);
    return problem ? [`"${c}": ${problem}`] : [];
  });
  if (problems.length > 0)
    throw new CfError(400, CF_CODES.invalidCron, `invalid cron string: ${problems.join('; ')}`);
  const record = ctx.store.ensureScript(script);
  const now = new Date().toISOString();
  const before = new Map((record.schedules ?? []).map((s) => [s.cron, s]));
  record.schedules = crons.map((cron) => before.get(cron) ?? { cron, created_on: now, modified_on: now });
  ctx.store.save();
  return { schedules: record.schedules };
}

/**
 * Fires the Worker's `scheduled` handler now on its serving version, as its cron trigger would (`cron`: the
 * controller's expression; default its first trigger). Unknown Worker: 404 10007; no trigger and no `cron`: 400.
 * A handler that throws is an outcome (`exception`), written to the daemon's log.
 */
export async function fireScheduled(ctx: CfContext, script: string, cron: string | null, at?: Date) {
  const scoped = await ctx.scripts.context(ctx, script, false);
  requireScript(scoped, script);
  const expression = cron ?? ctx.store.script(script)?.schedules?.[0]?.cron;
  if (!expression) {
    throw invalid(`Worker "${script}" has no cron trigger: send "cron", or PUT its schedules first`);
  }
  const problem = cronProblem(expression);
  if (problem)
    throw new CfError(400, CF_CODES.invalidCron, `invalid cron string: "${expression}": ${problem}`);
  const fired = await scoped.platform.scheduled(expression, null, at);
  // The runtime reports a handler's own output, not that it threw: the log says so, as Cloudflare's past events do.
  if (fired.outcome !== 'ok') {
    ctx.platform.output(
      `[${script}] cron trigger "${fired.cron}" on version ${fired.version}: ${fired.outcome}\n`,
    );
  }
  return { script, version: fired.version, cron: fired.cron, outcome: fired.outcome };
}

/** `POST /_local/scheduled` `{script, cron?}`: the stand-in's `wrangler dev --test-scheduled`. */
function localScheduled(ctx: CfContext, req: CfRequest) {
  const body = jsonBody(req);
  if (typeof body.script !== 'string' || body.script === '') throw invalid('script: the Worker to fire');
  if (body.cron !== undefined && body.cron !== null && typeof body.cron !== 'string') {
    throw invalid("cron: a cron expression, or absent for the Worker's first trigger");
  }
  return fireScheduled(ctx, body.script, (body.cron as string | undefined) ?? null);
}

/** The cron triggers due at `at`'s minute (UTC), every Worker's (one edited by hand into an unreadable one: none). */
export function dueAt(ctx: CfContext, at: Date): Array<{ script: string; cron: string }> {
  const due = (s: CfSchedule) => cronProblem(s.cron) === null && parseCron(s.cron).matches(at);
  return Object.entries(ctx.store.state.scripts).flatMap(([script, record]) =>
    (record.schedules ?? []).filter(due).map((s) => ({ script, cron: s.cron })),
  );
}

export const scheduleRoutes: CfRoute[] = [
  { method: 'PUT', path: SCHEDULES, handle: putSchedules },
  {
    method: 'GET',
    path: SCHEDULES,
    handle: (ctx, req) => {
      requireScript(ctx, req.params.script);
      return { schedules: ctx.store.script(req.params.script)?.schedules ?? [] };
    },
  },
  { method: 'POST', path: '/_local/scheduled', handle: localScheduled },
];

/**
 * Fires every trigger due at `minute`, as Cloudflare's scheduler does; a Worker that cannot run is written to the
 * daemon's log, never thrown.
 */
export async function fireDue(ctx: CfContext, minute: Date): Promise<void> {
  await Promise.all(
    dueAt(ctx, minute).map(({ script, cron }) =>
      fireScheduled(ctx, script, cron, minute).catch((err: Error) =>
        ctx.platform.output(`[${script}] cron trigger "${cron}" did not run: ${err.message}\n`),
      ),
    ),
  );
}
