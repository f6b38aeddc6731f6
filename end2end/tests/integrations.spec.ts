import AxeBuilder from '@axe-core/playwright';
import { expect, Page, test, TestInfo } from '@playwright/test';
import { expectFocused, expectSameDocument, goto, isHydrated, markDocument, ready, signUp, uniqueName } from './helpers';

// The browser-test server talks to end2end/stand-in-provider.mjs as GitHub and as a GitLab
// self-hosted server (see start-server.sh); GitLab.com is left unset.
const PROVIDER = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3100) + 1}`;

async function expectAccessible(page: Page, info: TestInfo, what: string) {
  if (!isHydrated(info)) return;
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations, `${what}: ${JSON.stringify(results.violations, null, 2)}`).toEqual([]);
}

test('GitHub connects through its sign-in page and back, its keys import, and disconnecting asks first', async ({ page }, info) => {
  await signUp(page, info, uniqueName('scm', info));
  await goto(page, info, '/account/integrations');
  const github = page.getByTestId('provider-github');
  await expect(github).toContainText('Not connected.');
  await expect(page.getByTestId('provider-gitlab').getByTestId('not-configured')).toContainText('VESTIBULE_GITLAB_CLIENT_ID');
  await expectAccessible(page, info, 'integrations, nothing connected');

  // Only links and redirects: the same with and without JavaScript.
  await github.getByRole('link', { name: 'Connect GitHub' }).click();
  await expect(page).toHaveURL(/\/account\/integrations$/);
  await ready(page, info);
  await expect(page.getByRole('status').filter({ hasText: 'Connected.' })).toBeVisible();
  await expect(github.getByTestId('scm-username')).toHaveText('octocat');
  await expect(github.getByRole('link', { name: 'octocat' })).toHaveAttribute('href', `${PROVIDER}/octocat`);
  await markDocument(page);
  await expectAccessible(page, info, 'integrations, GitHub connected');

  await github.getByRole('button', { name: 'Import its SSH keys' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Keys added to your SSH keys: github-e2e' })).toBeVisible();
  await expectFocused(page, info, '#scm-status');
  await ready(page, info);

  // Disconnecting asks first, and Escape leaves it.
  await github.locator('summary').filter({ hasText: 'Disconnect' }).click();
  await expect(github).toContainText('asked to revoke the access');
  await github.getByRole('button', { name: 'Disconnect it' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Disconnected.' })).toBeVisible();
  await expect(github).toContainText('Not connected.');
  await expectSameDocument(page, info);

  await goto(page, info, '/account/keys');
  await expect(page.getByTestId('key').filter({ hasText: 'github-e2e' })).toHaveCount(1);
  await goto(page, info, '/account/timeline');
  await expect(page.getByText('Integration connected: GitHub (octocat)')).toBeVisible();
  await expect(page.getByText('Integration disconnected: GitHub (octocat)')).toBeVisible();
});

test('a self-hosted GitLab connects with its address and a token the server accepts', async ({ page }, info) => {
  await signUp(page, info, uniqueName('scmsh', info));
  await goto(page, info, '/account/integrations');
  await markDocument(page);
  const form = page.locator('#self-hosted');
  await form.getByLabel('Type').selectOption('gitlab-self-hosted');
  await form.getByLabel('Server address').fill(PROVIDER);
  await form.getByLabel('Personal access token').fill('glpat-wrong');
  await form.getByRole('button', { name: 'Connect the server' }).click();
  await expect(page.locator('#field-access_token-error')).toContainText('The server refused this token');
  // The address is kept; the token, a secret, is not.
  await expect(form.getByLabel('Server address')).toHaveValue(PROVIDER);
  await expectAccessible(page, info, 'self-hosted form refused');
  await ready(page, info);

  await form.getByLabel('Personal access token').fill('glpat-e2e');
  await form.getByRole('button', { name: 'Connect the server' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Connected.' }).first()).toBeVisible();
  await expect(page.getByTestId('provider-gitlab-self-hosted').getByTestId('scm-username')).toHaveText('tanuki');
  await expectSameDocument(page, info);
});
