import AxeBuilder from '@axe-core/playwright';
import { expect, Page, test, TestInfo } from '@playwright/test';
import { expectFocused, expectSameDocument, goto, isHydrated, keygen, markDocument, ready, signUp, uniqueName } from './helpers';

async function expectAccessible(page: Page, info: TestInfo) {
  if (!isHydrated(info)) return;
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations, JSON.stringify(results.violations, null, 2)).toEqual([]);
}

/** `POST /v1/tokens/exchange` with the API token, as the Scalingo CLI does. */
async function exchange(page: Page, secret: string): Promise<number> {
  const reply = await page.request.post('/v1/tokens/exchange', {
    headers: { Authorization: `Basic ${Buffer.from(`:${secret}`).toString('base64')}` },
    data: {},
  });
  return reply.status();
}

test('SSH keys: a refused key keeps what was typed, a good one shows its ssh-keygen fingerprint, removal asks first', async ({ page }, info) => {
  const name = uniqueName('keys', info);
  await signUp(page, info, name);
  await goto(page, info, '/account/keys');
  await markDocument(page);
  await expect(page.getByRole('heading', { name: 'Your keys' })).toBeVisible();
  await expect(page.getByTestId('no-keys')).toContainText('No SSH key yet');
  await expectAccessible(page, info);

  // A private key, pasted by mistake: refused plainly, and nothing typed is lost.
  const privateKey = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----';
  await page.getByLabel('Name').fill('laptop');
  await page.getByLabel('Public key').fill(privateKey);
  await page.getByRole('button', { name: 'Add the key' }).click();
  await expect(page.locator('#field-key_content-error')).toContainText('This is a private key');
  await expect(page.getByLabel('Name')).toHaveValue('laptop');
  await expect(page.getByLabel('Public key')).toHaveValue(privateKey);
  await expectAccessible(page, info);
  await ready(page, info);

  const laptop = keygen(`${name}@laptop`);
  await page.getByLabel('Public key').fill(laptop.content);
  await page.getByRole('button', { name: 'Add the key' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'The key was added.' })).toBeVisible();
  await expect(page.getByTestId('key')).toHaveCount(1);
  await expect(page.getByTestId('fingerprint')).toHaveText(laptop.fingerprint);
  await expect(page.getByTestId('key')).toContainText('ED25519 · 256 bits');
  await expect(page.getByTestId('key')).toContainText(`${name}@laptop`);
  await expect(page.getByLabel('Public key')).toHaveValue('');
  await ready(page, info);

  // A second key: from its .pub file with JavaScript (the picker needs it), pasted without.
  const desktop = keygen(`${name}@desktop`);
  if (isHydrated(info)) {
    await page.getByLabel('Or choose a .pub file').setInputFiles(desktop.path);
    await expect(page.getByLabel('Public key')).toHaveValue(desktop.content.trim());
  } else {
    await expect(page.getByTestId('key-file')).toHaveCount(0);
    await page.getByLabel('Public key').fill(desktop.content);
  }
  // The same name twice is refused on the name.
  await page.getByLabel('Name').fill('laptop');
  await page.getByRole('button', { name: 'Add the key' }).click();
  await expect(page.locator('#field-key_name-error')).toContainText('You already have a key with this name.');
  await ready(page, info);
  await page.getByLabel('Name').fill('desktop');
  await page.getByRole('button', { name: 'Add the key' }).click();
  await expect(page.getByTestId('key')).toHaveCount(2);
  await ready(page, info);

  // Removal: the first click only asks.
  const item = page.getByTestId('key').filter({ hasText: 'laptop' });
  const ask = item.locator('summary', { hasText: 'Remove' });
  if (isHydrated(info)) {
    // It closes like a menu: on Escape (focus back on its button) and on a click outside.
    await ask.click();
    await expect(item.getByText('Pushes signed with this key will be refused.')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(item.getByText('Pushes signed with this key will be refused.')).toBeHidden();
    await expect(ask).toBeFocused();
    await ask.click();
    await page.getByRole('heading', { name: 'Your keys' }).click();
    await expect(item.getByText('Pushes signed with this key will be refused.')).toBeHidden();
  }
  await ask.click();
  await expect(item.getByText('Pushes signed with this key will be refused.')).toBeVisible();
  await expect(page.getByTestId('key')).toHaveCount(2);
  await expectAccessible(page, info);
  await item.getByRole('button', { name: 'Yes, remove the key' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'The key was removed.' })).toBeVisible();
  await expectFocused(page, info, '#keys-status');
  await expect(page.getByTestId('key')).toHaveCount(1);
  await expect(page.getByTestId('fingerprint')).toHaveText(desktop.fingerprint);
  await expectSameDocument(page, info);
});

