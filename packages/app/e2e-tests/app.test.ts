import { test, expect } from '@playwright/test';

test('a guest signs in and sees the catalog', async ({ page }) => {
  await page.goto('/');

  const enterButton = page.getByRole('button', { name: 'Enter' });
  await expect(enterButton).toBeVisible();
  await enterButton.click();

  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(
    nav.getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
  // The catalog index lists the portal's own entities (the org data is always registered).
  await expect(
    page.getByRole('heading', { name: /Catalyst Catalog/ }),
  ).toBeVisible();
  await page.getByText('Kind', { exact: true }).first().waitFor();
});
