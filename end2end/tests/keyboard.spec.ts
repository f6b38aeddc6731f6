import AxeBuilder from '@axe-core/playwright';
import { expect, Page, test } from '@playwright/test';
import { baseURL } from '../playwright.config';
import { expectFocused, goto, isHydrated, keygen, openMenu, signUp, uniqueName } from './helpers';

// Keyboard, focus and small screens: where focus goes, what is announced, what a phone shows.

/** Whether keyboard focus is inside the element matching `selector`. */
async function focusIsInside(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((s) => !!document.activeElement?.closest(s), selector);
}

/** Focus is somewhere real, never on `<body>` (where a screen reader starts over). */
async function expectFocusNotLost(page: Page) {
  const on = await page.evaluate(() => document.activeElement?.tagName ?? 'none');
  expect(on).not.toBe('BODY');
}

test('keyboard only: every tab’s main flow, and where focus lands after each action', async ({ page }, info) => {
  test.skip(!isHydrated(info), 'focus after in-place actions needs JavaScript; without it each form is a new page');
  const name = uniqueName('kbd', info);
  await signUp(page, info, name);
  const panel = page.locator('#tab-panel');

  // Basic information: type, Enter submits; focus stays on the field.
  await page.getByLabel('Location').focus();
  await page.keyboard.type('Lyon');
  await page.keyboard.press('Enter');
  await expect(page.getByText('Saved. Changed: Location.')).toBeVisible();
  await expectFocusNotLost(page);

  // To Authentication with the tab strip: Shift+Tab back into it from the content.
  await page.getByRole('link', { name: 'Authentication' }).focus();
  await page.keyboard.press('Enter');
  await expect(panel).toBeFocused();
  await page.getByRole('button', { name: 'Set up two-factor authentication' }).focus();
  await page.keyboard.press('Space');
  await expect(page.locator('#tfa-setup')).toBeFocused();

  // SSH keys: add with Enter, then remove: Enter opens "asks first", Escape closes it and
  // returns to its button, Tab reaches the confirmation, Enter removes.
  await page.getByRole('link', { name: 'SSH keys' }).focus();
  await page.keyboard.press('Enter');
  await expect(panel).toBeFocused();
  await expect(page.getByTestId('no-keys')).toBeVisible();
  await page.getByLabel('Name').fill('kbd');
  await page.getByLabel('Public key').fill(keygen(`${name}@kbd`).content);
  await page.getByRole('button', { name: 'Add the key' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('key')).toHaveCount(1);
  await expectFocusNotLost(page);
  const ask = page.getByTestId('key').locator('summary');
  await ask.focus();
  await page.keyboard.press('Enter');
  const confirm = page.getByRole('button', { name: 'Yes, remove the key' });
  await expect(confirm).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await expect(ask).toBeFocused();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await expect(confirm).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('#keys-status')).toBeFocused();
  await expect(page.locator('#keys-status')).toHaveText('The key was removed.');

  // API tokens: create with Enter (focus on the secret), revoke through its confirmation.
  await page.getByRole('link', { name: 'API tokens' }).focus();
  await page.keyboard.press('Enter');
  await expect(panel).toBeFocused();
  // The panel takes focus at once; until the tab's code and data arrive the SSH keys tab, with
  // its own "Name" field, is still the one shown.
  await expect(page.getByTestId('no-tokens')).toBeVisible();
  await page.getByLabel('Name').focus();
  await page.keyboard.type('kbd');
  await expect(page.getByLabel('Name')).toHaveValue('kbd');
  await page.keyboard.press('Enter');
  await expect(page.locator('#token-secret')).toBeFocused();
  await page.getByTestId('token').locator('summary', { hasText: 'Revoke' }).focus();
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Yes, revoke the token' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('#tokens-status')).toBeFocused();

  // Timeline: a filter applied with Enter keeps focus on the button that applied it.
  await page.getByRole('link', { name: 'Timeline' }).focus();
  await page.keyboard.press('Enter');
  await expect(panel).toBeFocused();
  await page.getByLabel('Category').selectOption({ label: 'SSH keys' });
  await page.getByRole('button', { name: 'Show', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/category=keys/);
  await expect(page.locator('#apply-filters')).toBeFocused();
  await expect(page.locator('.event-list .event')).toHaveCount(2);

  // Shift+Tab from the content goes back up through the tab strip.
  await page.locator('#apply-filters').focus();
  for (let i = 0; i < 30 && !(await focusIsInside(page, '#account-tabs')); i++) await page.keyboard.press('Shift+Tab');
  expect(await focusIsInside(page, '#account-tabs')).toBe(true);
});

test('"Skip to main content" takes the keyboard into the content', async ({ page }, info) => {
  await signUp(page, info, uniqueName('skip', info));
  await goto(page, info, '/account/keys');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to main content' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expectFocused(page, info, '#main');
  // The next Tab goes into the content, not back to the brand link in the header.
  await page.keyboard.press('Tab');
  expect(await focusIsInside(page, 'main')).toBe(true);
});

test('moving to another tab sends focus to that tab, named after it', async ({ page }, info) => {
  test.skip(!isHydrated(info), 'without JavaScript every tab is a new page, read from its top');
  await signUp(page, info, uniqueName('tabfocus', info));
  await goto(page, info, '/account');
  // The first load leaves focus alone, also once the tab's content is in.
  await expect(page.getByLabel('Location')).toBeVisible();
  await page.waitForTimeout(500);
  expect(await focusIsInside(page, '#tab-panel')).toBe(false);
  await page.getByRole('link', { name: 'SSH keys' }).focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/account\/keys$/);
  const panel = page.locator('#tab-panel');
  await expect(panel).toBeFocused();
  await expect(panel).toHaveAttribute('aria-label', 'SSH keys');
  // Once the tab's content is in, the next Tab goes into it.
  await expect(page.getByLabel('Public key')).toBeVisible();
  await expect(panel).toBeFocused();
  await page.keyboard.press('Tab');
  expect(await focusIsInside(page, '#tab-panel')).toBe(true);
  await page.goBack();
  await expect(page).toHaveURL(/\/account$/);
  await expect(panel).toBeFocused();
  await expect(panel).toHaveAttribute('aria-label', 'Basic information');
});

