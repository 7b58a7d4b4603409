import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** uPlot's browser build and stylesheet, as text to inline into a page. */
export interface ChartAssets {
  script: string;
  css: string;
}

let cached: ChartAssets | null = null;

/**
 * Reads uPlot (a dependency: ~50 KB minified, MIT) from the installed package once per process, so pages that
 * inline it need no network to draw.
 */
export function chartAssets(): ChartAssets {
  if (!cached) {
    const require = createRequire(import.meta.url);
    const read = (file: string) => readFileSync(require.resolve(`uplot/dist/${file}`), 'utf8');
    cached = { script: read('uPlot.iife.min.js'), css: read('uPlot.min.css') };
  }
  return cached;
}
