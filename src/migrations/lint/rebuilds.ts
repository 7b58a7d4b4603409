import type { Parsed } from '../../sql/parse-statement.ts';
import type { Statement } from '../../sql/split.ts';
import type { Rebuild } from './rule.ts';

/**
 * Finds table rebuilds in one file, in either order SQLite's docs and tools use:
 * create new → copy → drop old → rename new to old, or rename old away → create → copy → drop the renamed.
 */
export function findRebuilds(
  statements: Statement[],
  parsed: Parsed[],
  preExisting: (table: string) => boolean,
): Rebuild[] {
  const rebuilds: Rebuild[] = [];
  parsed.forEach((p, k) => {
    if (p.kind !== 'rename-table') return;
    const before = parsed.slice(0, k);
    const after = parsed.slice(k + 1);
    // create N, copy, DROP T, RENAME N TO T
    const drop = before.findIndex((q) => q.kind === 'drop-table' && q.table === p.to && preExisting(q.table));
    const create = before.findIndex((q) => q.kind === 'create-table' && q.table === p.table);
    if (drop !== -1 && create !== -1) {
      const steps = [create, ...copiesInto(before, p.table), drop, k];
      rebuilds.push({ table: p.to, statements: steps.map((i) => statements[i]), drop: statements[drop] });
      return;
    }
    // RENAME T TO O, create T, copy, DROP O
    if (!preExisting(p.table)) return;
    const created = after.findIndex((q) => q.kind === 'create-table' && q.table === p.table);
    const dropped = after.findIndex((q) => q.kind === 'drop-table' && q.table === p.to);
    if (created === -1 || dropped === -1) return;
    const steps = [k, k + 1 + created, ...copiesInto(after, p.table).map((i) => k + 1 + i), k + 1 + dropped];
    rebuilds.push({
      table: p.table,
      statements: steps.map((i) => statements[i]),
      drop: statements[k + 1 + dropped],
    });
  });
  return rebuilds;
}

function copiesInto(parsed: Parsed[], table: string): number[] {
  return parsed.flatMap((q, i) => (q.kind === 'insert' && q.table === table && q.select ? [i] : []));
}