test('a signed-in unknown tab is a 404 inside the account, with one main and one h1', async ({ page }, info) => {
  await signUp(page, info, uniqueName('tab404', info));
  for (const path of ['/account/nope', '/account/unknown-tab']) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole('heading', { level: 2, name: 'Page not found' })).toBeVisible();
    await expect(page.locator('main')).toHaveCount(1);
    await expect(page.locator('[id="main"]')).toHaveCount(1);
    await expect(page.locator('h1')).toHaveCount(1);
  }
});

test('the account menu names its initials and closes like a menu', async ({ page }, info) => {
  await signUp(page, info, uniqueName('menu', info));
  await goto(page, info, '/account');
  const avatar = page.locator('summary.avatar');
  const initials = ((await avatar.locator('span').first().textContent()) ?? '').trim();
  expect(initials).not.toBe('');
  // WCAG 2.5.3: the accessible name contains what is shown.
  await expect(avatar).toHaveAccessibleName(new RegExp(`^${initials} Account menu`));
  test.skip(!isHydrated(info), 'without JavaScript the disclosure closes with its own button');
  const menu = page.locator('details.user-menu');
  await openMenu(page);
  await expect(menu).toHaveAttribute('open', '');
  await page.keyboard.press('Escape');
  await expect(menu).not.toHaveAttribute('open', '');
  await expect(avatar).toBeFocused();
  await openMenu(page);
  await page.getByRole('heading', { level: 1 }).click();
  await expect(menu).not.toHaveAttribute('open', '');
  // Tab out of it: focus on the first tab link, outside the menu.
  await openMenu(page);
  await page.getByRole('link', { name: 'SSH keys' }).focus();
  await expect(menu).not.toHaveAttribute('open', '');
});

test('a 360 px phone shows the active tab in the tab strip, and a new secret in view', async ({ page }, info) => {
  test.skip(!isHydrated(info), 'scrolling to what changed needs JavaScript');
  await page.setViewportSize({ width: 360, height: 740 });
  await signUp(page, info, uniqueName('narrow', info));
  for (const path of ['/account/timeline', '/account/tokens']) {
    await goto(page, info, path);
    await expect(page.locator('#account-tabs a[aria-current="page"]')).toBeInViewport({ ratio: 1 });
  }
  // Sessions stack on a phone: each date keeps its label.
  await page.getByRole('link', { name: 'Authentication' }).click();
  const started = page.getByTestId('sessions').locator('td[data-label="Signed in"]').first();
  await expect(started).toBeVisible();
  expect(await started.evaluate((td) => getComputedStyle(td, '::before').content)).toContain('Signed in');

  await page.getByRole('link', { name: 'API tokens' }).click();
  await page.getByLabel('Name').fill('phone');
  await page.getByRole('button', { name: 'Create the token' }).click();
  const secret = page.getByTestId('token-secret');
  await expect(secret).toBeFocused();
  await expect(secret).toBeInViewport();
});

