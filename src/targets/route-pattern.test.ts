import { describe, expect, it } from 'vitest';
import { routePattern } from './route-pattern.ts';

describe('routePattern', () => {
  it('groups ids so they do not explode the route count', () => {
    expect(routePattern('/api/items/123?x=1')).toBe('/api/items/:id');
    expect(routePattern('/users/42/orders/7f3a9c1e')).toBe('/users/:id/orders/:id');
    expect(routePattern('/o/3f2504e0-4f89-11d3-9a0c-0305e82c3301')).toBe('/o/:id');
    expect(routePattern('/t/AbCdEf0123456789xyz')).toBe('/t/:id');
  });

  it('keeps words, short segments and the root as they are', () => {
    expect(routePattern('/')).toBe('/');
    expect(routePattern('')).toBe('/');
    expect(routePattern('/?q=1')).toBe('/');
    expect(routePattern('/health')).toBe('/health');
    expect(routePattern('/api/v2/items/')).toBe('/api/v2/items/');
    expect(routePattern('/assets/deadbeef')).toBe('/assets/deadbeef');
    expect(routePattern('/blog/hello-world#top')).toBe('/blog/hello-world');
  });
});
