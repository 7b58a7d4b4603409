import chromium from '@sparticuz/chromium';
import { type Browser, type BrowserContext, chromium as playwright } from 'playwright-core';

/**
 * Headless Chromium from @sparticuz/chromium: the browser ships inside that npm package (inflated into the
 * temp folder on first use), so no test ever downloads one.
 */
export async function launchChromium(): Promise<Browser> {
  return playwright.launch({
    executablePath: await chromium.executablePath(),
    args: chromium.args,
    headless: true,
  });
}

/**
 * A context with the network cut: `file:` URLs load, every other request is aborted. `attempted` records every
 * URL the page asked for, so a test can prove nothing tried to go remote.
 */
export async function offlineContext(
  browser: Browser,
): Promise<{ context: BrowserContext; attempted: string[] }> {
  // A fixed locale: the inflated Chromium otherwise takes the host's POSIX locale, which Intl refuses.
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1200, height: 900 } });
  await context.setOffline(true);
  const attempted: string[] = [];
  await context.route('**', (route) => {
    const url = route.request().url();
    attempted.push(url);
    return url.startsWith('file:') ? route.continue() : route.abort('blockedbyclient');
  });
  return { context, attempted };
}
