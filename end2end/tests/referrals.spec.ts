import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { expectFocused, goto, isHydrated, signUp, uniqueName } from './helpers';

test('Referrals: the link counts a click, brings a sign-up, and the referee shows masked', async ({ page, browser }, info) => {
  const name = uniqueName('ref', info);
  await signUp(page, info, name);
  await goto(page, info, '/account/referrals');
  await expect(page.getByTestId('no-referees')).toBeVisible();
  await expect(page.getByTestId('referral-clicks')).toHaveText('0');
  const url = await page.getByTestId('referral-url').inputValue();
  expect(url).toMatch(/\/r\/[a-z2-9]{10}$/);
  if (isHydrated(info)) {
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations, JSON.stringify(results.violations, null, 2)).toEqual([]);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByRole('button', { name: 'Copy the link' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Link copied.' })).toBeVisible();
    await expectFocused(page, info, '#referral-copied');
  } else {
    await expect(page.getByRole('button', { name: 'Copy the link' })).toHaveCount(0);
  }

  // Someone else follows the link in their own browser and signs up there.
  const visitor = await browser.newContext({ javaScriptEnabled: isHydrated(info) });
  const tab = await visitor.newPage();
  await tab.goto(new URL(url).pathname);
  await expect(tab).toHaveURL(/\/signup$/);
  const referee = uniqueName('referee', info);
  await signUp(tab, info, referee);
  await visitor.close();

  await goto(page, info, '/account/referrals');
  await expect(page.getByTestId('referral-clicks')).toHaveText('1');
  await expect(page.getByTestId('referral-signups')).toHaveText('1');
  const row = page.getByTestId('referee-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(`${referee[0]}***${referee[referee.length - 1]}`);
  await expect(row).not.toContainText(referee);
});
