import { expect, Page, test, TestInfo } from '@playwright/test';
import {
  expectFocused,
  expectSameDocument,
  goto,
  isHydrated,
  markDocument,
  openMenu,
  PASSWORD,
  publishDocument,
  ready,
  signIn,
  signUp,
  uniqueName,
} from './helpers';

/** Submits a form; without JavaScript the browser follows the redirect back to the page. */
async function submit(page: Page, info: TestInfo, button: string) {
  await page.getByRole('button', { name: button, exact: true }).click();
  if (!isHydrated(info)) await page.waitForLoadState('load');
  await ready(page, info);
}

const profile = (page: Page) => page.locator('#profile');

test('each profile field is edited, refused input is kept, and the save confirms what changed', async ({ page }, info) => {
  const name = uniqueName('prof', info);
  await signUp(page, info, name);
  await markDocument(page);

  await page.getByLabel('Full name').fill('x'.repeat(101));
  await page.getByLabel('Location').fill('Lyon');
  await page.getByLabel('Company').fill('Analytical Engines Ltd');
  await page.getByLabel('Profile text').fill('First line\nsecond line');
  await submit(page, info, 'Save profile');

  const summary = profile(page).getByRole('alert');
  await expect(summary).toContainText('There is a problem');
  await expect(page.locator('#field-fullname-error')).toHaveText(/Use at most 100 characters/);
  await expect(page.getByLabel('Full name')).toHaveAttribute('aria-invalid', 'true');
  // Nothing typed was lost.
  await expect(page.getByLabel('Full name')).toHaveValue('x'.repeat(101));
  await expect(page.getByLabel('Location')).toHaveValue('Lyon');
  await expect(page.getByLabel('Profile text')).toHaveValue('First line\nsecond line');

  await page.getByLabel('Full name').fill('  Ada   Lovelace ');
  await submit(page, info, 'Save profile');
  await expect(profile(page).getByRole('status')).toHaveText(
    'Saved. Changed: Full name, Location, Company, Profile text.',
  );
  await expect(summary).toHaveCount(0);
  // The stored (normalised) value is what the field shows now.
  await expect(page.getByLabel('Full name')).toHaveValue('Ada Lovelace');

  // A username taken by someone else, whatever its case, is refused on its field.
  await page.getByLabel('Username', { exact: true }).fill('ADMIN');
  await submit(page, info, 'Save profile');
  await expect(page.locator('#field-username-error')).toHaveText(/reserved/);
  const renamed = `${name}-2`.slice(0, 30);
  await page.getByLabel('Username', { exact: true }).fill(renamed);
  await submit(page, info, 'Save profile');
  await expect(profile(page).getByRole('status')).toHaveText('Saved. Changed: Username.');
  // The session goes on under the new name, and the header says so.
  await openMenu(page);
  await expect(page.locator('.menu-identity')).toContainText(renamed);
  await expectSameDocument(page, info);
  await page.reload();
  await expect(page.getByLabel('Username', { exact: true })).toHaveValue(renamed);
  await expect(page.getByLabel('Location')).toHaveValue('Lyon');
});

test('the newsletter shows its state and the date of the choice', async ({ page }, info) => {
  await signUp(page, info, uniqueName('news', info));
  await markDocument(page);
  const section = page.locator('#newsletter');
  await expect(section.getByTestId('newsletter-state')).toHaveText('You are not subscribed');
  await submit(page, info, 'Subscribe');
  await expect(section.getByTestId('newsletter-state')).toContainText('You are subscribed since');
  await expect(section.locator('time')).toHaveAttribute('datetime', /^\d{4}-\d\d-\d\dT/);
  await expect(section.getByRole('status')).toHaveText('You are now subscribed to the newsletter.');
  await submit(page, info, 'Unsubscribe');
  await expect(section.getByTestId('newsletter-state')).toContainText('You are not subscribed since');
  await expectSameDocument(page, info);
});

test('a newly published document is announced, read and accepted', async ({ page }, info) => {
  await signUp(page, info, uniqueName('docs', info));
  const version = `e2e-${info.project.name}-${Date.now()}`;
  publishDocument('privacy', version, true);
  await goto(page, info, '/account');
  await markDocument(page);
  const banner = page.getByRole('complementary');
  await expect(banner).toContainText('Updated documents need your acceptance: Privacy Policy');

  // Read it first: the link in the list opens the document (client-side with JavaScript).
  const row = page.locator('#documents tr', { hasText: version });
  await row.getByRole('link', { name: 'Privacy Policy' }).click();
  await ready(page, info);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Privacy Policy');
  await expect(page.getByText(`The English text of version ${version}.`)).toBeVisible();
  await page.goBack();
  await ready(page, info);
  await expectSameDocument(page, info);

  await page.getByRole('link', { name: 'Review and accept' }).click();
  await ready(page, info);
  const current = page.locator('#documents tr', { hasText: version });
  await current.getByRole('button', { name: /Accept/ }).click();
  if (!isHydrated(info)) await page.waitForLoadState('load');
  await ready(page, info);
  await expect(page.locator('#documents').getByRole('status')).toHaveText('Accepted. Thank you.');
  // The Accept button went away with its row's state: focus is on the confirmation.
  await expectFocused(page, info, '#documents-status');
  await expect(page.locator('#documents tr', { hasText: version })).toContainText(/Accepted on .* \(in English\)/);
  await expect(banner).toHaveCount(0);
  await expectSameDocument(page, info);
});

