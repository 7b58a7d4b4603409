import { resolve } from 'node:path';
import { projectSecrets } from '../../config/dev-vars.ts';
import { ShipshapeError } from '../../errors/shipshape-error.ts';
import { createRedactor } from '../../redact/redact.ts';
import { renderHtml } from '../../report/html.ts';
import { renderMarkdown } from '../../report/markdown.ts';
import { POSTMORTEM_OUTCOMES, renderPostmortem } from '../../report/postmortem.ts';
import { writeFileAtomic } from '../../state/atomic-write.ts';
import { listReleases } from '../../state/history.ts';
import { readJournal } from '../../state/journal.ts';
import { defineCommand } from '../define-command.ts';
import { loadProjectConfig } from '../project.ts';

const FORMATS = ['markdown', 'html', 'postmortem'] as const;

export const reportCommand = defineCommand({
  name: 'report',
  summary:
    "a release's report from its journal: Markdown (default), a self-contained HTML page with charts, or a post-mortem draft",
  usage: 'report [RELEASE] [--markdown | --html | --postmortem] [--out FILE] [--env NAME] [--json]',
  description: `Without RELEASE, the newest release. RELEASE may be a unique prefix.
  --markdown     (default) phases, checks, traffic steps, verdicts, rollback: for a terminal or a pull request
  --html         one HTML file that opens with no network: charts of error rate and p50/p95 per version over
                 time with the traffic steps and verdicts marked (uPlot, inlined), checks with their evidence,
                 migrations, verdicts, the rollback, score and outcome
  --postmortem   a Markdown post-mortem draft of a rolled-back, aborted or failed release: timeline, detection
                 (which signal, how long after the new version first took traffic), impact, what rolled back;
                 root cause and actions left for you to write
  --out FILE     write the report to FILE instead of stdout
With --json, the release's journal itself (NDJSON, one event per line).
Examples: shipshape report --html --out release.html
          shipshape report r-20261122 --postmortem > postmortem.md`,
  options: {
    markdown: { type: 'boolean' },
    html: { type: 'boolean' },
    postmortem: { type: 'boolean' },
    out: { type: 'string' },
  },
  positionals: { max: 1 },
  async handler({ args, positionals, global, io }) {
    const chosen = FORMATS.filter((f) => args[f]);
    if (chosen.length > 1 || (global.json && chosen.length > 0))
      throw new ShipshapeError('USAGE_BAD_ARGS', {
        command: 'report',
        message: `choose one of --markdown, --html, --postmortem and --json (got ${[...chosen.map((f) => `--${f}`), ...(global.json ? ['--json'] : [])].join(', ')}).`,
        usage: reportCommand.usage,
      });
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
    const out = (text: string) => {
      if (typeof args.out !== 'string') return void io.stdout.write(text);
      const path = resolve(io.cwd, args.out);
      writeFileAtomic(path, text);
      io.stdout.write(`${path}\n`);
    };
    if (global.json) {
      const redactor = createRedactor(io.env, secrets);
      out(events.map((event) => `${JSON.stringify(redactor.value(event))}\n`).join(''));
      return 0;
    }
    const opts = { bands: config.score, env: io.env, secrets };
    if (args.html) out(renderHtml(events, opts));
    else if (args.postmortem) {
      try {
        out(renderPostmortem(events, opts));
      } catch (err) {
        if (!(err instanceof ShipshapeError) || err.code !== 'POSTMORTEM_NOTHING_TO_WRITE_UP') throw err;
        const candidates = releases
          .filter((r) => r.outcome && POSTMORTEM_OUTCOMES.includes(r.outcome))
          .slice(-5)
          .reverse()
          .map((r) => `${r.id} (${r.outcome?.replace('_', ' ')})`);
        throw new ShipshapeError('POSTMORTEM_NOTHING_TO_WRITE_UP', { ...err.details, candidates });
      }
    } else out(renderMarkdown(events, opts));
    return 0;
  },
});
