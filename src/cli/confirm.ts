import { createInterface } from 'node:readline/promises';
import type { CommandContext } from './define-command.ts';

/**
 * Asks a yes/no question on the terminal. Never asks in CI, with --json, or when stdin or stdout is not a
 * terminal: it answers no, and the caller refuses with a hint to pass --yes.
 */
export async function confirm(
  ctx: Pick<CommandContext, 'io' | 'global'>,
  question: string,
): Promise<boolean> {
  if (ctx.io.env.CI || !process.stdin.isTTY || !ctx.io.stdout.isTTY || ctx.global.json) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}