test('a token expiring on a chosen day shows that day', async ({ page }, info) => {
  await signUp(page, info, uniqueName('expday', info));
  await goto(page, info, '/account/tokens');
  const day = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel('Name').fill('until a day');
  await page.getByLabel('Expires').selectOption({ label: 'On a date' });
  await page.getByLabel('Expiry date').fill(day);
  await page.getByRole('button', { name: 'Create the token' }).click();
  const expires = page.getByTestId('token').locator('dt', { hasText: 'Expires' }).locator('xpath=following-sibling::dd/time');
  await expect(expires).toHaveAttribute('datetime', new RegExp(`^${day}`));
});

test('an empty status region is still in the accessibility tree', async ({ page }, info) => {
  await signUp(page, info, uniqueName('live', info));
  await goto(page, info, '/account/keys');
  const status = page.locator('#keys-status');
  await expect(status).toHaveText('');
  // display:none would take it out of the tree, and its first message would not be read.
  expect(await status.evaluate((e) => getComputedStyle(e).display)).not.toBe('none');
});

/** WCAG contrast ratio between two `#rrggbb` colours. */
function contrast(a: string, b: string): number {
  const luminance = (colour: string) => {
    // #rgb is #rrggbb.
    const hex = colour.length === 4 ? `#${[...colour.slice(1)].map((c) => c + c).join('')}` : colour;
    const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
    const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(bl);
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

for (const theme of ['light', 'dark']) {
  test(`the focus ring stands out at 3:1 on the page and on cards in the ${theme} theme`, async ({ page, context }, info) => {
    await context.addCookies([{ name: 'theme', value: theme, url: baseURL }]);
    await goto(page, info, '/login');
    const colours = await page.evaluate(() => {
      const style = getComputedStyle(document.documentElement);
      return ['--focus', '--bg', '--surface'].map((v) => style.getPropertyValue(v).trim());
    });
    const [focus, bg, surface] = colours;
    expect(contrast(focus, bg), `focus ${focus} on ${bg}`).toBeGreaterThanOrEqual(3);
    expect(contrast(focus, surface), `focus ${focus} on ${surface}`).toBeGreaterThanOrEqual(3);
  });

  for (const lang of ['en', 'fr']) {
    test(`every tab and the 404 pass axe in the ${theme} theme, in ${lang}`, async ({ page }, info) => {
      test.skip(!isHydrated(info), 'axe-core needs JavaScript in the page');
      await signUp(page, info, uniqueName(`axetabs${theme}${lang}`, info));
      const saved = await page.request.post('/api/preferences', { form: { theme, lang } });
      expect(saved.ok()).toBe(true);
      const paths = ['/account', '/account/authorization', '/account/keys', '/account/tokens', '/account/integrations', '/account/hds', '/account/referrals', '/account/billing', '/account/timeline', '/account/nope'];
      for (const path of paths) {
        await goto(page, info, path);
        await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
        await expect(page.locator('.loading')).toHaveCount(0);
        const results = await new AxeBuilder({ page }).analyze();
        expect(results.violations, `${path} (${theme}, ${lang}): ${JSON.stringify(results.violations, null, 2)}`).toEqual([]);
      }
      // An error state, an open confirmation and the open menu.
      await goto(page, info, '/account/keys');
      await page.locator('#add-key button[type=submit]').click();
      await expect(page.locator('#field-key_name-error')).toBeVisible();
      await page.locator('summary.avatar').click();
      const refused = await new AxeBuilder({ page }).analyze();
      expect(refused.violations, `keys refused, menu open (${theme}, ${lang}): ${JSON.stringify(refused.violations, null, 2)}`).toEqual([]);
      // The same pages as a browser without JavaScript gets them: the server's HTML with the
      // app's script and WASM held back (axe itself still runs, injected by the test).
      await page.route('**/pkg/**', (route) => route.abort());
      for (const path of paths) {
        await page.goto(path);
        await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(0);
        const results = await new AxeBuilder({ page }).analyze();
        expect(results.violations, `${path} without JS (${theme}, ${lang}): ${JSON.stringify(results.violations, null, 2)}`).toEqual([]);
      }
    });
  }
}
