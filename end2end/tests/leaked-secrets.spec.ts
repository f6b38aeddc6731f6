import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { goto, isHydrated, mailLink, PASSWORD, ready, uniqueName, signUp } from './helpers';

test('the sign-up link asks for the password chosen on the form', async ({ page }, info) => {
  const name = uniqueName('hijack', info);
  const email = `${name}@example.com`;
  await goto(page, info, '/signup');
  await page.getByLabel('Username').fill(name);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  const accept = page.locator('#field-accept');
  if (await accept.count()) await accept.check();
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/signup\?sent=1$/);

  // Someone who did not fill the form (the address's owner, if another person used it) cannot
  // finish it: without the form's password, no account.
  await goto(page, info, await mailLink(email, '/signup/confirm'));
  await expect(page.getByText('Type the password you chose when signing up')).toBeVisible();
  await page.getByLabel('The password you chose').fill('not the one on the form');
  await page.getByRole('button', { name: 'Create my account' }).click();
  await expect(page.locator('#field-password-error')).toHaveText(/not the password chosen on the sign-up form/);
  await expect(page.getByRole('alert')).toBeFocused();
  if (isHydrated(info)) {
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations).toEqual([]);
  }
  await ready(page, info);
  await page.getByLabel('The password you chose').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create my account' }).click();
  await expect(page).toHaveURL(/\/account$/);
});

test('"it was not me" from the new-token mail ends every session and token', async ({ page, browser }, info) => {
  const name = uniqueName('notme', info);
  const email = `${name}@example.com`;
  await signUp(page, info, name);
  // Another browser signed in to the same account: the one someone else would hold.
  const other = await browser.newContext({ javaScriptEnabled: isHydrated(info) });
  const elsewhere = await other.newPage();
  await goto(elsewhere, info, '/login');
  await elsewhere.getByLabel('Username or e-mail').fill(name);
  await elsewhere.getByLabel('Password').fill(PASSWORD);
  await elsewhere.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(elsewhere).toHaveURL(/\/account$/);

  await goto(page, info, '/account/tokens');
  await page.getByLabel('Name').fill('deploy bot');
  await page.getByRole('button', { name: 'Create the token' }).click();
  await expect(page.getByTestId('token')).toHaveCount(1);

  // The owner's mail about the new token carries the way out. Opening it changes nothing.
  await goto(page, info, await mailLink(email, '/security/report'));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('It was not me');
  await goto(elsewhere, info, '/account');
  await expect(elsewhere).toHaveURL(/\/account$/);
  await page.getByRole('button', { name: 'End every session and token' }).click();
  await expect(page.getByRole('status')).toContainText('Every session and API token of your account was ended.');
  await expect(page.getByRole('link', { name: 'Reset your password' })).toBeVisible();

  for (const tab of [page, elsewhere]) {
    await goto(tab, info, '/account/tokens');
    await expect(tab).toHaveURL(/\/login\?/);
  }
  await other.close();
});