test('theme, language and time zone switch in place and are kept', async ({ page }, info) => {
  await signUp(page, info, uniqueName('prefs', info));
  await markDocument(page);
  const section = page.locator('#preferences');
  await section.getByLabel('Dark').check();
  await section.getByLabel('Français').check();
  await section.getByLabel('Time zone').selectOption('Asia/Tokyo');
  await submit(page, info, 'Save preferences');

  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Paramètres du compte');
  await expect(page.locator('#preferences').getByRole('status')).toHaveText('Préférences enregistrées.');
  // Dates now read in Tokyo time.
  await expect(page.getByTestId('profile-created').locator('time')).toHaveAttribute('datetime', /\+09:00$/);
  await expect(page.getByTestId('profile-created')).toContainText(/\d{4}/);
  await expectSameDocument(page, info);

  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.locator('#preferences').getByLabel('Fuseau horaire')).toHaveValue('Asia/Tokyo');
});

test('preferences follow the user to a fresh browser at sign-in', async ({ page, browser }, info) => {
  const name = uniqueName('follow', info);
  await signUp(page, info, name);
  await page.locator('#preferences').getByLabel('Dark').check();
  await page.locator('#preferences').getByLabel('Français').check();
  await submit(page, info, 'Save preferences');
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');

  const fresh = await browser.newContext({ javaScriptEnabled: isHydrated(info), locale: 'en-US' });
  const other = await fresh.newPage();
  await other.goto('/login');
  await expect(other.locator('html')).toHaveAttribute('lang', 'en');
  await ready(other, info);
  await signIn(other, name, PASSWORD);
  await expect(other).toHaveURL(/\/account$/);
  // Right on the first response: no flash of the wrong theme or language.
  await expect(other.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(other.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(other.getByRole('heading', { level: 1 })).toHaveText('Paramètres du compte');
  await fresh.close();
});

test('the account menu switches theme and language without a reload', async ({ page }, info) => {
  await signUp(page, info, uniqueName('menu', info));
  await markDocument(page);
  await openMenu(page);
  await page.getByRole('button', { name: 'Dark' }).click();
  await ready(page, info);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  if (!isHydrated(info)) await openMenu(page);
  await page.getByRole('button', { name: 'Français' }).click();
  await ready(page, info);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Paramètres du compte');
  await expect(page.getByLabel('Nom complet')).toBeVisible();
  await expectSameDocument(page, info);
});

test('leaving with unsaved edits asks first', async ({ page }, info) => {
  test.skip(!isHydrated(info), 'the warning needs JavaScript');
  await signUp(page, info, uniqueName('dirty', info));
  await page.getByLabel('Company').fill('Unsaved Ltd');
  await expect(page.getByText('Unsaved changes')).toBeVisible();
  const messages: string[] = [];
  page.once('dialog', (dialog) => {
    messages.push(dialog.message());
    void dialog.dismiss();
  });
  await page.getByRole('link', { name: 'Vestibule' }).click();
  expect(messages).toEqual(['You have unsaved changes. Leave this page anyway?']);
  await expect(page.getByLabel('Company')).toHaveValue('Unsaved Ltd');
  // Once saved, leaving is free.
  await submit(page, info, 'Save profile');
  await expect(page.getByText('Unsaved changes')).toHaveCount(0);
});

test('an ended session leads to sign-in and back, keeping what was typed', async ({ page, context }, info) => {
  const name = uniqueName('expire', info);
  await signUp(page, info, name);
  await page.getByLabel('Location').fill('Typed while signed out');
  // The session ends on the server's side (as after a sign-out elsewhere or an idle week).
  await context.clearCookies({ name: 'vestibule_session' });
  await submit(page, info, 'Save profile');
  if (isHydrated(info)) {
    await expect(profile(page).getByRole('alert')).toContainText('Your session has ended');
    await profile(page).getByRole('link', { name: 'Sign in again' }).click();
  }
  await expect(page).toHaveURL(/\/login\?next=\/account&notice=session-ended$/);
  await expect(page.getByText('Your session ended.')).toBeVisible();
  await ready(page, info);
  await signIn(page, name, PASSWORD);
  await expect(page).toHaveURL(/\/account$/);
  await ready(page, info);
  await expect(page.getByLabel('Location')).toHaveValue('Typed while signed out');
  await expect(profile(page).getByRole('status')).toHaveText('We kept what you typed. Check it, then save.');
});
