import { expect, APIRequestContext, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';

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

/**
 * A seeded user's Backstage token from the embedded default's local sign-in provider (catalog/org.yaml:
 * `guest` of platform-team, the platform admin; `alice` of team-a; `bob` of team-b).
 */
export async function userToken(
  request: APIRequestContext,
  backend: string,
  user: string,
): Promise<string> {
  const res = await request.post(
    `${backend}/api/auth/local/refresh?user=${encodeURIComponent(user)}`,
    { headers: { 'X-Requested-With': 'XMLHttpRequest' } },
  );
  expect(res.ok(), await res.text()).toBe(true);
  return (await res.json()).backstageIdentity.token;
}

/** Signs in on the portal's sign-in page by picking a seeded user. */
export async function signIn(page: Page, user: string, timeout = 60_000) {
  const button = page.getByRole('button', { name: `Sign in as ${user}` });
  await expect(button).toBeVisible({ timeout });
  await button.click();
}

/**
 * Every installable component of the catalog data (`GET /api/catalyst/v1/catalog-data`): closed under its
 * dependencies by construction, without what has no published Blueprint or needs something that has none (the
 * server refuses those).
 */
export function installableComponents(data: {
  components: {
    components: Array<{
      id: string;
      blueprint: string | null;
      dependsOn: string[];
    }>;
  };
}): string[] {
  const all = data.components.components;
  const byId = new Map(all.map(c => [c.id, c]));
  const installable = (id: string): boolean =>
    Boolean(byId.get(id)?.blueprint) &&
    byId.get(id)!.dependsOn.every(installable);
  return all.map(c => c.id).filter(installable);
}

/**
 * The provision-sovereign parameters exactly as the wizard submits them (secrets travel apart): the template's
 * example values (`templates/provision-sovereign/example-values.json`) with a pool domain and what the caller sets.
 */
export function provisionValues(
  subdomain: string,
  values: Record<string, unknown>,
): Record<string, unknown> {
  const example = JSON.parse(
    readFileSync(
      path.resolve(
        __dirname,
        '../../../../templates/provision-sovereign/example-values.json',
      ),
      'utf8',
    ),
  );
  return {
    ...example,
    domain: { mode: 'pool', poolDomain: 'omani.works', subdomain },
    ...values,
  };
}
