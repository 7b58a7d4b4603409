/** Stable exit codes (DESIGN.md): a module of its own so the error catalogue can name them without a cycle. */
export const EXIT = {
  ok: 0,
  rolledBack: 1,
  usage: 2,
  blocked: 3,
  rollbackFailed: 4,
  locked: 5,
  failed: 6,
} as const;
