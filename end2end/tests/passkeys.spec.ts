import AxeBuilder from '@axe-core/playwright';
import { expect, Page, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { expectFocused, expectSameDocument, goto, isHydrated, markDocument, PASSWORD, ready, signIn, signOut, signUp, uniqueName } from './helpers';

/** Chromium's virtual authenticator (DevTools protocol, WebAuthn domain): a platform passkey
 *  that verifies the user at once, as a fingerprint reader would. */
async function virtualAuthenticator(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

test('Passkeys: added on the Authentication tab, then signing in alone, then removed', async ({ page }, info) => {
  const name = uniqueName('passkey', info);
  if (!isHydrated(info)) {
    // Without JavaScript the browser's prompt cannot be opened: the page says so, and the
    // sign-in page offers only the password.
    await signUp(page, info, name);
    await goto(page, info, '/account/authorization');
    await expect(page.getByTestId('passkeys-need-js')).toContainText('Passkeys need JavaScript');
    await expect(page.getByTestId('no-passkeys')).toBeVisible();
    await signOut(page, info);
    await expect(page.getByTestId('passkey-sign-in')).toHaveCount(0);
    return;
  }
  const { cdp, authenticatorId } = await virtualAuthenticator(page);
  await signUp(page, info, name);
  await goto(page, info, '/account/authorization');
  await markDocument(page);
  const section = page.locator('#passkeys');
  await expect(section.getByTestId('no-passkeys')).toBeVisible();

  // The name first: no passkey is made only to be refused.
  await section.getByRole('button', { name: 'Add a passkey' }).click();
  await expect(section.locator('#field-passkey_name-error')).toContainText('This field is required.');
  let stored = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  expect(stored.credentials).toHaveLength(0);

  await section.locator('#field-passkey_name').fill('Laptop');
  await section.getByRole('button', { name: 'Add a passkey' }).click();
  await expect(section.getByRole('status').filter({ hasText: 'The passkey was added.' })).toBeVisible();
  await expectFocused(page, info, '#passkeys-status');
  await expect(section.getByTestId('passkey')).toContainText('Laptop');
  await expect(section.getByTestId('passkey')).toContainText('On one device');

  // Renamed in place.
  const added = section.getByTestId('passkey');
  await added.locator('summary', { hasText: 'Rename' }).click();
  await added.getByLabel('Name').fill('Work laptop');
  await added.getByRole('button', { name: 'Save the name' }).click();
  await expect(section.getByRole('status').filter({ hasText: 'The passkey was renamed.' })).toBeVisible();
  await expectFocused(page, info, '#passkeys-status');
  await expect(added.locator('.item-title')).toHaveText('Work laptop');
  await expect(section.locator('#field-passkey_name')).toHaveValue('');
  stored = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  expect(stored.credentials).toHaveLength(1);
  expect(stored.credentials[0].isResidentCredential).toBe(true);
  const axe = await new AxeBuilder({ page }).include('#passkeys').analyze();
  expect(axe.violations, JSON.stringify(axe.violations, null, 2)).toEqual([]);
  await expectSameDocument(page, info);

  // The same authenticator twice: refused, in words.
  await section.locator('#field-passkey_name').fill('Again');
  await section.getByRole('button', { name: 'Add a passkey' }).click();
  await expect(section.locator('.error-summary')).toContainText('already on your account');

  // Signed out, the passkey alone signs in, with no password and no code. The browser's answer
  // is kept on the way, to be replayed below.
  await signOut(page, info);
  let replay: { body: string; cookie: string } | undefined;
  await page.route('**/login/passkey/finish', async (route) => {
    const headers = await route.request().allHeaders();
    replay = { body: route.request().postData() ?? '', cookie: headers['cookie'] ?? '' };
    await route.continue();
  });
  await page.getByTestId('passkey-sign-in').click();
  await expect(page).toHaveURL(/\/account$/);
  await page.unroute('**/login/passkey/finish');

  // The same answer posted again, with its challenge's cookie: refused, no second session.
  expect(replay?.cookie).toContain('vestibule_passkey=');
  const replayed = await page.request.post('/login/passkey/finish', {
    headers: { 'content-type': 'application/json', cookie: replay?.cookie ?? '' },
    data: replay?.body ?? '',
  });
  expect(replayed.status()).toBe(400);
  expect((await replayed.json()).error).toContain('expired');
  await goto(page, info, '/account/timeline');
  await expect(page.getByText('Signed in with a passkey (Work laptop)').first()).toBeVisible();

  // Removing asks first.
  await goto(page, info, '/account/authorization');
  const item = page.locator('#passkeys').getByTestId('passkey');
  await item.locator('summary', { hasText: 'Remove' }).click();
  await expect(item.getByText('You will no longer be able to sign in with it.')).toBeVisible();
  await item.getByRole('button', { name: 'Yes, remove the passkey' }).click();
  await expect(page.locator('#passkeys').getByRole('status').filter({ hasText: 'The passkey was removed.' })).toBeVisible();
  await expectFocused(page, info, '#passkeys-status');
  await expect(page.locator('#passkeys').getByTestId('no-passkeys')).toBeVisible();

  // The authenticator still offers it; the server no longer knows it, and says what to do.
  await signOut(page, info);
  await page.getByTestId('passkey-sign-in').click();
  await expect(page.locator('#passkey-error')).toContainText('not registered here');
  await expectFocused(page, info, '#passkey-error');
  await expect(page).toHaveURL(/\/login/);
});

test('Passkeys: a prompt the user does not complete changes nothing, in French too', async ({ page }, info) => {
  test.skip(!isHydrated(info), 'the prompt needs JavaScript');
  const { cdp, authenticatorId } = await virtualAuthenticator(page);
  // The authenticator cannot verify the user: the browser's prompt fails as if dismissed.
  await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: false });
  const name = uniqueName('pk-cancel', info);
  await signUp(page, info, name);
  const saved = await page.request.post('/api/preferences', { form: { lang: 'fr' } });
  expect(saved.ok()).toBe(true);
  await goto(page, info, '/account/authorization');
  const section = page.locator('#passkeys');
  await section.getByLabel('Nom').fill('Téléphone');
  await section.getByRole('button', { name: 'Ajouter une clé d’accès' }).click();
  await expect(section.locator('.error-summary')).toContainText('La fenêtre de clé d’accès a été fermée ou a expiré.');
  await expect(section.getByTestId('no-passkeys')).toBeVisible();
  await ready(page, info);
});

