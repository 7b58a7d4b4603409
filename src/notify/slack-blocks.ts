/** A Slack message: `text` is the notification's and old clients' fallback, `blocks` what Slack shows. */
export interface SlackPayload {
  text: string;
  blocks: SlackBlock[];
}

type Mrkdwn = { type: 'mrkdwn'; text: string };
export type SlackBlock =
  | { type: 'section'; text: Mrkdwn; fields?: Mrkdwn[] }
  | { type: 'context'; elements: Mrkdwn[] };

/** Slack allows ten fields of 2000 characters; a field stays readable well below that. */
const MAX_FIELDS = 10;
const MAX_VALUE = 300;

/**
 * A Block Kit message: a title section, a section of `label: value` fields (empty values left out) and a context
 * line pointing to the report: the CI run's artifacts when there is one, else the command that prints it.
 * @example slackPayload('✅ app: release r-1 promoted', [['Score', '96/100']], { url: null, release: 'r-1' })
 */
export function slackPayload(
  title: string,
  fields: Array<[string, string | null | undefined]>,
  link: { url: string | null; release: string | null },
): SlackPayload {
  const shown = fields
    .filter((f): f is [string, string] => typeof f[1] === 'string' && f[1] !== '')
    .slice(0, MAX_FIELDS)
    .map(([label, value]) => mrkdwn(`*${escapeMrkdwn(label)}*\n${escapeMrkdwn(clip(value))}`));
  const blocks: SlackBlock[] = [{ type: 'section', text: mrkdwn(`*${escapeMrkdwn(title)}*`) }];
  if (shown.length > 0) blocks.push({ type: 'section', text: mrkdwn(' '), fields: shown });
  const report = link.url
    ? `<${link.url}|Report and journal>`
    : link.release
      ? `Report: \`shipshape report ${link.release}\``
      : null;
  if (report) blocks.push({ type: 'context', elements: [mrkdwn(report)] });
  return { text: title, blocks };
}

function mrkdwn(text: string): Mrkdwn {
  return { type: 'mrkdwn', text };
}

/** Slack's three control characters in mrkdwn. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function clip(text: string): string {
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}
