import type { Rule } from '../rule.ts';

export const pragmaForeignKeys: Rule = {
  id: 'pragma-foreign-keys',
  severity: 'error',
  hint: 'Use PRAGMA defer_foreign_keys = on: constraints are then checked when the migration batch ends.',
  check({ parsed }) {
    if (parsed.kind !== 'pragma' || parsed.name !== 'foreign_keys' || parsed.value === null) return null;
    return {
      message: `PRAGMA foreign_keys = ${parsed.value} has no effect on D1: foreign keys are always enforced.`,
    };
  },
};
