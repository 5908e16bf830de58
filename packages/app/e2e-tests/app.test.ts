import { test, expect } from '@playwright/test';
import { signIn } from './support/portal';

test('a guest signs in and sees the catalog', async ({ page }) => {
  await page.goto('/');

  // The sign-in page offers the seeded users of catalog/org.yaml.
  for (const user of ['guest', 'alice', 'bob']) {
    await expect(
      page.getByRole('button', { name: `Sign in as ${user}` }),
    ).toBeVisible();
  }
  await signIn(page, 'guest');

  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  const catalogLink = nav.getByRole('link', { name: 'Catalog', exact: true });
  await expect(catalogLink).toBeVisible();
  await catalogLink.click();
  await expect(
    page.getByRole('heading', { name: /Catalyst Catalog/ }),
  ).toBeVisible();

  // The Blueprint catalog is published by the backend on start.
  await page.goto('/catalog?filters%5Bkind%5D=blueprint');
  await expect(
    page.getByRole('link', { name: 'Cilium' }).first(),
  ).toBeVisible();
});
