import AxeBuilder from '@axe-core/playwright';
import { expect, Page, test, TestInfo } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import {
  expectFocused,
  expectSameDocument,
  goto,
  isHydrated,
  markDocument,
  publishDocument,
  ready,
  signUp,
  uniqueName,
} from './helpers';

async function expectAccessible(page: Page, info: TestInfo, what: string) {
  if (!isHydrated(info)) return;
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations, `${what}: ${JSON.stringify(results.violations, null, 2)}`).toEqual([]);
}

/** Moves the user's last review `days` into the past, in the browser-test server's database. */
function reviewedDaysAgo(username: string, days: number) {
  const script = [
    'import sqlite3, sys, time',
    "db = sqlite3.connect('.run/e2e.db')",
    "db.execute('UPDATE hds_contacts SET reviewed_at = ? WHERE user_id = (SELECT id FROM users WHERE username = ?)',",
    '           (int(time.time()) - int(sys.argv[2]) * 86400, sys.argv[1]))',
    'db.commit()',
  ].join('\n');
  execFileSync('python3', ['-c', script, username, String(days)]);
}

async function fillContact(page: Page, phone: string) {
  await page.getByLabel('Organisation type').selectOption('company');
  await page.getByLabel('Contact’s full name').fill('Dr Jeanne Martin');
  await page.getByLabel('E-mail address').fill('jeanne@clinique.example');
  await page.getByLabel('Phone number').fill(phone);
  await page.getByLabel('Company').fill('Clinique du Parc');
  await page.getByLabel('Address', { exact: true }).fill('1 rue de la Paix');
  await page.getByLabel('Postal code').fill('75002');
  await page.getByLabel('City').fill('Paris');
  await page.getByLabel('Country').selectOption('FR');
}

test('Health data: the point of contact is checked field by field, kept on refusal, saved in international form, then confirmed', async ({
  page,
}, info) => {
  await signUp(page, info, uniqueName('hds', info));
  await goto(page, info, '/account/hds');
  await markDocument(page);
  await expect(page.getByRole('heading', { name: 'Healthcare point of contact' })).toBeVisible();
  await expect(page.getByTestId('hds-no-contact')).toBeVisible();
  await expect(page.locator('#hds-review')).toHaveCount(0);
  await expectAccessible(page, info, 'empty HDS tab');

  // A wrong phone number and no country: each its own message, nothing typed is lost.
  await fillContact(page, '12');
  await page.getByLabel('Country').selectOption('');
  await page.getByLabel('Contact’s full name').fill('');
  await page.getByRole('button', { name: 'Save the point of contact' }).click();
  await expect(page.locator('#field-phone_number-error')).toContainText('Add the country code');
  await expect(page.locator('#field-address_country-error')).toContainText('This field is required.');
  await expect(page.getByRole('link', { name: /^Country: / })).toBeVisible();
  // The summary names each field as its label does.
  await expect(page.getByRole('link', { name: 'Contact’s full name: This field is required.' })).toBeVisible();
  await expect(page.getByLabel('Company')).toHaveValue('Clinique du Parc');
  await expect(page.getByLabel('Organisation type')).toHaveValue('company');
  await expectAccessible(page, info, 'refused contact');
  await ready(page, info);

  await page.getByLabel('Country').selectOption('FR');
  await page.getByLabel('Contact’s full name').fill('Dr Jeanne Martin');
  await page.getByLabel('Phone number').fill('01 23 45 67 89');
  await page.getByRole('button', { name: 'Save the point of contact' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Point of contact saved.' })).toBeVisible();
  await expectFocused(page, info, '#hds-contact-status');
  await expect(page.getByLabel('Phone number')).toHaveValue('+33123456789');
  await expect(page.getByTestId('hds-no-contact')).toHaveCount(0);
  await expect(page.locator('#hds-review')).toContainText('Up to date.');
  await ready(page, info);

  await page.getByRole('button', { name: 'Still accurate' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'confirmed for another 12 months' })).toBeVisible();
  await expectFocused(page, info, '#hds-review-status');
  await expectSameDocument(page, info);
  await expectAccessible(page, info, 'HDS tab with a contact');

  // Both events read as sentences on the Timeline.
  await goto(page, info, '/account/timeline');
  await expect(page.getByText('Healthcare point of contact changed (', { exact: false })).toBeVisible();
  await expect(page.getByText('Healthcare point of contact confirmed as still accurate')).toBeVisible();
});

test('a review falls due after 12 months: a banner on every account page until the contact is confirmed', async ({ page }, info) => {
  const name = uniqueName('hdsdue', info);
  await signUp(page, info, name);
  await goto(page, info, '/account/hds');
  await fillContact(page, '+33 1 23 45 67 89');
  await page.getByRole('button', { name: 'Save the point of contact' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Point of contact saved.' })).toBeVisible();

  reviewedDaysAgo(name, 400);
  await goto(page, info, '/account/keys');
  await markDocument(page);
  const banner = page.getByTestId('hds-banner');
  await expect(banner).toContainText('due for its yearly review');
  await expectAccessible(page, info, 'page with the review banner');
  await banner.getByRole('link', { name: 'Review it' }).click();
  await expect(page).toHaveURL(/\/account\/hds#hds-review$/);
  await expect(page.getByTestId('hds-review-due')).toBeVisible();
  await ready(page, info);
  await page.getByRole('button', { name: 'Still accurate' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'confirmed for another 12 months' })).toBeVisible();
  // With JavaScript the banner goes at once, in the same document; without, with the new page.
  await expect(banner).toHaveCount(0);
  await expect(page.getByTestId('hds-review-due')).toHaveCount(0);
  await expectSameDocument(page, info);
  await goto(page, info, '/account');
  await expect(page.getByTestId('hds-banner')).toHaveCount(0);
});

test('HDS contract documents are accepted on the Health data tab, in French too', async ({ page }, info) => {
  publishDocument('hds', `hds-${Date.now()}-${info.project.name}`, true);
  await signUp(page, info, uniqueName('hdsdoc', info));
  // Not a document every account must accept: no banner.
  await expect(page.locator('aside.banner')).toHaveCount(0);
  const saved = await page.request.post('/api/preferences', { form: { lang: 'fr' } });
  expect(saved.ok()).toBe(true);
  await goto(page, info, '/account/hds');
  const documents = page.locator('#hds-documents');
  await expect(documents.getByRole('heading', { name: 'Documents du contrat HDS' })).toBeVisible();
  await expect(documents).toContainText('Requis pour les données de santé');
  await documents.getByRole('button', { name: /^Accepter/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Acceptée. Merci.' })).toBeVisible();
  await expect(documents).toContainText('Acceptée le');
  await expectFocused(page, info, '#hds-documents-status');
  await expectAccessible(page, info, 'HDS tab in French');
});
