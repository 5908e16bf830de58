import { test, expect, type Page } from '@playwright/test';
import { signIn } from './support/portal';
import { screen } from './support/screens';

/**
 * What a person reads on the provision wizard while they get things wrong: each message once, in plain words,
 * gone once it is no longer true; no JSON-schema text, no browser pop-up; topology facts that match the region
 * cards; the CORTEX suite announced with its cost before it is added. A screenshot of every page lands in
 * test-results/screens/.
 */

test.use({ viewport: { width: 1440, height: 900 } });

const next = (page: Page) => page.getByRole('button', { name: 'Next' }).click();

/** The elements showing `text` that a person can see. */
const seen = (page: Page, text: string | RegExp) =>
  page.getByText(text).filter({ visible: true });

/** No JSON-schema wording anywhere on the page, and no input the browser itself would flag with a pop-up. */
async function expectOnlyOurMessages(page: Page) {
  await expect(seen(page, /must have required property/)).toHaveCount(0);
  await expect(
    page.getByText(/must be (number|string|object|array)/),
  ).toHaveCount(0);
  expect(
    await page.evaluate(
      () =>
        Array.from(document.querySelectorAll('input, textarea')).filter(
          el => !(el as HTMLInputElement).checkValidity(),
        ).length,
    ),
  ).toBe(0);
}

test('the wizard says each problem once, in words, and only while it is true', async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000);
  const dialogs: string[] = [];
  page.on('dialog', d => {
    dialogs.push(d.message());
    d.dismiss().catch(() => undefined);
  });

  await page.goto('/');
  await signIn(page, 'guest');
  await expect(
    page.getByRole('navigation', { name: 'sidebar nav' }),
  ).toBeAttached({ timeout: 60_000 });
  await page.goto('/create/templates/default/provision-sovereign');

  // 1 Organisation: Next with an empty name says so once, next to the field; no native pop-up.
  const orgName = page.getByLabel('Organisation name');
  await expect(orgName).toBeVisible({ timeout: 60_000 });
  await next(page);
  await expect(seen(page, 'Enter your organisation name')).toHaveCount(1);
  await expectOnlyOurMessages(page);
  await screen(page, testInfo, 'messages-1-organisation-empty');
  await orgName.fill('Acme Sovereign Bank');
  await expect(seen(page, 'Enter your organisation name')).toHaveCount(0);
  await next(page);

  // 2 Topology: no "Choose a topology" before a choice, once after Next without one, none after choosing.
  const dual = page.getByRole('radio', { name: 'DUAL' });
  await expect(dual).toBeVisible();
  await expect(seen(page, 'Choose a topology')).toHaveCount(0);
  await next(page);
  await expect(seen(page, 'Choose a topology')).toHaveCount(1);
  await expectOnlyOurMessages(page);
  // The facts on each card come from the regions it provisions, one cluster per region.
  await expect(page.getByTestId('topology-facts-dual')).toHaveText(
    '2 regions · 2 clusters (one per region)',
  );
  await expect(page.getByTestId('topology-facts-triangle')).toHaveText(
    '3 regions · 3 clusters (one per region)',
  );
  await expect(page.getByTestId('topology-facts-solo')).toHaveText(
    '1 region · 1 cluster',
  );
  await expect(seen(page, /\b1 clusters\b|\b1 regions\b/)).toHaveCount(0);
  await screen(page, testInfo, 'messages-2-topology-unchosen');
  await dual.click();
  await expect(dual).toHaveAttribute('aria-checked', 'true');
  await expect(seen(page, 'Choose a topology')).toHaveCount(0);
  await screen(page, testInfo, 'messages-2-topology-chosen');
  await next(page);

  // 3 Provider: as many cards as the topology card claimed; −3 workers is refused with the range, not clamped.
  await expect(page.getByTestId('region-facts')).toContainText(
    '2 regions · 2 clusters (one per region)',
  );
  const cards = page.getByRole('group', { name: /^Region \d/ });
  await expect(cards).toHaveCount(2);
  const workers = cards.first().getByLabel('Worker nodes');
  await workers.fill('-3');
  await expect(workers).toHaveValue('-3');
  const refusal =
    '-3 worker nodes is below the minimum of 0; worker nodes go from 0 to 50';
  await expect(seen(page, refusal)).toHaveCount(1);
  await expectOnlyOurMessages(page);
  await next(page);
  // Still on the Provider page, the refusal still once.
  await expect(seen(page, refusal)).toHaveCount(1);
  await expect(page.getByLabel('Hetzner Cloud API token')).toHaveCount(0);
  await screen(page, testInfo, 'messages-3-provider-refused');
  await workers.fill('2');
  await expect(seen(page, refusal)).toHaveCount(0);
  await expect(seen(page, /worker nodes go from/)).toHaveCount(0);
  await next(page);

  // 4 Credentials: Next without a key says so once, in words; generating the key makes it go away.
  await expect(page.getByLabel('Hetzner Cloud API token')).toBeVisible();
  await next(page);
  const noKey = 'Generate a key pair or paste an OpenSSH public key';
  await expect(seen(page, noKey)).toHaveCount(1);
  await expect(seen(page, /Validate the .* credential/)).toHaveCount(1);
  await expectOnlyOurMessages(page);
  await screen(page, testInfo, 'messages-4-credentials-empty');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Generate SSH key pair' }).click();
  await download;
  await expect(page.getByText(/Fingerprint SHA256:/)).toBeVisible();
  await expect(seen(page, noKey)).toHaveCount(0);
  await expect(seen(page, /SSH public key/)).toHaveCount(1); // the heading only
  await screen(page, testInfo, 'messages-4-credentials-key');

  expect(dialogs).toEqual([]);
});

