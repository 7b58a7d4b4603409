import { defineErrors } from './define.ts';

export const pipelineErrors = defineErrors({});
