import { createHash } from 'node:crypto';

/** What a self-contained page holds: everything inline, nothing fetched. */
export interface PageParts {
  title: string;
  /** Marked-up body (already escaped). */
  body: string;
  styles: string[];
  scripts: string[];
  /** JSON data blocks by element id, read by the scripts with JSON.parse (never executed). */
  data?: Record<string, unknown>;
  /** Lets the page's scripts fetch from the server that served it (a live page); a file page has none. */
  connectSelf?: boolean;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * A page with a Content-Security-Policy that admits only its own inline scripts and styles, by hash, and forbids
 * every load (scripts, styles, images, fonts, fetches, frames, forms) from anywhere else: opened from a file or
 * an attachment it makes no request at all.
 */
export function selfContainedPage(p: PageParts): string {
  const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
  const csp = [
    "default-src 'none'",
    `script-src ${p.scripts.map(hash).join(' ') || "'none'"}`,
    `style-src ${p.styles.map(hash).join(' ') || "'none'"}`,
    ...(p.connectSelf ? ["connect-src 'self'"] : []),
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const data = Object.entries(p.data ?? {}).map(
    ([id, value]) => `<script type="application/json" id="${escapeHtml(id)}">${scriptJson(value)}</script>`,
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(p.title)}</title>
${p.styles.map((s) => `<style>${s}</style>`).join('\n')}
</head>
<body>
${p.body}
${data.join('\n')}
${p.scripts.map((s) => `<script>${s}</script>`).join('\n')}
</body>
</html>
`;
}

/** JSON that cannot end its script element or open a comment inside it. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
