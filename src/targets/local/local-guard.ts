import type { LeaseState, ReleaseGuard } from '../target.ts';
import { readLeaseFile } from './lease-keeper.ts';
import type { StatePaths } from './paths.ts';

type Call = <T>(method: 'GET' | 'POST', path: string, body?: unknown) => Promise<T>;

/**
 * The release lease held with the environment's daemon. Once acquired, every control call carries the
 * generation (LocalTarget sends it), and journal appends check the lease file the daemon writes.
 */
export class LocalGuard implements ReleaseGuard {
  /** The daemon's lease keeper recovers a lapsed release by itself. */
  readonly watched = true;
  /** The generation this process holds, or null (no lease: the operator's own calls). */
  generation: number | null = null;

  constructor(
    private readonly call: Call,
    private readonly paths: StatePaths,
  ) {}

  async acquire(release: string, ttlMs: number, expect?: number): Promise<number> {
    const state = await this.call<LeaseState>('POST', '/lease/acquire', {
      release,
      ttlMs,
      pid: process.pid,
      ...(expect === undefined ? {} : { expect }),
    });
    this.generation = state.generation;
    return state.generation;
  }

  async renew(): Promise<void> {
    if (this.generation === null) return;
    await this.call('POST', '/lease/renew', { generation: this.generation });
  }

  async release(): Promise<void> {
    if (this.generation === null) return;
    const generation = this.generation;
    await this.call('POST', '/lease/release', { generation });
    this.generation = null;
  }

  current(): boolean {
    if (this.generation === null) return true;
    const lease = readLeaseFile(this.paths);
    return lease === null || lease.generation === this.generation;
  }

  state(): Promise<LeaseState> {
    return this.call<LeaseState>('GET', '/lease');
  }
}
