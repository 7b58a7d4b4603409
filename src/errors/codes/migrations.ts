import { defineErrors } from './define.ts';

export const migrationErrors = defineErrors({});
