import { componentName } from '../../config/resolved.ts';
import type { CheckResult, GateCheck, GateContext } from '../check.ts';
import { GATE_SCORE, gateResult } from '../shared/result.ts';
import { type PromotedBuild, promotedBuilds } from './promoted-builds.ts';

const NAME = 'promotion';

/**
 * Promotion between environments (`gates.promotedIn: "staging"`): a release elsewhere passes only if the bundle
 * it is about to release was promoted in that environment, by hash, per component (each component runs it for
 * itself). The check builds through the release's own target to learn the hash: every gate check judges the
 * working tree the release phase then builds, and a bundle's hash is a pure function of that tree, so no
 * pipeline change is needed and a blocked release is blocked before anything is touched (exit 3).
 * `deploy --skip-promotion-check --reason "why"` turns the failure into a warning, the reason in the journal.
 * Outside a release (`shipshape check`) nothing is built: it reports what that environment last promoted.
 */
export const promotionCheck: GateCheck = {
  name: NAME,
  async run(ctx) {
    const env = ctx.config.gates.promotedIn;
    if (env === null || env === ctx.config.env) return [];
    const component = componentName(ctx.config);
    const builds = promotedBuilds(ctx.config.projectDir, env).filter((b) => b.component === component);
    const what = component ? `${component}'s build` : 'This build';
    const base = { environment: env, ...(component ? { component } : {}) };
    if (!ctx.target) return withoutBuild(ctx, builds, base);
    const { hash } = await ctx.target.build();
    const match = builds.find((b) => b.hash === hash);
    if (match) {
      return gateResult(NAME, 'pass', {
        message: `${what} (${short(hash)}) was promoted in ${env} by release ${match.release}${scored(match)}.`,
        evidence: { ...base, hash, ...evidenceOf(match), ...forced(ctx) },
      });
    }
    const newest = builds[0];
    const seen = newest
      ? `${env} last promoted ${short(newest.hash)} (release ${newest.release})`
      : `nothing was ever promoted in ${env}`;
    const evidence = {
      ...base,
      hash,
      newest: newest ? { ...evidenceOf(newest), hash: newest.hash } : null,
    };
    return notPromoted(ctx, `${what} (${short(hash)}) was not promoted in ${env}: ${seen}.`, evidence);
  },
};

/** `shipshape check`: nothing is built, so it says what a deploy will compare with. */
function withoutBuild(ctx: GateContext, builds: PromotedBuild[], base: Record<string, unknown>): CheckResult {
  const env = base.environment as string;
  const newest = builds[0];
  if (!newest) return notPromoted(ctx, `Nothing was ever promoted in ${env}.`, { ...base, newest: null });
  return {
    name: NAME,
    status: 'skip',
    score: GATE_SCORE.skip,
    message: `Compared at deploy, after the build: ${env} last promoted ${short(newest.hash)} (release ${newest.release}${scored(newest)}).`,
    evidence: { ...base, newest: { ...evidenceOf(newest), hash: newest.hash } },
  };
}

function notPromoted(ctx: GateContext, message: string, evidence: Record<string, unknown>): CheckResult {
  const env = ctx.config.gates.promotedIn as string;
  if (ctx.skipPromotion) {
    return gateResult(NAME, 'warn', {
      message: `${message.replace(/\.$/, '')}; overridden: ${ctx.skipPromotion.reason}`,
      hint: 'The override and its reason are recorded in the release journal.',
      evidence: { ...evidence, ...forced(ctx) },
    });
  }
  return gateResult(NAME, 'fail', {
    message,
    hint: `Release this same build to ${env} first (shipshape deploy --env ${env}), or pass --skip-promotion-check --reason "why".`,
    evidence,
  });
}

function evidenceOf(build: PromotedBuild) {
  return { release: build.release, score: build.score, version: build.version, promotedAt: build.finishedAt };
}

function forced(ctx: GateContext) {
  return ctx.skipPromotion ? { forced: ctx.skipPromotion.reason } : {};
}

function scored(build: PromotedBuild): string {
  return build.score === null ? '' : `, score ${build.score}`;
}

function short(hash: string): string {
  return hash.slice(0, 12);
}
