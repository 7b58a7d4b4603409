import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { readJsonFile, writeJsonFile } from '../json-file.ts';
import type { StatePaths } from '../paths.ts';

/** A binding as Cloudflare's upload metadata writes it (`{type, name, ...}`). */
export type CfBinding = { type: string; name: string } & Record<string, unknown>;

/** What Cloudflare knows about a version beyond what the local platform stores (kept per version id). */
export interface CfVersionInfo {
  script: string;
  number: number;
  createdOn: string;
  source: string;
  authorEmail: string;
  annotations: Record<string, string>;
  /** Bindings as uploaded, secrets included (this file is owner-only, like .dev.vars). */
  bindings: CfBinding[];
  compatibilityDate: string;
  compatibilityFlags: string[];
  mainModule: string;
  etag: string;
}

export interface CfDeployment {
  id: string;
  created_on: string;
  source: string;
  strategy: 'percentage';
  author_email: string;
  annotations: Record<string, string>;
  versions: Array<{ version_id: string; percentage: number }>;
}

export interface CfScript {
  createdOn: string;
  modifiedOn: string;
  /** Newest first, as the API lists them. */
  deployments: CfDeployment[];
  settings: Record<string, unknown>;
  nextNumber: number;
  /** Cron triggers (`PUT …/schedules`), as the API answers them; the stand-in's clock fires them. */
  schedules?: CfSchedule[];
}

export interface CfSchedule {
  cron: string;
  created_on: string;
  modified_on: string;
}

export interface CfBookmark {
  databaseId: string;
  ref: string;
  at: string;
}

/** One Pages deployment: the local version it built and what the upload said of its commit. */
export interface CfPagesDeployment {
  id: string;
  versionId: string;
  createdOn: string;
  environment: 'production' | 'preview';
  branch: string | null;
  commitHash: string | null;
  commitMessage: string | null;
  commitDirty: boolean;
  usesFunctions: boolean;
}

/** A Pages project created through the API (direct upload: no source repository). */
export interface CfPagesProject {
  id: string;
  name: string;
  productionBranch: string;
  createdOn: string;
  deploymentConfigs: Record<'production' | 'preview', Record<string, unknown>>;
  /** Newest first. */
  deployments: CfPagesDeployment[];
  /** The deployment serving production (the newest, or the one rolled back to). */
  canonical: string | null;
}

export interface CfState {
  accountId: string;
  scripts: Record<string, CfScript>;
  versions: Record<string, CfVersionInfo>;
  bookmarks: Record<string, CfBookmark>;
  pages: Record<string, CfPagesProject>;
  /** R2 buckets created through the API: name → creation time. */
  r2: Record<string, string>;
  /** D1 databases created through the API (`wrangler d1 create`): uuid → name and creation time. */
  d1: Record<string, { name: string; createdOn: string }>;
  /**
   * Workers that run on a local platform of their own (every Worker but the one the account's platform serves), so
   * a restarted daemon opens theirs again (account-scripts.ts).
   */
  scriptsApart: string[];
}

const AUTHOR = 'local@shipshape.dev';

export { AUTHOR };

/** The API stand-in's own state, in `<state root>/cf-api.json` (atomic writes, owner-only). */
export class CfStore {
  readonly path: string;
  state: CfState;

  constructor(paths: StatePaths) {
    this.path = join(paths.root, 'cf-api.json');
    this.state = readJsonFile<CfState>(this.path, fresh(), (v) =>
      v && typeof v === 'object' && typeof (v as CfState).accountId === 'string'
        ? null
        : 'expected {"accountId": ...}',
    );
    this.state.bookmarks ??= {};
    this.state.pages ??= {};
    this.state.r2 ??= {};
    this.state.d1 ??= {};
    this.state.scriptsApart ??= [];
    this.save();
  }

  save(): void {
    writeJsonFile(this.path, this.state);
  }

  script(name: string): CfScript | undefined {
    return this.state.scripts[name];
  }

  /** The script's record, created on first use. */
  ensureScript(name: string): CfScript {
    const now = new Date().toISOString();
    this.state.scripts[name] ??= {
      createdOn: now,
      modifiedOn: now,
      deployments: [],
      settings: {},
      nextNumber: 1,
    };
    return this.state.scripts[name];
  }
}

function fresh(): CfState {
  return {
    accountId: randomBytes(16).toString('hex'),
    scripts: {},
    versions: {},
    bookmarks: {},
    pages: {},
    r2: {},
    d1: {},
    scriptsApart: [],
  };
}

/** A stable etag-like digest. */
export function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/** What a user needs to point wrangler at the stand-in: its base URL and the account id (null before a first start). */
export function cloudflareApiInfo(
  paths: StatePaths,
  controlUrl: string,
): { baseUrl: string; accountId: string | null } {
  const state = readJsonFile<Partial<CfState> | null>(join(paths.root, 'cf-api.json'), null, () => null);
  return { baseUrl: `${controlUrl}/client/v4`, accountId: state?.accountId ?? null };
}