test('API tokens: the secret shows once and works, renewing replaces it, revoking ends it', async ({ page }, info) => {
  const name = uniqueName('tokens', info);
  await signUp(page, info, name);
  await goto(page, info, '/account/tokens');
  await markDocument(page);
  await expect(page.getByTestId('no-tokens')).toContainText('No API token yet');
  await expectAccessible(page, info);

  // "On a date" without a date: refused on the date, the name kept.
  await page.getByLabel('Name').fill('ci deploys');
  await page.getByLabel('Expires').selectOption({ label: 'On a date' });
  await page.getByRole('button', { name: 'Create the token' }).click();
  await expect(page.locator('#field-expiry_date-error')).toContainText('Enter a date, or choose another option.');
  await expect(page.getByLabel('Name')).toHaveValue('ci deploys');
  await ready(page, info);

  await page.getByLabel('Expires').selectOption({ label: 'In 30 days' });
  await page.getByRole('button', { name: 'Create the token' }).click();
  const box = page.getByTestId('token-secret');
  await expect(box).toContainText('This is the only time it is shown.');
  await expectFocused(page, info, '#token-secret');
  const secret = ((await page.getByTestId('secret-value').textContent()) ?? '').trim();
  expect(secret).toMatch(/^tk-us-[0-9a-f]{48}$/);
  await expect(box.getByRole('button', { name: 'Copy' })).toHaveCount(isHydrated(info) ? 1 : 0);
  const token = page.getByTestId('token');
  await expect(token).toHaveCount(1);
  await expect(token).toContainText(`…${secret.slice(-4)}`);
  await expect(token).not.toContainText(secret);
  await expectAccessible(page, info);
  expect(await exchange(page, secret)).toBe(200);
  await ready(page, info);

  // Renewing asks first, then shows a new secret; the old one stops working at once.
  await token.locator('summary', { hasText: 'Renew' }).click();
  await expect(token.getByText('The current secret stops working at once')).toBeVisible();
  await token.getByRole('button', { name: 'Yes, renew the token' }).click();
  await expect(page.getByTestId('secret-value')).not.toHaveText(secret);
  await expectFocused(page, info, '#token-secret');
  const renewed = ((await page.getByTestId('secret-value').textContent()) ?? '').trim();
  expect(renewed).toMatch(/^tk-us-[0-9a-f]{48}$/);
  expect(await exchange(page, secret)).toBe(401);
  expect(await exchange(page, renewed)).toBe(200);
  await expect(page.getByTestId('token')).toHaveCount(1);
  await ready(page, info);

  // Revoking asks first too.
  await page.getByTestId('token').locator('summary', { hasText: 'Revoke' }).click();
  await page.getByRole('button', { name: 'Yes, revoke the token' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'The token was revoked.' })).toBeVisible();
  await expectFocused(page, info, '#tokens-status');
  await expect(page.getByTestId('no-tokens')).toBeVisible();
  expect(await exchange(page, renewed)).toBe(401);
  await expectSameDocument(page, info);

  // The secret is never shown again.
  await goto(page, info, '/account/tokens');
  await expect(page.getByTestId('token-secret')).toHaveCount(0);
});

test('API tokens: a limited token can do only what was ticked, and says so', async ({ page }, info) => {
  const name = uniqueName('scopes', info);
  await signUp(page, info, name);
  await goto(page, info, '/account/tokens');
  await expect(page.getByTestId('no-tokens')).toBeVisible();
  await markDocument(page);

  // "Only what I choose" with nothing ticked: refused on the access field, the choice kept.
  await page.getByLabel('Name').fill('reader');
  await page.getByRole('radio', { name: 'Only what I choose:' }).check();
  await page.getByRole('button', { name: 'Create the token' }).click();
  await expect(page.locator('#field-access-error')).toContainText('Choose at least one permission, or full access.');
  await expect(page.getByRole('radio', { name: 'Only what I choose:' })).toBeChecked();
  await ready(page, info);

  // Ticking a scope chooses "Only what I choose" by itself (with JavaScript).
  if (isHydrated(info)) {
    await page.getByRole('radio', { name: 'Full access: everything the API allows' }).check();
  }
  await page.getByRole('checkbox', { name: /account:read/ }).check();
  await expect(page.getByRole('radio', { name: 'Only what I choose:' })).toBeChecked();
  if (isHydrated(info)) {
    // Back to full access clears the boxes: what is shown is what is sent.
    await page.getByRole('radio', { name: 'Full access: everything the API allows' }).check();
    await expect(page.getByRole('checkbox', { name: /account:read/ })).not.toBeChecked();
    await page.getByRole('checkbox', { name: /account:read/ }).check();
  }
  await page.getByRole('button', { name: 'Create the token' }).click();
  await expectFocused(page, info, '#token-secret');
  const secret = ((await page.getByTestId('secret-value').textContent()) ?? '').trim();
  await expect(page.getByTestId('token-scopes')).toHaveText('account:read');
  await expectAccessible(page, info);
  if (isHydrated(info)) {
    // The form is back to full access for the next token.
    await expect(page.getByRole('radio', { name: 'Full access: everything the API allows' })).toBeChecked();
    await expect(page.getByRole('checkbox', { name: /account:read/ })).not.toBeChecked();
  }

  // Through the API: it reads the account, and adding a key is refused naming the scope.
  const exchanged = await page.request.post('/v1/tokens/exchange', {
    headers: { Authorization: `Basic ${Buffer.from(`:${secret}`).toString('base64')}` },
    data: {},
  });
  const bearer = `Bearer ${(await exchanged.json()).token}`;
  const me = await page.request.get('/v1/users/self', { headers: { Authorization: bearer } });
  expect(me.status()).toBe(200);
  const key = await page.request.post('/v1/keys', {
    headers: { Authorization: bearer },
    data: { key: { name: 'x', content: keygen(name).content } },
  });
  expect(key.status()).toBe(403);
  expect((await key.json()).error).toContain('keys:write');
  await expectSameDocument(page, info);
});
