import type { Rule } from '../rule.ts';

export const transactionStatement: Rule = {
  id: 'transaction-statement',
  severity: 'error',
  hint:
    'Remove it: each migration file already runs as one batch, all or nothing. For foreign-key ordering use ' +
    'PRAGMA defer_foreign_keys = on.',
  check({ parsed }) {
    if (parsed.kind !== 'transaction') return null;
    return {
      message: `${parsed.keyword} as a statement: D1 refuses transaction statements in production even where a local run passes.`,
    };
  },
};
