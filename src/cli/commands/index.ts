import type { CommandDef } from '../define-command.ts';
import { checkCommand } from './check.ts';
import { configCommand } from './config.ts';
import { dashboardCommand } from './dashboard.ts';
import { demoCommand } from './demo.ts';
import { deployCommand } from './deploy.ts';
import { flagCommands } from './flags.ts';
import { guardCommands } from './guard.ts';
import { historyCommand } from './history.ts';
import { initCommand } from './init.ts';
import { localCommands } from './local.ts';
import { triggerScheduledCommand } from './local-trigger.ts';
import { migrationsCommands } from './migrations.ts';
import { abortCommand, promoteCommand } from './promote-abort.ts';
import { recoverCommand } from './recover.ts';
import { reportCommand } from './report.ts';
import { rollbackCommand } from './rollback.ts';
import { statusCommand } from './status.ts';
import { verifyCommand } from './verify.ts';

/** Every command, in the order --help lists them. Each area adds its own line below its marker. */
export const commands: CommandDef[] = [
  initCommand,
  configCommand,
  checkCommand,
  deployCommand,
  statusCommand,
  historyCommand,
  promoteCommand,
  abortCommand,
  rollbackCommand,
  verifyCommand,
  reportCommand,
  dashboardCommand,
  demoCommand,
  // @pipeline
  recoverCommand,
  ...guardCommands,
  // @local
  ...localCommands,
  triggerScheduledCommand,
  // @migrations
  ...migrationsCommands,
  // @flags
  ...flagCommands,
];
