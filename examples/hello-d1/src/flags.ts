import { createFlags } from 'shipshape/flags';
import { FLAG_DEFINITIONS } from './flag-definitions';

// Created once per isolate; values are read from KV lazily inside requests (cached for 5 s).
export const flags = createFlags({ definitions: FLAG_DEFINITIONS, binding: 'FLAGS', key: 'feature_flags' });
