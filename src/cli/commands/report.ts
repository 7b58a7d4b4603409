import { projectSecrets } from '../../config/dev-vars.ts';
import { ShipshapeError } from '../../errors/shipshape-error.ts';
import { createRedactor } from '../../redact/redact.ts';
import { renderMarkdown } from '../../report/markdown.ts';
import { listReleases } from '../../state/history.ts';
import { readJournal } from '../../state/journal.ts';
import { defineCommand } from '../define-command.ts';
import { loadProjectConfig } from '../project.ts';

export const reportCommand = defineCommand({
  name: 'report',
  summary: "a release's Markdown report from its journal: phases, checks, traffic steps, verdicts, rollback",
  usage: 'report [RELEASE] [--env NAME] [--json]',
  description: `Without RELEASE, the newest release. RELEASE may be a unique prefix. Redirect it to a file for a
pull request, an incident ticket or a post-mortem draft: shipshape report > release.md
With --json, the release's journal itself (NDJSON, one event per line).`,
  positionals: { max: 1 },
  async handler({ positionals, global, io }) {
    const config = await loadProjectConfig(global);
    const releases = listReleases(config.projectDir, { env: config.env, worker: config.worker.name }).filter(
      (r) => !r.dryRun,
    );
    const wanted = positionals[0];
    const matches = wanted
      ? releases.filter((r) => r.id === wanted || r.id.startsWith(wanted))
      : releases.slice(-1);
    if (matches.length !== 1) {
      throw new ShipshapeError('RELEASE_UNKNOWN', {
        release: wanted ?? null,
        available: releases
          .slice(-10)
          .reverse()
          .map((r) => `${r.id} (${r.outcome ?? 'running'})`),
      });
    }
    const events = readJournal(config.projectDir, matches[0].id);
    // Journals are redacted as written; redacting again here also hides secrets added since.
    const secrets = projectSecrets(config);
    if (global.json) {
      const redactor = createRedactor(io.env, secrets);
      for (const event of events) io.stdout.write(`${JSON.stringify(redactor.value(event))}\n`);
      return 0;
    }
    io.stdout.write(renderMarkdown(events, { bands: config.score, env: io.env, secrets }));
    return 0;
  },
});
