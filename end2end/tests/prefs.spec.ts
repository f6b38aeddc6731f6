import { expect, test } from '@playwright/test';
import { goto, isHydrated, openMenu, ready, signUp, uniqueName } from './helpers';

test('theme switches from the sign-in page and survives a reload', async ({ page }, info) => {
  await goto(page, info, '/login');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'system');
  await page.getByRole('button', { name: 'Dark' }).click();
  await ready(page, info);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByRole('button', { name: 'Dark' })).toHaveAttribute('aria-pressed', 'true');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background).toBe('rgb(20, 23, 27)');
});

test('language switches from the sign-in page and survives a reload', async ({ page }, info) => {
  await goto(page, info, '/login?next=/account');
  await page.getByRole('button', { name: 'Français' }).click();
  await ready(page, info);
  await expect(page).toHaveURL(/\/login\?next=\/account$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Connexion');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Connexion');
  await expect(page.getByLabel('Nom d’utilisateur ou e-mail')).toBeVisible();
});

test('without a cookie, the language follows the browser', async ({ browser }, info) => {
  const context = await browser.newContext({ locale: 'fr-FR', javaScriptEnabled: info.project.name === 'hydrated' });
  const page = await context.newPage();
  await page.goto('/login');
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('button', { name: 'Se connecter', exact: true })).toBeVisible();
  await context.close();
});

test('theme and language switch from the account menu', async ({ page }, info) => {
  await signUp(page, info, uniqueName('prefs', info));
  await openMenu(page);
  await page.getByRole('button', { name: 'Dark' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await ready(page, info);
  // With JavaScript the switch happens in place and the menu stays open.
  if (!isHydrated(info)) await openMenu(page);
  await page.getByRole('button', { name: 'Français' }).click();
  await ready(page, info);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Paramètres du compte');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByRole('link', { name: 'Informations générales' })).toBeVisible();
});
