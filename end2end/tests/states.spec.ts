import { expect, test } from '@playwright/test';
import { goto, isHydrated, openMenu, signUp, uniqueName } from './helpers';

// Words and states: what the page says while it works, after it worked, and when it failed.

test('an HTTP 500 says the server failed, not that it could not be reached', async ({ page }, info) => {
  test.skip(!isHydrated(info), 'without JavaScript the browser shows the answer itself');
  await signUp(page, info, uniqueName('err500', info));
  // A proxy's error page in place of the app's JSON.
  await page.route('**/api/**', (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({ status: 500, contentType: 'text/html', body: '<h1>500 Internal Server Error</h1>' })
      : route.continue(),
  );
  await page.getByLabel('Location').fill('Nantes');
  await page.getByRole('button', { name: 'Save profile', exact: true }).click();
  const summary = page.locator('#profile').getByRole('alert');
  await expect(summary).toContainText('Something went wrong on our side.');
  await expect(summary).not.toContainText('could not be reached');
  // What was typed is still there.
  await expect(page.getByLabel('Location')).toHaveValue('Nantes');
});

test('the error summary names the field of each error', async ({ page }, info) => {
  await goto(page, info, '/signup');
  await page.getByRole('button', { name: 'Create account' }).click();
  const summary = page.getByRole('alert');
  await expect(summary).toContainText('Username: ');
  await expect(summary).toContainText('E-mail address: ');
  await expect(summary).toContainText('Password: ');
});

test('Timeline filters: a clean URL, a busy state and the number of events announced', async ({ page }, info) => {
  await signUp(page, info, uniqueName('filters', info));
  await goto(page, info, '/account/timeline');
  // Announced after a change in the page; a page just opened is read from its top.
  const shown = page.getByTestId('events-shown');
  await expect(shown).toHaveText('');
  if (isHydrated(info)) {
    // Record every state of the submit button (the form is rebuilt for new filters, so watch
    // the card around it) into window.name while the filter applies.
    await page.evaluate(() => {
      const card = document.querySelector('#timeline');
      window.name = '';
      const record = () => (window.name += `${card?.querySelector('.filters button[type=submit]')?.outerHTML}\n`);
      new MutationObserver(record).observe(card!, {
        attributes: true,
        childList: true,
        subtree: true,
        characterData: true,
      });
    });
  }
  await page.getByLabel('Category').selectOption({ label: 'Billing' });
  await page.getByRole('button', { name: 'Show', exact: true }).click();
  await expect(page).toHaveURL(/\/account\/timeline\?category=billing&from=&to=$/);
  if (isHydrated(info)) {
    await expect(shown).toHaveText('No events match these filters. Try another category or a wider period.');
    await page.getByLabel('Category').selectOption({ label: 'Sign-in and security' });
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await expect(shown).toHaveText(/^\d+ events? shown\.$/);
    const states = await page.evaluate(() => window.name);
    expect(states).toContain('data-busy="true"');
  }
});

test('a confirmation steps aside once the user does something else', async ({ page }, info) => {
  test.skip(!isHydrated(info), 'without JavaScript each form answers with a new page');
  await signUp(page, info, uniqueName('linger', info));
  await page.getByRole('button', { name: 'Save profile', exact: true }).click();
  const nothing = page.getByText('Nothing to save: no field has changed.');
  await expect(nothing).toBeVisible();
  await page.getByRole('button', { name: 'Subscribe', exact: true }).click();
  await expect(page.getByText('You are now subscribed to the newsletter.')).toBeVisible();
  await expect(nothing).toHaveCount(0);
  // Switching the language translates what shows, and brings back nothing that stepped aside.
  await openMenu(page);
  await page.getByRole('button', { name: 'Français' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByText('Rien à enregistrer : aucun champ n’a changé.')).toHaveCount(0);
});
