import AxeBuilder from '@axe-core/playwright';
import { expect, Page, test, TestInfo } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import {
  expectFocused,
  expectSameDocument,
  goto,
  isHydrated,
  mailLink,
  markDocument,
  PASSWORD,
  ready,
  signIn,
  signOut,
  signUp,
  uniqueName,
} from './helpers';

/** The TOTP code for `secret` at `unix` seconds, from oathtool (what a phone app would show). */
function oathtool(secret: string, unix: number): string {
  return execFileSync('oathtool', ['--totp', '-b', secret.replace(/\s/g, ''), '-N', `@${unix}`]).toString().trim();
}

const now = () => Math.floor(Date.now() / 1000);

/** Waits out the end of a 30-second step, so the codes a test computes stay in their steps. */
async function awayFromStepEdge() {
  const into = now() % 30;
  if (into > 22) await new Promise((r) => setTimeout(r, (31 - into) * 1000));
}

/** The operator command line, against the browser-test server's database. */
function operator(...args: string[]) {
  execFileSync('../target/release/vestibule', args, {
    env: { ...process.env, DATABASE_URL: 'sqlite://.run/e2e.db', VESTIBULE_DATA_DIR: '.run', VESTIBULE_LOG: 'warn' },
  });
}

async function openTab(page: Page, info: TestInfo) {
  await goto(page, info, '/account/authorization');
  await expect(page.getByRole('heading', { name: 'Confirm it’s you' })).toBeVisible();
}

async function expectAccessible(page: Page, info: TestInfo) {
  if (!isHydrated(info)) return;
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations, JSON.stringify(results.violations, null, 2)).toEqual([]);
}

test('two-factor authentication: set up with an authenticator, sign in with a code, turn off with a recovery code', async ({ page }, info) => {
  const name = uniqueName('tfa', info);
  await signUp(page, info, name);
  await openTab(page, info);
  await expect(page.getByTestId('reauth-open')).toContainText('Sensitive changes are unlocked until');
  await expectAccessible(page, info);

  await awayFromStepEdge();
  await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
  await expect(page.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
  await expectFocused(page, info, '#tfa-setup');
  const secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
  expect(secret.replace(/\s/g, '')).toMatch(/^[A-Z2-7]{32}$/);
  await expectAccessible(page, info);
  await ready(page, info);

  // A wrong code first: refused on the field.
  await page.getByLabel('Authentication code').fill('12345');
  await page.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.locator('#field-enable_code-error')).toContainText('This code is not right');
  await ready(page, info);
  // The previous step's code (still accepted), so the current one stays unused for sign-in.
  await page.getByLabel('Authentication code').fill(oathtool(secret, now() - 30));
  await page.getByRole('button', { name: 'Turn on' }).click();
  const box = page.getByTestId('recovery-codes');
  await expect(box).toBeVisible();
  await expect(box.locator('li')).toHaveCount(10);
  await expectFocused(page, info, '#recovery-codes');
  const codes = (await box.locator('li').allTextContents()).map((c) => c.trim());
  await expect(box.getByRole('link', { name: 'Download' })).toHaveAttribute('download', 'recovery-codes.txt');
  if (isHydrated(info)) await expect(box.getByRole('button', { name: 'Copy' })).toBeVisible();
  await expect(page.getByTestId('codes-left')).toHaveText('10');
  // The grid form does not stretch its button: turning it off is not the loudest control.
  const turnOff = page.getByRole('button', { name: 'Turn off two-factor authentication' });
  const buttonWidth = (await turnOff.boundingBox())!.width;
  const formWidth = (await turnOff.locator('xpath=ancestor::form').boundingBox())!.width;
  expect(buttonWidth).toBeLessThan(formWidth * 0.8);
  await expectAccessible(page, info);

  // Sign-in now asks for the code after the password.
  await signOut(page, info);
  await signIn(page, name, PASSWORD);
  await expect(page).toHaveURL(/\/login\/code$/);
  await ready(page, info);
  await page.getByLabel('Authentication code').fill(oathtool(secret, now()));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await ready(page, info);

  // Turned off with a recovery code (the window is open: this sign-in just proved both).
  await openTab(page, info);
  await page.getByLabel('Authentication code').fill(codes[0]);
  await page.getByRole('button', { name: 'Turn off two-factor authentication' }).click();
  await expect(page.getByText('Two-factor authentication is off.')).toBeVisible();
  await expectFocused(page, info, '#tfa-status');
  await expect(page.getByRole('button', { name: 'Set up two-factor authentication' })).toBeVisible();
});

