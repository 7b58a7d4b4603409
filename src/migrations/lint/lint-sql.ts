import { type Parsed, parseStatement } from '../../sql/parse-statement.ts';
import { type Statement, splitStatements } from '../../sql/split.ts';
import { SqlSyntaxError } from '../../sql/tokenizer.ts';
import type { Finding } from './finding.ts';
import { findRebuilds } from './rebuilds.ts';
import type { RuleContext, RuleHit, RuleId } from './rule.ts';
import { INVALID_SQL, RULES, RULES_BY_ID } from './rules/index.ts';
import type { SchemaDiff, ScratchDb } from './scratch.ts';
import { Allowances } from './suppressions.ts';

/** Statements the scratch database must not run: they would change how it runs, not the schema. */
const SKIP_ON_SCRATCH = (p: Parsed) => p.kind === 'transaction' || p.kind === 'pragma';

/**
 * Lints one migration file's SQL. With a scratch database (holding the schema of the earlier migrations), it
 * also applies the statements there: SQLite's own errors become invalid-sql findings, and drops or renames the
 * syntax rules missed are found by diffing the schema. The scratch database is left with this file applied.
 * @example lintSql('ALTER TABLE users DROP COLUMN email;', { file: '0003_x.sql', scratch })
 */
export function lintSql(sql: string, options: { file: string; scratch: ScratchDb | null }): Finding[] {
  const { file, scratch } = options;
  let split: ReturnType<typeof splitStatements>;
  try {
    split = splitStatements(sql);
  } catch (err) {
    if (!(err instanceof SqlSyntaxError)) throw err;
    return [finding(file, err.line, 'invalid-sql', { message: `Does not parse: ${err.message}.` }, null)];
  }
  const { statements, comments } = split;
  const allowances = new Allowances(comments);
  const parsed = statements.map(parseStatement);
  // A table not created by this file may hold data in production, even when the migrations never created it.
  const preExisting = (_table: string) => true;
  const rebuilds = findRebuilds(statements, parsed, preExisting);
  const createdInFile = new Set<string>();
  const findings: Finding[] = [];
  let scratchOk = scratch !== null;
  const report = (statement: Statement, rule: RuleId, hit: RuleHit) => {
    const above = [statement, ...(hit.allowedAbove ?? [])].map((s) => allowances.above(s.line).get(rule));
    // A statement that does not parse cannot be acknowledged away; only SQLite's schema complaints can.
    const allowance =
      rule === 'invalid-sql' && isSyntaxMessage(hit.message) ? null : (above.find(Boolean) ?? null);
    findings.push(finding(file, statement.line, rule, hit, allowance?.reason ?? null));
  };
  statements.forEach((statement, k) => {
    const p = parsed[k];
    const rebuild = rebuilds.find((r) => r.statements.includes(statement)) ?? null;
    const ctx: RuleContext = {
      statement,
      parsed: p,
      preExisting,
      createdInFile,
      rebuild,
      scratch: scratchOk ? scratch : null,
    };
    const raised = new Set<RuleId>();
    for (const rule of RULES) {
      const hit = rule.check(ctx);
      if (hit) {
        raised.add(rule.id);
        report(statement, rule.id, hit);
      }
    }
    trackCreated(p, createdInFile);
    if (!scratchOk || SKIP_ON_SCRATCH(p)) return;
    try {
      const diff = scratch!.run(statement.text);
      if (diff && !rebuild) {
        for (const [rule, hit] of diffFindings(diff, raised, createdInFile, preExisting))
          report(statement, rule, hit);
      }
    } catch (err) {
      scratchOk = false;
      const message = `SQLite refuses it: ${(err as Error).message} (statement ${k + 1}, applied after the earlier migrations).`;
      report(statement, 'invalid-sql', { message });
    }
  });
  return findings;
}

function isSyntaxMessage(message: string): boolean {
  return ['syntax error', 'incomplete input', 'unrecognized token'].some((m) => message.includes(m));
}

function trackCreated(p: Parsed, created: Set<string>): void {
  if (p.kind === 'create-table') created.add(p.table);
  if (p.kind === 'rename-table' && created.delete(p.table)) created.add(p.to);
}

/** Drops and renames SQLite saw that no syntax rule reported for this statement (whatever syntax did them). */
function diffFindings(
  diff: SchemaDiff,
  raised: Set<RuleId>,
  created: Set<string>,
  preExisting: (t: string) => boolean,
): Array<[RuleId, RuleHit]> {
  const out: Array<[RuleId, RuleHit]> = [];
  const serving = (t: string) => !created.has(t) && preExisting(t);
  const suffix = ' (found by applying the file to a scratch copy of the schema)';
  for (const t of diff.droppedTables) {
    if (serving(t) && !raised.has('drop-table'))
      out.push(['drop-table', { message: `Table ${t} is dropped${suffix}.` }]);
  }
  for (const [from, to] of diff.renamedTables) {
    if (serving(from) && !raised.has('rename-table')) {
      out.push(['rename-table', { message: `Table ${from} is renamed to ${to}${suffix}.` }]);
    }
  }
  for (const [t, cols] of diff.droppedColumns) {
    if (serving(t) && !raised.has('drop-column') && !raised.has('rename-column')) {
      out.push([
        'drop-column',
        {
          message: `Column${cols.length > 1 ? 's' : ''} ${cols.map((c) => `${t}.${c}`).join(', ')} disappear${suffix}.`,
        },
      ]);
    }
  }
  return out;
}

function finding(file: string, line: number, rule: RuleId, hit: RuleHit, reason: string | null): Finding {
  const def = RULES_BY_ID.get(rule) ?? INVALID_SQL;
  return {
    file,
    line,
    rule,
    severity: def.severity,
    message: hit.message,
    hint: hit.hint ?? def.hint,
    suppressed: reason !== null,
    reason,
  };
}
