import { expect, test } from '@playwright/test';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { goto, PASSWORD, ready, signIn, signOut, signUp, uniqueName } from './helpers';

// The browser-test server has no SMTP relay: its mail lands in the outbox folder.
const OUTBOX = join(__dirname, '..', '.run', 'outbox');

/** Undoes quoted-printable, the transfer encoding the mail library picks for long lines. */
function decodeQuotedPrintable(text: string): string {
  return text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The reset link in the newest message to `email`, waiting for the mail worker. */
async function resetLink(email: string): Promise<string> {
  let link = '';
  await expect
    .poll(() => {
      if (!existsSync(OUTBOX)) return '';
      const mine = readdirSync(OUTBOX)
        .sort()
        .map((f) => decodeQuotedPrintable(readFileSync(join(OUTBOX, f), 'utf8')))
        .filter((m) => m.includes(`To: ${email}`) && m.includes('/password/reset?token='));
      const match = mine.at(-1)?.match(/(\/password\/reset\?token=[\w-]+)/);
      link = match ? match[1] : '';
      return link;
    })
    .not.toBe('');
  return link;
}

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

  const link = await resetLink(email);
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

  // The link worked once.
  await signOut(page, info);
  await goto(page, info, link);
  await page.getByLabel('New password', { exact: true }).fill('one more new passphrase');
  await page.getByLabel('New password, again').fill('one more new passphrase');
  await page.getByRole('button', { name: 'Change my password' }).click();
  await expect(page.getByRole('alert')).toContainText('This link has expired or was already used.');
  await expect(page.getByRole('link', { name: 'Ask for a new link' })).toBeVisible();
});
