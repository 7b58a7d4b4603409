import { defineErrors } from './define.ts';

export const localErrors = defineErrors({});
