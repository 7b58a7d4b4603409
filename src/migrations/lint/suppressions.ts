import type { Comment } from '../../sql/tokenizer.ts';

/** One `-- shipshape-allow <rule>[, <rule>…]: <reason>` acknowledgement. */
export interface Allowance {
  rules: string[];
  reason: string;
  line: number;
}

const MARK = 'shipshape-allow';

/** Reads an acknowledgement from a line comment's text, or null when it is not one (or has no reason). */
export function parseAllowance(comment: Comment): Allowance | null {
  const text = comment.text.trim();
  if (comment.block || !text.startsWith(MARK)) return null;
  const rest = text.slice(MARK.length);
  const colon = rest.indexOf(':');
  if (colon === -1) return null;
  const reason = rest.slice(colon + 1).trim();
  const rules = rest
    .slice(0, colon)
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  if (!reason || rules.length === 0) return null;
  return { rules, reason, line: comment.line };
}

/**
 * The acknowledgements written on the comment lines directly above a statement's first line (a blank line or
 * code in between ends the block), keyed by rule id.
 */
export class Allowances {
  private byLine = new Map<number, Comment>();

  constructor(comments: Comment[]) {
    for (const c of comments) if (c.ownLine && !c.block) this.byLine.set(c.line, c);
  }

  above(line: number): Map<string, Allowance> {
    const out = new Map<string, Allowance>();
    for (let l = line - 1; this.byLine.has(l); l--) {
      const allowance = parseAllowance(this.byLine.get(l)!);
      if (!allowance) continue;
      for (const rule of allowance.rules) if (!out.has(rule)) out.set(rule, allowance);
    }
    return out;
  }
}
