import { FAULT } from './fault.generated';

/** What this build was told to get wrong (scripts/write-fault.mjs wrote FAULT at build time). */
export interface Fault {
  /** Share of requests (every path but /health) that throw. */
  errorRate: number;
  /** Delay added to every request. */
  delayMs: number;
  /** /health answers 503. */
  unhealthy: boolean;
}

function readFault(spec: string): Fault {
  const [kind, value = ''] = spec.split(':');
  return {
    errorRate: kind === 'errors' ? Number(value) : 0,
    delayMs: kind === 'latency' ? Number.parseInt(value, 10) : 0,
    unhealthy: kind === 'health',
  };
}

// Widened: the generated constant's type is the one literal this build was made with.
const spec: string = FAULT;

export const fault = readFault(spec);

// A build that fails while its module loads, as a broken deploy does: the platform refuses the upload.
if (spec === 'crash') throw new Error('FAULT=crash: the API fails at start-up');
