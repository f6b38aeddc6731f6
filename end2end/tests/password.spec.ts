import { expect, test } from '@playwright/test';
import { goto, mailLink, PASSWORD, ready, signIn, signOut, signUp, uniqueName } from './helpers';

test('a forgotten password is reset with the link from the e-mail', async ({ page }, info) => {
  const name = uniqueName('forgot', info);
  const email = `${name}@example.com`;
  await signUp(page, info, name);
  await signOut(page, info);
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page).toHaveURL(/\/password\/forgot$/);
  await ready(page, info);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect(page.getByRole('status')).toContainText('If an account uses this address');

  const link = await mailLink(email, '/password/reset');
  await goto(page, info, link);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Choose a new password');
  // Mismatched passwords: refused on the field, the link still usable.
  await page.getByLabel('New password', { exact: true }).fill('a brand new passphrase');
  await page.getByLabel('New password, again').fill('something else entirely');
  await page.getByRole('button', { name: 'Change my password' }).click();
  await expect(page.locator('#field-confirm-error')).toContainText('The two passwords are not the same.');
  await ready(page, info);
  await page.getByLabel('New password', { exact: true }).fill('a brand new passphrase');
  await page.getByLabel('New password, again').fill('a brand new passphrase');
  await page.getByRole('button', { name: 'Change my password' }).click();
  await expect(page).toHaveURL(/\/login\?notice=password-reset$/);
  await expect(page.getByRole('status')).toHaveText('Your password was changed. Sign in with the new one.');
  await ready(page, info);

  await signIn(page, name, PASSWORD);
  await expect(page.getByText('The username, e-mail or password is incorrect.')).toBeVisible();
  await ready(page, info);
  await signIn(page, name, 'a brand new passphrase');
  await expect(page).toHaveURL(/\/account$/);

  // The link worked once, and says so as soon as it is opened again: no form to fill in.
  await signOut(page, info);
  await goto(page, info, link);
  await expect(page.getByRole('alert')).toContainText('This link has expired or was already used.');
  await expect(page.getByLabel('New password', { exact: true })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Ask for a new link' })).toBeVisible();
});
