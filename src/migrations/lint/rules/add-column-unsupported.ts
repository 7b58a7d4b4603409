import { isNonConstantDefault, isNullDefault } from '../../../sql/column-def.ts';
import type { Rule } from '../rule.ts';

export const addColumnUnsupported: Rule = {
  id: 'add-column-unsupported',
  severity: 'error',
  hint:
    'Add a plain column (constant default), then CREATE UNIQUE INDEX for uniqueness, or set computed values ' +
    'from the code; a new primary key needs a table rebuild, acknowledged.',
  check({ parsed }) {
    if (parsed.kind !== 'add-column') return null;
    const col = parsed.column;
    const reasons: string[] = [];
    if (col.primaryKey) reasons.push('PRIMARY KEY');
    if (col.unique) reasons.push('UNIQUE');
    if (isNonConstantDefault(col.defaultTokens)) reasons.push('a non-constant DEFAULT');
    if (col.generatedStored) reasons.push('a STORED generated column');
    if (col.references && !isNullDefault(col.defaultTokens))
      reasons.push('REFERENCES with a non-NULL default');
    if (reasons.length === 0) return null;
    return {
      message: `ADD COLUMN ${parsed.table}.${col.name} uses ${reasons.join(', ')}, which SQLite's ADD COLUMN refuses.`,
    };
  },
};
