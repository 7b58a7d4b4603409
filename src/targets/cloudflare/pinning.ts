import { ShipshapeError } from '../../errors/shipshape-error.ts';
import type { CloudflareApi } from './api-client.ts';
import { ScriptDeployments } from './deployments.ts';

/** How long a Worker's deployment read for a pin is trusted; any traffic change made here forgets it at once. */
const FRESH_MS = 5_000;

/**
 * Cloudflare honours Cloudflare-Workers-Version-Overrides only for a version in the Worker's current deployment;
 * any other pin is silently ignored and the request routed by percentage. So before a pinned request, every
 * pinned version is checked against its Worker's deployment (read through the API, for other Workers too): a pin
 * that cannot work fails instead of passing on another version's answer.
 */
export class PinCheck {
  private readonly seen = new Map<string, { at: number; versions: Set<string> }>();

  constructor(private readonly api: CloudflareApi) {}

  async assertDeployed(pins: Record<string, string>): Promise<void> {
    for (const [script, version] of Object.entries(pins)) {
      const deployed = await this.deployedVersions(script);
      if (!deployed.has(version))
        throw new ShipshapeError('CLOUDFLARE_PIN_NOT_DEPLOYED', { script, version });
    }
  }

  /** After an upload or a traffic change: the next pinned request reads the deployment again. */
  forget(): void {
    this.seen.clear();
  }

  private async deployedVersions(script: string): Promise<Set<string>> {
    const known = this.seen.get(script);
    if (known && Date.now() - known.at < FRESH_MS) return known.versions;
    const { split } = await new ScriptDeployments(this.api, script).current();
    const versions = new Set(split.map((s) => s.version));
    this.seen.set(script, { at: Date.now(), versions });
    return versions;
  }
}

/** A Structured Fields dictionary, as Cloudflare reads it: `api="v1", web="v2"`. */
export function overridesHeader(pins: Record<string, string>): string {
  return Object.entries(pins)
    .map(([worker, version]) => `${worker}="${version}"`)
    .join(', ');
}
