import { launchChromium } from './browser.ts';

/**
 * People loading a page in a real browser (Chromium carried in @sparticuz/chromium), `perSecond` page loads in
 * all, each waiting until the page says it has loaded (its title "loaded", set by the page's own script): the
 * requests the page's script makes are whatever the served version's page asks for. Runs until `stop()`.
 */
export async function browserUsers(base: string, perSecond: number, tabs = 2) {
  const browser = await launchChromium();
  let running = true;
  let loads = 0;
  const tab = async (n: number) => {
    const page = await browser.newPage();
    const started = Date.now();
    for (let i = 0; running; i++) {
      const due = started + ((i * tabs + n) * 1000) / perSecond;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      try {
        await page.goto(base, { waitUntil: 'load', timeout: 10_000 });
        await page.waitForFunction("document.title === 'loaded'", null, { timeout: 10_000 });
        loads++;
      } catch {
        // A page cut short by a switch of versions is loaded again next time.
      }
    }
    await page.close();
  };
  const tabsDone = Promise.all(Array.from({ length: tabs }, (_, n) => tab(n)));
  return {
    async stop(): Promise<number> {
      running = false;
      await tabsDone;
      await browser.close();
      return loads;
    },
  };
}
