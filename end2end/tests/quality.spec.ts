import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { baseURL } from '../playwright.config';
import { goto, isHydrated, signUp, uniqueName } from './helpers';

// One test per theme and page group (not one long walk), so each stays well inside the timeout
// on a slow machine: every axe run takes a second or more.
for (const theme of ['light', 'dark']) {
  test(`no accessibility violations on the signed-out pages in the ${theme} theme`, async ({ page, context }, info) => {
    // axe is JavaScript injected into the page; the server's HTML is the same in both projects.
    test.skip(!isHydrated(info), 'axe-core needs JavaScript in the page');
    await context.addCookies([{ name: 'theme', value: theme, url: baseURL }]);
    for (const path of ['/login', '/signup', '/password/forgot', '/password/reset?token=x']) {
      await goto(page, info, path);
      const results = await new AxeBuilder({ page }).analyze();
      expect(results.violations, `${path} (${theme})`).toEqual([]);
    }
  });

  for (const lang of ['en', 'fr']) {
    // The Basic information tab, with an error showing and the menu open.
    test(`no accessibility violations on the account in the ${theme} theme, in ${lang}`, async ({ page }, info) => {
      test.skip(!isHydrated(info), 'axe-core needs JavaScript in the page');
      await signUp(page, info, uniqueName(`axe${theme}${lang}`, info));
      const saved = await page.request.post('/api/preferences', { form: { theme, lang } });
      expect(saved.ok()).toBe(true);
      await goto(page, info, '/account');
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      const account = await new AxeBuilder({ page }).analyze();
      expect(account.violations, `/account (${theme}, ${lang})`).toEqual([]);
      await page.locator('#field-company').fill('c'.repeat(120));
      await page.locator('#profile button[type=submit]').click();
      await expect(page.locator('#field-company-error')).toBeVisible();
      const refused = await new AxeBuilder({ page }).analyze();
      expect(refused.violations, `/account with errors (${theme}, ${lang})`).toEqual([]);
      await page.locator('summary.avatar').click();
      const menu = await new AxeBuilder({ page }).analyze();
      expect(menu.violations, `/account menu (${theme}, ${lang})`).toEqual([]);
    });
  }
}

test('pages hydrate with no console errors or CSP violations', async ({ page }, info) => {
  test.skip(!isHydrated(info), 'JavaScript is off in this project');
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await goto(page, info, '/login');
  await goto(page, info, '/signup');
  await goto(page, info, '/password/forgot');
  await signUp(page, info, uniqueName('hyd', info));
  expect(problems).toEqual([]);
  // The 404 page hydrates too (its only console line is the browser reporting the 404 status).
  await goto(page, info, '/no-such-page');
  expect(problems.filter((p) => !p.includes('status of 404'))).toEqual([]);
});

test('a 360 px wide phone needs no sideways scrolling', async ({ page }, info) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await signUp(page, info, uniqueName('phone', info));
  for (const path of ['/account', '/login?next=/account']) {
    if (path.startsWith('/login')) await page.context().clearCookies();
    await goto(page, info, path);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, path).toBeLessThanOrEqual(360);
  }
});

test('the busy state shows while a form is submitted', async ({ page }, info) => {
  test.skip(!isHydrated(info), 'the busy label needs JavaScript');
  await goto(page, info, '/login');
  await page.getByLabel('Username or e-mail').fill('someone');
  await page.getByLabel('Password').fill('whatever it is');
  // Record every state of the button into window.name, which survives the navigation.
  await page.evaluate(() => {
    const button = document.querySelector('form[action="/login"] button');
    window.name = '';
    new MutationObserver(() => (window.name += `${button?.outerHTML}\n`)).observe(button!, {
      attributes: true,
      childList: true,
      subtree: true,
      characterData: true,
    });
  });
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('incorrect');
  const states = await page.evaluate(() => window.name);
  expect(states).toContain('data-busy="true"');
  expect(states).toContain('aria-disabled="true"');
  expect(states).toContain('Signing in…');
});
