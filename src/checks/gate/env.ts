import { readDevVars } from '../../config/dev-vars.ts';
import type { CheckResult, GateCheck, GateContext } from '../check.ts';
import { gateResult, globMatch } from '../shared/result.ts';
import { formatProblem, ruleProblem } from './env-format.ts';

/**
 * Env and secrets: required names present (fail), optional names present (warn), format rules on every
 * value we hold. Names from the target's secret list count as present; their format cannot be checked.
 * Results carry names only, never values.
 */
export const envCheck: GateCheck = {
  name: 'env',
  async run(ctx) {
    const { required, optional, formats } = ctx.config.gates.env;
    const withValue = new Set(Object.keys(ctx.env).filter((k) => (ctx.env[k] ?? '') !== ''));
    const secrets = await secretNames(ctx);
    const present = (name: string) => withValue.has(name) || secrets.names.has(name);
    const source = ctx.target
      ? `the env, .dev.vars and ${ctx.target.name}'s secrets`
      : 'the env and .dev.vars';
    const results: CheckResult[] = [];

    const missing = required.filter((n) => !present(n));
    const secretHint = secrets.error ? ` (the secret list could not be read: ${secrets.error})` : '';
    results.push(
      missing.length === 0
        ? gateResult('env: required', 'pass', {
            message: required.length
              ? `${required.length} required variable(s) present.`
              : 'No required variables configured.',
            evidence: { required, missing },
          })
        : gateResult('env: required', 'fail', {
            message: `Missing required variable${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}${secretHint}.`,
            hint: `Set them in ${source} (wrangler secret put NAME for deployed secrets), or remove them from gates.env.required.`,
            evidence: { required, missing, secretListError: secrets.error },
          }),
    );

    if (optional.length > 0) {
      const absent = optional.filter((n) => !present(n));
      results.push(
        absent.length === 0
          ? gateResult('env: optional', 'pass', {
              message: 'Every optional variable is set.',
              evidence: { optional, missing: [] },
            })
          : gateResult('env: optional', 'warn', {
              message: `Optional variable${absent.length > 1 ? 's' : ''} not set: ${absent.join(', ')}.`,
              hint: 'The release goes ahead; the features that read them may be off.',
              evidence: { optional, missing: absent },
            }),
      );
    }

    const rules = Object.entries(formats);
    if (rules.length > 0)
      results.push(checkFormats(ctx, rules, [...withValue], [...required, ...optional, ...secrets.names]));

    const devVars = readDevVars(ctx.config.projectDir, ctx.config.worker.env);
    if (devVars.badLines.length > 0) {
      results.push(
        gateResult('env: .dev.vars', 'warn', {
          message: `${devVars.path}: line${devVars.badLines.length > 1 ? 's' : ''} ${devVars.badLines.join(', ')} not KEY=VALUE; ignored.`,
          hint: 'Each line is NAME=value (quotes allowed); lines starting with # are comments.',
          evidence: { path: devVars.path, badLines: devVars.badLines },
        }),
      );
    }
    return results;
  },
};

function checkFormats(
  ctx: GateContext,
  rules: Array<[string, Parameters<typeof formatProblem>[1]]>,
  withValue: string[],
  otherNames: string[],
): CheckResult {
  const problems: string[] = [];
  const checked: string[] = [];
  const unchecked: string[] = [];
  const badRules: string[] = [];
  for (const [key, rule] of rules) {
    const ruleError = ruleProblem(rule);
    if (ruleError) {
      badRules.push(`gates.env.formats["${key}"].pattern: ${ruleError}`);
      continue;
    }
    const names = [...new Set([...withValue, ...otherNames])].filter((n) => globMatch(key, n)).sort();
    for (const name of names) {
      const value = ctx.env[name];
      if (value === undefined || value === '') {
        unchecked.push(name);
        continue;
      }
      checked.push(name);
      const problem = formatProblem(value, rule);
      if (problem) problems.push(`${name}: ${problem}`);
    }
  }
  const evidence = { rules: rules.map(([k]) => k), checked, unchecked, problems, badRules };
  if (badRules.length > 0) {
    return gateResult('env: formats', 'fail', {
      message: `Invalid format rule: ${badRules.join('; ')}.`,
      hint: 'Fix the regular expression in the config (it must match the whole value).',
      evidence,
    });
  }
  if (problems.length > 0) {
    return gateResult('env: formats', 'fail', {
      message: `Badly formed: ${problems.join('; ')}.`,
      hint: 'Fix the values (gates.env.formats in the config describes each one); values are never printed.',
      evidence,
    });
  }
  const note = unchecked.length ? `; ${unchecked.join(', ')} held as secrets only, format not checkable` : '';
  return gateResult('env: formats', 'pass', {
    message: `${checked.length} value(s) well formed${note}.`,
    evidence,
  });
}

async function secretNames(ctx: GateContext): Promise<{ names: Set<string>; error: string | null }> {
  if (!ctx.target) return { names: new Set(), error: null };
  try {
    return { names: new Set(await ctx.target.secretNames()), error: null };
  } catch (err) {
    return { names: new Set(), error: err instanceof Error ? err.message : String(err) };
  }
}
