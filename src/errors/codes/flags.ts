import { defineErrors } from './define.ts';

export const flagErrors = defineErrors({});
