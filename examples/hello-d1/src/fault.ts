import { FAULT } from './fault.generated';

/** The fault this build was bundled with (see scripts/write-fault.mjs). */
export interface Fault {
  errorRate: number;
  latencyMs: number;
  crash: boolean;
  unhealthy: boolean;
}

export function parseFault(raw: string): Fault {
  const fault: Fault = { errorRate: 0, latencyMs: 0, crash: false, unhealthy: false };
  if (raw.startsWith('errors:')) fault.errorRate = Number(raw.slice('errors:'.length));
  else if (raw.startsWith('latency:')) fault.latencyMs = Number.parseInt(raw.slice('latency:'.length), 10);
  else if (raw === 'crash') fault.crash = true;
  else if (raw === 'health') fault.unhealthy = true;
  return fault;
}

export const fault = parseFault(FAULT);

// A crashing build throws while the module loads, as a broken deploy would: the runtime refuses it.
if (fault.crash) throw new Error('FAULT=crash: this build fails at start-up');
