import AxeBuilder from '@axe-core/playwright';
import { expect, Page, test, TestInfo } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { expectFocused, expectSameDocument, goto, isHydrated, markDocument, ready, signUp, uniqueName } from './helpers';

async function expectAccessible(page: Page, info: TestInfo, what: string) {
  if (!isHydrated(info)) return;
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations, `${what}: ${JSON.stringify(results.violations, null, 2)}`).toEqual([]);
}

/** Runs the operator's command line against the browser-test server's database. */
function vestibule(...args: string[]): string {
  return execFileSync('../target/release/vestibule', args, {
    env: {
      ...process.env,
      DATABASE_URL: 'sqlite://.run/e2e.db',
      VESTIBULE_DATA_DIR: '.run',
      VESTIBULE_LOG: 'warn',
      VESTIBULE_SELLER_NAME: 'Hébergeur Exemple SAS',
      VESTIBULE_SELLER_ADDRESS: '1 rue de la Paix | 75002 Paris',
      VESTIBULE_SELLER_SIREN: '303265045',
      VESTIBULE_SELLER_VAT_NUMBER: 'FR40303265045',
    },
  }).toString();
}

/** The month before this one, `YYYY-MM`. */
function lastMonth(): string {
  const now = new Date();
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

async function fillProfile(page: Page, vat: string) {
  await page.getByLabel('Name on invoices').fill('Ada Lovelace');
  await page.getByLabel('Company').fill('Analytical SAS');
  await page.getByLabel('E-mail for invoices').fill('billing@analytical.example');
  await page.getByLabel('Address', { exact: true }).fill('1 rue de la Paix');
  await page.getByLabel('Postal code').fill('75002');
  await page.getByLabel('City').fill('Paris');
  await page.getByLabel('Country').selectOption('FR');
  await page.getByLabel('VAT number').fill(vat);
}

test('Billing: the profile is checked field by field and kept on refusal, then saved as stored', async ({ page }, info) => {
  await signUp(page, info, uniqueName('bill', info));
  await goto(page, info, '/account/billing');
  await markDocument(page);
  await expect(page.getByTestId('no-billing-profile')).toBeVisible();
  await expect(page.getByTestId('no-methods')).toBeVisible();
  await expect(page.getByTestId('no-invoices')).toBeVisible();
  await expect(page.getByTestId('credit-balance')).toHaveText('€0.00');
  await expectAccessible(page, info, 'empty billing tab');

  await fillProfile(page, 'FR40303265046');
  await page.getByLabel('E-mail for invoices').fill('nope');
  await page.getByRole('button', { name: 'Save the billing profile' }).click();
  await expect(page.locator('#field-vat_number-error')).toContainText('not a valid VAT number');
  await expect(page.locator('#field-email-error')).toBeVisible();
  await expect(page.getByRole('link', { name: /^VAT number: / })).toBeVisible();
  await expect(page.getByLabel('VAT number')).toHaveValue('FR40303265046');
  await expect(page.getByLabel('Company')).toHaveValue('Analytical SAS');
  await expectAccessible(page, info, 'refused billing profile');
  await ready(page, info);

  await page.getByLabel('E-mail for invoices').fill('billing@analytical.example');
  await page.getByLabel('VAT number').fill('fr 40 303 265 045');
  await page.getByRole('button', { name: 'Save the billing profile' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Billing profile saved.' })).toBeVisible();
  await expectFocused(page, info, '#billing-profile-status');
  await expect(page.getByLabel('VAT number')).toHaveValue('FR40303265045');
  await expect(page.getByTestId('no-billing-profile')).toHaveCount(0);
  await expectSameDocument(page, info);
});

test('Billing: an invoiced month shows with its PDF, the credit and the history, in French too', async ({ page }, info) => {
  const name = uniqueName('inv', info);
  await signUp(page, info, name);
  const app = `${name.replace(/[^a-z0-9]/g, '').slice(0, 30)}-web`;
  vestibule('apps', 'create', '--owner', name, '--name', app);
  vestibule('billing', 'credit', '--user', name, '--amount-cents', '5000', '--reason', 'Virement 42');
  vestibule('billing', 'usage', '--app', app, '--month', lastMonth(), '--hours', '720');
  expect(vestibule('billing', 'run', '--month', lastMonth())).toContain('issued');

  await goto(page, info, '/account/billing');
  await expect(page.getByTestId('credit-balance')).toHaveText('€41.36');
  const row = page.getByTestId('invoice-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('€7.20');
  await expect(row).toContainText('€8.64');
  await expect(row).toContainText('Paid');
  const history = page.getByTestId('history-row');
  await expect(history).toHaveCount(2);
  await expect(history.first()).toContainText('-€8.64');
  await expect(history.nth(1)).toContainText('Virement 42');
  await expectAccessible(page, info, 'billing tab with an invoice');

  // The PDF downloads with the session (the link is a plain download, with or without JS).
  const link = row.getByRole('link', { name: /^PDF \d{4}-\d{6}$/ });
  const href = await link.getAttribute('href');
  const pdf = await page.request.get(href!);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

  const saved = await page.request.post('/api/preferences', { form: { lang: 'fr' } });
  expect(saved.ok()).toBe(true);
  await goto(page, info, '/account/billing');
  await expect(page.getByRole('heading', { name: 'Factures' })).toBeVisible();
  await expect(page.getByTestId('invoice-row')).toContainText('Payée');
  await expect(page.getByTestId('credit-balance')).toContainText('41,36');
  await expectAccessible(page, info, 'billing tab in French');

  await goto(page, info, '/account/timeline');
  await expect(page.getByText('Facture payée', { exact: false })).toBeVisible();
});

test('Billing: lists page through the URL and focus goes to the list shown', async ({ page }, info) => {
  const name = uniqueName('page', info);
  await signUp(page, info, name);
  for (let i = 1; i <= 12; i += 1) {
    vestibule('billing', 'credit', '--user', name, '--amount-cents', String(100 * i), '--reason', `Transfer ${i}`);
  }
  await goto(page, info, '/account/billing');
  await markDocument(page);
  await expect(page.getByTestId('history-row')).toHaveCount(10);
  await expect(page.getByTestId('history-row').first()).toContainText('Transfer 12');
  const pager = page.getByRole('navigation', { name: 'Billing history' });
  await expect(pager).toContainText('Page 1 of 2');
  await ready(page, info);
  await pager.getByRole('link', { name: 'Older' }).click();
  await expect(page).toHaveURL(/history=2/);
  await expect(page.getByTestId('history-row')).toHaveCount(2);
  await expect(page.getByTestId('history-row').first()).toContainText('Transfer 2');
  await expectFocused(page, info, '#history-heading');
  await expectSameDocument(page, info);
});

test('Billing: a card is typed in Stripe’s own element, a declined one is said clearly, then it pays for credit', async ({ page }, info) => {
  test.skip(!isHydrated(info), 'card entry runs Stripe.js: the no-JS project checks the message instead');
  await signUp(page, info, uniqueName('card', info));
  await goto(page, info, '/account/billing');
  await page.getByRole('link', { name: 'Add a card' }).click();
  await expect(page).toHaveURL(/\/account\/billing\/card$/);
  await ready(page, info);
  const element = page.locator('#card-element');
  await expect(element.locator('input')).toHaveCount(5);
  await expectFocused(page, info, '#card-heading');

  const typeCard = async (number: string) => {
    await element.getByPlaceholder('number').fill(number);
    await element.getByPlaceholder('exp_month').fill('12');
    await element.getByPlaceholder('exp_year').fill('30');
    await element.getByPlaceholder('cvc').fill('123');
    await element.getByPlaceholder('postal_code').fill('75002');
  };
  await typeCard('4000000000000002');
  await page.getByRole('button', { name: 'Save the card' }).click();
  // The page comes again, saying why, with a fresh setup for another card.
  await expect(page).toHaveURL(/\/account\/billing\/card\?refused=declined$/);
  await expect(page.locator('#card-problems .error-summary')).toContainText('declined');
  await ready(page, info);
  await expect(element.locator('input')).toHaveCount(5);
  await typeCard('4242424242424242');
  await page.getByRole('button', { name: 'Save the card' }).click();
  await expect(page).toHaveURL(/\/account\/billing\?added=card/);
  await ready(page, info);
  const methods = page.getByTestId('payment-method');
  await expect(methods).toHaveCount(1);
  await expect(methods).toContainText('Visa •••• 4242');
  await expect(methods).toContainText('Default');
  await expect(page.locator('#methods-status')).toContainText('Card added.');
  await expectAccessible(page, info, 'billing tab with a card');

  await page.getByLabel('Amount (€)').fill('12,50');
  await page.getByRole('button', { name: 'Buy credit' }).click();
  await expect(page.locator('#credit-status')).toContainText('Credit added.');
  await expect(page.getByTestId('credit-balance')).toHaveText('€12.50');
  await expectFocused(page, info, '#credit-status');
});

test('Billing: a SEPA mandate is signed from an IBAN, with or without JavaScript, and its PDF downloads', async ({ page }, info) => {
  await signUp(page, info, uniqueName('sepa', info));
  await goto(page, info, '/account/billing');
  if (!isHydrated(info)) await expect(page.getByTestId('card-needs-js')).toBeVisible();
  await page.getByLabel('IBAN').fill('FR14 2004 1010 0505 0001 3M02 607');
  await page.getByLabel('Account holder').fill('Ada Lovelace');
  await page.getByRole('button', { name: 'Sign the mandate' }).click();
  await expect(page.locator('#field-iban-error')).toContainText('IBAN');
  await expect(page.locator('#field-accept_mandate-error')).toBeVisible();
  await expect(page.getByLabel('Account holder')).toHaveValue('Ada Lovelace');
  await ready(page, info);
  await page.getByLabel('IBAN').fill('FR14 2004 1010 0505 0001 3M02 606');
  await page.getByRole('checkbox', { name: /I authorise/ }).check();
  await page.getByRole('button', { name: 'Sign the mandate' }).click();
  await expect(page.locator('#sepa-status')).toContainText('SEPA mandate signed.');
  const method = page.getByTestId('payment-method');
  await expect(method).toContainText('SEPA direct debit •••• 2606');
  const href = await method.getByRole('link', { name: /mandate/i }).getAttribute('href');
  const pdf = await page.request.get(href!);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  await expectAccessible(page, info, 'billing tab with a mandate');

  // Credit from the mandate. After the answer the form has a new key; the
  // same form sent again (a double click, a resent POST) buys nothing more and says so.
  const purchaseKey = page.locator('input[name="purchase_key"]');
  const key = await purchaseKey.inputValue();
  expect(key).toMatch(/^[0-9a-f-]{36}$/);
  await page.getByLabel('Amount (€)').fill('20');
  await page.getByRole('button', { name: 'Buy credit' }).click();
  await expect(page.locator('#credit-status')).toContainText(/Payment under way|Credit added/);
  await expectFocused(page, info, '#credit-status');
  await ready(page, info);
  await expect(purchaseKey).not.toHaveValue(key);
  const resent = await page.request.post('/api/account/billing/credit', {
    form: { amount: '20', purchase_key: key },
    headers: { Accept: 'text/html', Referer: page.url() },
  });
  expect(resent.status()).toBe(200);
  expect(await resent.text()).toContain('This purchase was already sent from this form');
});
