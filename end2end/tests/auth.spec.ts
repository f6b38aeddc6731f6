import { expect, test } from '@playwright/test';
import { goto, isHydrated, openMenu, PASSWORD, ready, signIn, signOut, signUp, uniqueName } from './helpers';

test('a new user signs up, sees the account, signs out and signs back in', async ({ page }, info) => {
  const name = uniqueName('new', info);
  await signUp(page, info, name);
  await expect(page.getByRole('heading', { level: 1, name: 'User settings' })).toBeVisible();
  await expect(page.getByLabel('Username', { exact: true })).toHaveValue(name);
  await expect(page.getByTestId('profile-email')).toHaveText(`${name}@example.com`);
  await expect(page.getByRole('link', { name: 'Basic information' })).toHaveAttribute('aria-current', 'page');

  await signOut(page, info);
  await expect(page.getByText('You are signed out.')).toBeVisible();
  await page.goto('/account');
  await expect(page).toHaveURL(/\/login\?next=\/account$/);

  await signIn(page, `${name}@example.com`, PASSWORD);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByLabel('Username', { exact: true })).toHaveValue(name);
});

test('sign-up errors are shown per field and keep what was typed', async ({ page }, info) => {
  await goto(page, info, '/signup');
  await page.getByLabel('Username').fill('No Spaces Allowed');
  await page.getByLabel('E-mail address').fill('not-an-address');
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await ready(page, info);

  const summary = page.getByRole('alert');
  await expect(summary).toContainText('There is a problem');
  await expect(page.getByLabel('Username')).toHaveValue('No Spaces Allowed');
  await expect(page.getByLabel('E-mail address')).toHaveValue('not-an-address');
  await expect(page.getByLabel('Username')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#field-email-error')).toHaveText(/Enter an e-mail address/);
  await expect(page.locator('#field-password-error')).toHaveText(/at least 8 characters/);
  // The summary links move to the fields.
  await summary.getByRole('link', { name: /at least 8 characters/ }).click();
  await expect(page.getByLabel('Password')).toBeFocused();
});

test('a wrong password is refused without saying which part was wrong', async ({ page }, info) => {
  const name = uniqueName('wrong', info);
  await signUp(page, info, name);
  await signOut(page, info);
  await signIn(page, name, 'not my password');
  await ready(page, info);
  await expect(page.getByRole('alert')).toContainText('The username, e-mail or password is incorrect.');
  await expect(page.getByLabel('Username or e-mail')).toHaveValue(name);
  await expect(page.getByLabel('Password')).toHaveValue('');
});

test('a deep link survives the trip through sign-in', async ({ page }, info) => {
  const name = uniqueName('deep', info);
  await signUp(page, info, name);
  await signOut(page, info);
  await page.goto('/account?from=bookmark');
  await expect(page).toHaveURL(/\/login\?next=\/account%3Ffrom%3Dbookmark$/);
  await ready(page, info);
  // One typo first: the refused form must still remember where the user was going.
  await signIn(page, name, 'a typo in the password');
  await expect(page.getByText('The username, e-mail or password is incorrect.')).toBeVisible();
  await ready(page, info);
  await signIn(page, name, PASSWORD);
  await expect(page).toHaveURL(/\/account\?from=bookmark$/);
});

test('back and forward move between pages', async ({ page }, info) => {
  await goto(page, info, '/login');
  await page.getByRole('link', { name: 'Create an account' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Create your account');
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
  await page.goForward();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Create your account');
});

test('unknown pages are a real 404', async ({ page }) => {
  const response = await page.goto('/no/such/page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
});

test('the keyboard alone reaches the menu and signs out', async ({ page }, info) => {
  const name = uniqueName('keys', info);
  await signUp(page, info, name);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to main content' })).toBeFocused();
  await page.locator('summary.avatar').focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('details.user-menu')).toHaveAttribute('open', '');
  if (isHydrated(info)) {
    await page.keyboard.press('Escape');
    await expect(page.locator('details.user-menu')).not.toHaveAttribute('open', '');
    await expect(page.locator('summary.avatar')).toBeFocused();
    await page.keyboard.press('Enter');
  }
  await page.getByRole('button', { name: 'Sign out' }).focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/login\?notice=signed-out$/);
});

test('the account menu shows who is signed in', async ({ page }, info) => {
  const name = uniqueName('menu', info);
  await signUp(page, info, name);
  await openMenu(page);
  await expect(page.locator('.menu-identity')).toContainText(name);
  await expect(page.getByRole('link', { name: 'User settings' })).toBeVisible();
});
