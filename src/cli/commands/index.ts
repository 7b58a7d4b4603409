import type { CommandDef } from '../define-command.ts';
import { configCommand } from './config.ts';
import { initCommand } from './init.ts';

/** Every command, in the order --help lists them. Each area adds its own line below its marker. */
export const commands: CommandDef[] = [
  initCommand,
  configCommand,
  // @pipeline
  // @local
  // @migrations
  // @flags
];
