import { describe, expect, it } from 'vitest';
import { shareUnits } from './traffic-volume.ts';

describe('shareUnits', () => {
  it('counts clients where users send version keys: a few heavy clients are a few draws of the split', () => {
    expect(
      shareUnits({ requests: 950, organic: 900, clients: 3 }, { requests: 8200, organic: 8100, clients: 27 }),
    ).toEqual({ canary: 3, baseline: 27, of: 'clients' });
  });

  it("counts users' requests otherwise, all requests where the target cannot tell users apart", () => {
    expect(
      shareUnits({ requests: 120, organic: 100, clients: 0 }, { requests: 500, organic: 400, clients: 0 }),
    ).toEqual({
      canary: 100,
      baseline: 400,
      of: 'requests',
    });
    expect(shareUnits({ requests: 120 }, null)).toEqual({ canary: 120, baseline: 0, of: 'requests' });
  });
});
