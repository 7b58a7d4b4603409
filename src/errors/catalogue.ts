import { analyticsErrors } from './codes/analytics.ts';
import { bindingErrors } from './codes/bindings.ts';
import { cloudflareErrors } from './codes/cloudflare.ts';
import { configErrors } from './codes/config.ts';
import { coreErrors } from './codes/core.ts';
import { dashboardErrors } from './codes/dashboard.ts';
import { flagErrors } from './codes/flags.ts';
import { localErrors } from './codes/local.ts';
import { migrationErrors } from './codes/migrations.ts';
import { pagesErrors } from './codes/pages.ts';
import { pipelineErrors } from './codes/pipeline.ts';

/**
 * Every user-facing error, keyed by a stable code: `code → (ctx) => {message, hint, kind?, exit?}`.
 * Each area keeps its codes in `codes/<area>.ts`.
 */
export const catalogue = {
  ...coreErrors,
  ...configErrors,
  ...localErrors,
  ...pipelineErrors,
  ...migrationErrors,
  ...flagErrors,
  ...bindingErrors,
  ...pagesErrors,
  ...analyticsErrors,
  ...cloudflareErrors,
  ...dashboardErrors,
};

export type ErrorCode = keyof typeof catalogue;
