import type { Rule } from '../rule.ts';

export const dropIndex: Rule = {
  id: 'drop-index',
  severity: 'warning',
  hint: 'Drop an index only after the code that needed it is gone; create its replacement first.',
  check({ parsed }) {
    if (parsed.kind !== 'drop-index') return null;
    return { message: `DROP INDEX ${parsed.index} may slow down the serving version's queries.` };
  },
};
