import AxeBuilder from '@axe-core/playwright';
import { expect, Page, test, TestInfo } from '@playwright/test';
import { readFileSync } from 'node:fs';
import {
  expectSameDocument,
  goto,
  isHydrated,
  markDocument,
  openMenu,
  PASSWORD,
  publishDocument,
  ready,
  signIn,
  signOut,
  signUp,
  uniqueName,
} from './helpers';

const events = (page: Page) => page.locator('.event-list .event');

async function openTimeline(page: Page, info: TestInfo) {
  await page.getByRole('link', { name: 'Timeline' }).click();
  await expect(page).toHaveURL(/\/account\/timeline$/);
  await ready(page, info);
  await expect(page.getByRole('heading', { level: 2, name: 'Timeline' })).toBeVisible();
}

/** Everything a user does on the way in: sign-up, sign-out, a failed and a good sign-in, edits. */
async function liveALittle(page: Page, info: TestInfo): Promise<string> {
  const name = uniqueName('tl', info);
  await signUp(page, info, name);
  await signOut(page, info);
  await signIn(page, name, 'not the password');
  await ready(page, info);
  await signIn(page, name, PASSWORD);
  await expect(page).toHaveURL(/\/account$/);
  await ready(page, info);
  await page.getByLabel('Location').fill('Nantes');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.locator('#profile').getByRole('status')).toContainText('Saved');
  await ready(page, info);
  return name;
}

test('the timeline shows what the user did, as sentences, and filters by category', async ({ page }, info) => {
  await liveALittle(page, info);
  // A preference and a legal document too (an optional one, so other tests' sign-ups are not
  // asked to accept it).
  await openMenu(page);
  await page.getByRole('button', { name: 'Dark' }).click();
  await ready(page, info);
  const version = `tl-${info.project.name}-${Date.now()}`;
  publishDocument('dpa', version, false);
  await goto(page, info, '/account');
  await page.locator('#documents tr', { hasText: version }).getByRole('button', { name: /Accept/ }).click();
  if (!isHydrated(info)) await page.waitForLoadState('load');
  await ready(page, info);
  await expect(page.locator('#documents').getByRole('status')).toHaveText('Accepted. Thank you.');
  await markDocument(page);
  await openTimeline(page, info);
  await expectSameDocument(page, info);
  for (const sentence of [
    `Data Processing Agreement, version ${version}: accepted (in English)`,
    'Preferences changed (theme: dark)',
    'Profile updated (location)',
    /^Signed in from [\d.:a-f]+/,
    /^Failed sign-in attempt from/,
    'Signed out',
    'Account created',
  ]) {
    await expect(events(page).filter({ hasText: sentence }).first()).toBeVisible();
  }
  await expect(events(page).first()).toContainText('Data Processing Agreement');
  await expect(events(page).first().locator('time')).toHaveText('just now');
  await expect(events(page).first().locator('time')).toHaveAttribute('title', /\d{4} at \d\d:\d\d \(UTC/);

  await page.getByLabel('Category').selectOption('security');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/\/account\/timeline\?category=security/);
  await ready(page, info);
  await expect(events(page).filter({ hasText: 'Profile updated' })).toHaveCount(0);
  await expect(events(page).filter({ hasText: 'Signed out' })).toHaveCount(1);
  await expectSameDocument(page, info);
  // The filtered view is a URL: it reloads as it was.
  await page.reload();
  await expect(page.getByLabel('Category')).toHaveValue('security');
  await expect(events(page).filter({ hasText: 'Profile updated' })).toHaveCount(0);

  // A reversed period is refused on its field, with nothing lost.
  await page.getByLabel('From').fill('2026-02-01');
  await page.getByLabel('To').fill('2026-01-01');
  await page.getByRole('button', { name: 'Show' }).click();
  await ready(page, info);
  await expect(page.locator('#field-to-error')).toHaveText(/must come before its end/);
  await expect(page.getByLabel('From')).toHaveValue('2026-02-01');
  await page.getByRole('link', { name: 'Clear filters' }).click();
  await ready(page, info);
  await expect(page.getByLabel('Category')).toHaveValue('');
  await expect(events(page).filter({ hasText: 'Profile updated' })).toHaveCount(1);
});