function oathtool(secret: string, unix: number): string {
  return execFileSync('oathtool', ['--totp', '-b', secret.replace(/\s/g, ''), '-N', `@${unix}`]).toString().trim();
}

test('Passkeys: with two-factor authentication on, a passkey answers the second step instead of a code', async ({ page }, info) => {
  test.skip(!isHydrated(info), 'the prompt needs JavaScript');
  await virtualAuthenticator(page);
  const name = uniqueName('pk-tfa', info);
  await signUp(page, info, name);
  await goto(page, info, '/account/authorization');
  await page.locator('#field-passkey_name').fill('Phone');
  await page.locator('#passkeys').getByRole('button', { name: 'Add a passkey' }).click();
  await expect(page.locator('#passkeys').getByTestId('passkey')).toContainText('Phone');

  await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
  const secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
  await page.getByLabel('Authentication code').fill(oathtool(secret, Math.floor(Date.now() / 1000) - 30));
  await page.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.getByTestId('recovery-codes')).toBeVisible();

  await signOut(page, info);
  await signIn(page, name, PASSWORD);
  await expect(page).toHaveURL(/\/login\/code/);
  await ready(page, info);
  await page.getByRole('button', { name: 'Use a passkey instead' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await goto(page, info, '/account/timeline');
  await expect(page.getByText('Signed in with a passkey (Phone)').first()).toBeVisible();
});

test('Passkeys: a page on another origin gets nothing from them', async ({ page }, info) => {
  test.skip(!isHydrated(info), 'the prompt needs JavaScript');
  await virtualAuthenticator(page);
  // The same server reached as 127.0.0.1: the relying party is localhost, so the browser
  // refuses the ceremony (an address is not a suffix of the relying party's host).
  await page.goto(`http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3100)}/login`);
  await ready(page, info);
  await page.getByTestId('passkey-sign-in').click();
  await expect(page.locator('#passkey-error')).toContainText('This passkey could not be checked.');
  await expect(page).toHaveURL(/\/login/);
});
