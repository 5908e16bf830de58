import { expect, APIRequestContext, Page } from '@playwright/test';

/** The backend's base URL: PLAYWRIGHT_BACKEND_URL, else what the app publishes in its config. */
export async function backendUrl(page: Page): Promise<string> {
  // In the test run the backend serves the app itself, so the app's config names it.
  return (
    process.env.PLAYWRIGHT_BACKEND_URL ??
    (await page.evaluate(() => {
      const scripts = Array.from(
        document.querySelectorAll('script[type="backstage.io/config"]'),
      );
      for (const s of scripts) {
        const configs = JSON.parse(s.textContent ?? '[]');
        for (const c of configs) {
          const url = c?.data?.backend?.baseUrl;
          if (url) return url as string;
        }
      }
      return 'http://localhost:7007';
    }))
  );
}

/** A guest Backstage token for API calls next to the browser session. */
export async function guestToken(
  request: APIRequestContext,
  backend: string,
): Promise<string> {
  const res = await request.post(`${backend}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  expect(res.ok(), await res.text()).toBe(true);
  return (await res.json()).backstageIdentity.token;
}