test('older and newer pages, and "older events" appends in place with JavaScript', async ({ page }, info) => {
  await signUp(page, info, uniqueName('pages', info));
  // 60 newsletter choices: more than a page.
  for (let i = 0; i < 60; i++) {
    const response = await page.request.post('/api/account/newsletter', { form: { subscribed: String(i % 2 === 0) } });
    expect(response.ok()).toBe(true);
  }
  await goto(page, info, '/account/timeline');
  await markDocument(page);
  await expect(events(page)).toHaveCount(50);
  await expect(page.getByRole('link', { name: 'Newer events' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Older events' }).click();
  await ready(page, info);
  // Sign-up wrote the account's creation, the sign-in and an acceptance for each required
  // document other tests may have published: at least 12 older events, how many more varies.
  if (isHydrated(info)) {
    // Appended below, same document, same URL.
    await expect.poll(() => events(page).count()).toBeGreaterThanOrEqual(62);
    await expect(page).toHaveURL(/\/account\/timeline$/);
    await expectSameDocument(page, info);
  } else {
    await expect(page).toHaveURL(/\/account\/timeline\?before=\d+\.\d+$/);
    await expect.poll(() => events(page).count()).toBeGreaterThanOrEqual(12);
    expect(await events(page).count()).toBeLessThan(50);
  }
  await expect(events(page).last()).toContainText('Account created');
  await expect(page.getByText('There are no older events.')).toBeVisible();
  if (!isHydrated(info)) {
    await page.getByRole('link', { name: 'Newer events' }).click();
    await expect(events(page)).toHaveCount(50);
    await expect(events(page).first()).toContainText('newsletter');
  }
});

test('both exports download the filtered events', async ({ page }, info) => {
  await liveALittle(page, info);
  await goto(page, info, '/account/timeline?category=security');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSV' }).click()]);
  expect(csv.suggestedFilename()).toBe('vestibule-events.csv');
  const text = readFileSync(await csv.path(), 'utf8').replace(/^\uFEFF/, '');
  const lines = text.trim().split('\r\n');
  expect(lines[0]).toBe('Time,Event,Type,Category,Address,Browser');
  // Sign-up, its sign-in, the sign-out, the failure, the sign-in: all "sign-in and security".
  expect(lines.length).toBe(6);
  expect(lines.some((l) => l.includes('Failed sign-in attempt'))).toBe(true);
  expect(lines.some((l) => l.includes('Profile updated'))).toBe(false);

  const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'JSON' }).click()]);
  const exported = JSON.parse(readFileSync(await json.path(), 'utf8'));
  expect(exported.events.map((e: { type: string }) => e.type)).toEqual([
    'login_success',
    'login_failure',
    'logout',
    'login_success',
    'new_user',
  ]);
});

test('back and forward move between Basic information and Timeline without a reload', async ({ page }, info) => {
  test.skip(!isHydrated(info), 'the same-document check needs JavaScript');
  await signUp(page, info, uniqueName('nav', info));
  await markDocument(page);
  await openTimeline(page, info);
  await page.getByRole('link', { name: 'Basic information' }).click();
  await expect(page.getByLabel('Location')).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(/\/account\/timeline$/);
  await expect(events(page).first()).toBeVisible();
  await page.goForward();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('link', { name: 'Basic information' })).toHaveAttribute('aria-current', 'page');
  await expectSameDocument(page, info);
});

for (const theme of ['light', 'dark']) {
  test(`the timeline has no accessibility violations in the ${theme} theme`, async ({ page }, info) => {
    test.skip(!isHydrated(info), 'axe-core needs JavaScript in the page');
    await signUp(page, info, uniqueName(`tlaxe${theme}`, info));
    const saved = await page.request.post('/api/preferences', { form: { theme } });
    expect(saved.ok()).toBe(true);
    await goto(page, info, '/account/timeline');
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations, `/account/timeline (${theme})`).toEqual([]);
    await goto(page, info, '/account/timeline?from=2026-13-01');
    const refused = await new AxeBuilder({ page }).analyze();
    expect(refused.violations, `/account/timeline with an error (${theme})`).toEqual([]);
  });
}

test('a page of the timeline from someone else is just the first page', async ({ page }, info) => {
  await signUp(page, info, uniqueName('cursor', info));
  // A cursor that is not this account's (or not anyone's) positions nothing foreign.
  await goto(page, info, '/account/timeline?before=99999999999.999999');
  await expect(events(page).first()).toBeVisible();
  await goto(page, info, '/account/timeline?before=not-a-cursor');
  await expect(events(page).first()).toContainText(/Signed in|Account created/);
});
