import type { Page, TestInfo } from '@playwright/test';
import path from 'node:path';

/**
 * Saves what a person sees as `test-results/screens/<name>.png` (git-ignored) and attaches it to the report, so
 * every page a browser test walks can be looked at after the run.
 */
export async function screen(page: Page, testInfo: TestInfo, name: string) {
  const target = path.join(
    path.dirname(testInfo.outputDir),
    'screens',
    `${name}.png`,
  );
  await page.screenshot({ path: target, fullPage: false });
  await testInfo.attach(name, { path: target, contentType: 'image/png' });
}