test('a CORTEX member says before it is added that it brings the suite, and what that costs', async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000);
  await page.goto('/');
  await signIn(page, 'guest');
  await expect(
    page.getByRole('navigation', { name: 'sidebar nav' }),
  ).toBeAttached({ timeout: 60_000 });
  await page.goto('/create/templates/default/provision-sovereign');
  await page.getByLabel('Organisation name').fill('Acme Sovereign Bank');
  await next(page);
  await page.getByRole('radio', { name: 'SOLO' }).click();
  await next(page);
  await expect(page.getByRole('group', { name: /^Region 1/ })).toBeVisible();
  await next(page);
  // The Components page can be reached through the stepper only page by page; fill what Credentials needs.
  await page
    .getByLabel('Hetzner Cloud API token')
    .fill(process.env.CATALYST_E2E_HETZNER_TOKEN ?? 'e2e'.padEnd(64, 'x'));
  await page
    .getByRole('button', { name: 'Validate Hetzner Cloud token' })
    .click();
  await expect(page.getByText('✓ Valid')).toBeVisible();
  await page.getByLabel('Hetzner project ID').fill('proj_e2e');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Generate SSH key pair' }).click();
  await download;
  await next(page);

  const note = page.getByTestId('suite-note-vllm');
  await expect(note).toContainText(
    /^Brings the CORTEX suite: \d+ components, \+€0\.00\/month/,
  );
  await expect(note).toContainText('the suite runs on the control planes');
  await expect(note).toContainText('Not installable yet, so left out');
  const bge = page.getByTestId('component-card-bge');
  // The badge names the real reason once the suite came with vLLM.
  const badge = bge.getByText('CORTEX suite', { exact: true });
  await expect(badge).toHaveCount(0);
  await page.getByRole('checkbox', { name: 'Add vLLM' }).click();
  await expect(badge).toBeVisible();
  await expect(seen(page, /added for/i)).toHaveCount(0);
  await screen(page, testInfo, 'messages-5-components-cortex');
  await next(page);

  // 6 Domain: an invalid label previews no console address; a reserved name is said once.
  const subdomain = page.getByRole('textbox', { name: 'Subdomain' });
  await expect(subdomain).toBeVisible();
  await subdomain.fill('-bad');
  await expect(seen(page, /console\./)).toHaveCount(0);
  await subdomain.fill('vault');
  const reserved = '“vault” is reserved by the platform; choose another name';
  await expect(seen(page, reserved)).toHaveCount(1);
  await next(page);
  await expect(seen(page, reserved)).toHaveCount(1);
  await expect(seen(page, /console\./)).toHaveCount(0);
  await expectOnlyOurMessages(page);
  await screen(page, testInfo, 'messages-6-domain-reserved');
  const label = `msg${Date.now().toString(36)}`;
  await subdomain.fill(label);
  await expect(page.getByText(/is available$/)).toBeVisible({
    timeout: 15_000,
  });
  await expect(seen(page, reserved)).toHaveCount(0);
  await expect(page.getByText(`Console: console.${label}.`)).toBeVisible();
  await screen(page, testInfo, 'messages-6-domain-available');
});