test('sessions: another browser is listed and signed out; the password changes with the rules shown', async ({ page, browser }, info) => {
  const name = uniqueName('sess', info);
  await signUp(page, info, name);
  const other = await browser.newContext({ baseURL: info.project.use.baseURL, javaScriptEnabled: isHydrated(info) });
  const otherPage = await other.newPage();
  await otherPage.goto('/login');
  await signIn(otherPage, name, PASSWORD);
  await expect(otherPage).toHaveURL(/\/account$/);

  await openTab(page, info);
  const rows = page.getByTestId('sessions').locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: 'This session' })).toHaveCount(1);
  // Each row's button names its session ("Sign out Chrome on Linux"), not just "Sign out".
  const otherRow = rows.filter({ hasNotText: 'This session' });
  const otherBrowser = ((await otherRow.locator('td').first().textContent()) ?? '').trim();
  expect(otherBrowser).not.toBe('');
  await otherRow.getByRole('button', { name: `Sign out ${otherBrowser}`, exact: true }).click();
  await expect(page.getByText('That session was signed out.')).toBeVisible();
  await expectFocused(page, info, '#sessions-status');
  await expect(rows).toHaveCount(1);
  await otherPage.goto('/account/authorization');
  await expect(otherPage).toHaveURL(/\/login\?next=/);
  await other.close();
  await ready(page, info);

  if (isHydrated(info)) {
    await page.getByLabel('New password', { exact: true }).fill('short');
    await expect(page.getByTestId('password-rules').locator('li.rule-met')).toHaveCount(1);
  }
  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByLabel('New password', { exact: true }).fill('a brand new passphrase');
  await page.getByLabel('New password, again').fill('a different passphrase');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.locator('#field-confirm_password-error')).toContainText('The two passwords are not the same.');
  await ready(page, info);
  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByLabel('New password', { exact: true }).fill('a brand new passphrase');
  await page.getByLabel('New password, again').fill('a brand new passphrase');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('Password changed. Your other sessions were signed out.')).toBeVisible();
  await signOut(page, info);
  await signIn(page, name, 'a brand new passphrase');
  await expect(page).toHaveURL(/\/account$/);
});

test('deleting the account waits for its applications, then signs out for good', async ({ page }, info) => {
  const name = uniqueName('del', info);
  const appName = `app-${name}`.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 48);
  await signUp(page, info, name);
  operator('apps', 'create', '--owner', name, '--name', appName);
  await openTab(page, info);
  await expect(page.getByTestId('owned-apps')).toContainText(appName);
  await expect(page.getByRole('button', { name: 'Delete my account' })).toHaveCount(0);

  operator('apps', 'delete', '--name', appName);
  // The operator's two changes are on the owner's Timeline, under their own category.
  await goto(page, info, '/account/timeline?category=apps');
  const appEvents = page.locator('.event-list .event');
  await expect(appEvents).toHaveCount(2);
  await expect(appEvents.first()).toContainText(`App deleted by an operator: ${appName}`);
  await expect(appEvents.last()).toContainText(`App created by an operator: ${appName}`);
  await openTab(page, info);
  await page.getByLabel('Type your username to confirm').fill('someone-else');
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await expect(page.locator('#field-delete_username-error')).toContainText('This is not your username.');
  await ready(page, info);
  await page.getByLabel('Type your username to confirm').fill(name);
  await page.getByLabel('Why are you leaving?').fill('Testing the way out');
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await expect(page).toHaveURL(/\/login\?notice=account-deleted$/);
  // Filtered: until the sign-in page has replaced the account, the account's (empty) status
  // regions are on the page too.
  await expect(page.getByRole('status').filter({ hasText: 'Your account was deleted.' })).toHaveText(
    'Your account was deleted. Goodbye, and thank you.',
  );
  await ready(page, info);
  await signIn(page, name, PASSWORD);
  await expect(page.getByText('The username, e-mail or password is incorrect.')).toBeVisible();
});

test('changing the e-mail address: the new address confirms it, the old one can undo it', async ({ page }, info) => {
  const name = uniqueName('mail', info);
  const oldAddress = `${name}@example.com`;
  const newAddress = `${name}@new.example`;
  await signUp(page, info, name);
  await openTab(page, info);
  await markDocument(page);
  const section = page.locator('#email');
  await expect(section.getByTestId('current-email')).toHaveText(oldAddress);

  await section.getByLabel('New address').fill('not an address');
  await section.getByRole('button', { name: 'Send the confirmation link' }).click();
  await expect(page.locator('#field-new_email-error')).toContainText('Enter an e-mail address like name@example.com.');
  await expect(section.getByLabel('New address')).toHaveValue('not an address');
  await ready(page, info);

  await section.getByLabel('New address').fill(newAddress);
  await section.getByRole('button', { name: 'Send the confirmation link' }).click();
  await expect(section.getByRole('status')).toContainText('Link sent.');
  const pending = section.getByTestId('pending-email');
  await expect(pending).toContainText(newAddress);
  await expect(section.getByTestId('current-email')).toHaveText(oldAddress);
  await expectSameDocument(page, info);
  await expectAccessible(page, info);
  await ready(page, info);

  await pending.getByRole('button', { name: 'Send the link again' }).click();
  await expect(section.getByRole('status')).toContainText('A new link is on its way');
  await ready(page, info);

  // The new address follows its newest link (the second: sending again voids the first).
  await goto(page, info, await mailLink(newAddress, '/email/confirm', 2));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Confirm your new address');
  await expectAccessible(page, info);
  await page.getByRole('button', { name: 'Confirm the new address' }).click();
  await expect(page.getByRole('status')).toHaveText('Your e-mail address was changed.');
  await ready(page, info);
  await page.getByRole('link', { name: 'Go to your account' }).click();
  await expect(page.locator('#email').getByTestId('current-email')).toHaveText(newAddress);
  await expect(page.locator('#email').getByTestId('pending-email')).toHaveCount(0);

  // The old address says it was not them: its address comes back and every session ends.
  await goto(page, info, await mailLink(oldAddress, '/email/report'));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Was it not you?');
  await page.getByRole('button', { name: 'Cancel the change' }).click();
  await expect(page.getByRole('status')).toContainText('Your previous address is back');
  await ready(page, info);
  await goto(page, info, '/account');
  await expect(page).toHaveURL(/\/login\?/);
  await ready(page, info);
  await signIn(page, oldAddress, PASSWORD);
  await expect(page).toHaveURL(/\/account$/);
});
