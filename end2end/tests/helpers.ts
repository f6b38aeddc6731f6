import { expect, Page, TestInfo } from '@playwright/test';

export const PASSWORD = 'a long and unusual passphrase';

/** A username no other test (or project) uses. */
export function uniqueName(prefix: string, info: TestInfo): string {
  const random = Math.random().toString(36).slice(2, 8);
  return `${prefix}-${info.project.name}-${random}`.slice(0, 30);
}

export function isHydrated(info: TestInfo): boolean {
  return info.project.name === 'hydrated';
}

/** Once hydrated, interactions go through the WASM app: wait for it before acting. */
export async function ready(page: Page, info: TestInfo) {
  if (isHydrated(info)) {
    await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  }
}

export async function goto(page: Page, info: TestInfo, path: string) {
  await page.goto(path);
  await ready(page, info);
}

export async function signUp(page: Page, info: TestInfo, username: string) {
  await goto(page, info, '/signup');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('E-mail address').fill(`${username}@example.com`);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await ready(page, info);
}

/** Fills in and submits the sign-in form on the current page. */
export async function signIn(page: Page, login: string, password: string) {
  await page.getByLabel('Username or e-mail').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Opens the account menu (the round initials button). */
export async function openMenu(page: Page) {
  await page.locator('summary.avatar').click();
}

export async function signOut(page: Page, info: TestInfo) {
  await openMenu(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login\?notice=signed-out$/);
  await ready(page, info);
}
