import { expect, Page, test } from '@playwright/test';
import { expectSameDocument, goto, isHydrated, markDocument, signUp, uniqueName } from './helpers';

// Each page's view is a WASM chunk of its own (`#[lazy_route]`, `cargo leptos build --split`),
// named after its route: `split___keys_route_view_<hash>.<digest>.wasm`.
const TABS = [
  { path: '/account', link: 'Basic information', chunk: 'basic', shows: 'Username' },
  { path: '/account/authorization', link: 'Authentication', chunk: 'auth', shows: 'Current password' },
  { path: '/account/keys', link: 'SSH keys', chunk: 'keys', shows: 'Public key' },
  { path: '/account/tokens', link: 'API tokens', chunk: 'tokens', shows: 'Expires' },
  { path: '/account/integrations', link: 'SCM integrations', chunk: 'integrations', shows: 'Server address' },
  { path: '/account/hds', link: 'Health data', chunk: 'hds', shows: 'Phone number' },
  { path: '/account/referrals', link: 'Referrals', chunk: 'referrals', shows: 'Referral link' },
  { path: '/account/billing', link: 'Billing', chunk: 'billing', shows: 'Name on invoices' },
  { path: '/account/timeline', link: 'Timeline', chunk: 'timeline', shows: 'From' },
];

/** Every WASM file the page asks for from now on, in order. */
function recordWasm(page: Page): string[] {
  const fetched: string[] = [];
  page.on('request', (request) => {
    const name = new URL(request.url()).pathname.split('/').pop() ?? '';
    if (name.endsWith('.wasm')) fetched.push(name);
  });
  return fetched;
}

const routeChunk = (name: string) => new RegExp(`^split___${name}_route_view_`);
const tabChunksIn = (fetched: string[]) =>
  TABS.filter((tab) => fetched.some((file) => routeChunk(tab.chunk).test(file))).map((tab) => tab.chunk);

test('the sign-in and sign-up pages download no tab code', async ({ page }, info) => {
  test.skip(!isHydrated(info), 'without JavaScript no WASM is fetched at all');
  const fetched = recordWasm(page);
  await goto(page, info, '/login');
  expect(fetched.some((file) => routeChunk('login').test(file)), fetched.join(', ')).toBe(true);
  await goto(page, info, '/signup');
  expect(fetched.some((file) => routeChunk('signup').test(file)), fetched.join(', ')).toBe(true);
  expect(tabChunksIn(fetched)).toEqual([]);
});

test("a tab's chunk is fetched when the tab is first shown, and moving between tabs never reloads", async ({
  page,
}, info) => {
  test.skip(!isHydrated(info), 'chunks and the same-document check need JavaScript');
  await signUp(page, info, uniqueName('split', info));
  // A direct visit, in a fresh page: the shell and the visited tab's chunk only.
  const fresh = await page.context().newPage();
  const fetched = recordWasm(fresh);
  await goto(fresh, info, '/account/keys');
  await expect(fresh.getByLabel('Public key')).toBeVisible();
  expect(tabChunksIn(fetched)).toEqual(['keys']);

  // The mouse rests on nothing yet: no link has asked for its chunk.
  await markDocument(fresh);
  for (const tab of TABS.filter((t) => t.chunk !== 'keys')) {
    expect(tabChunksIn(fetched), `${tab.chunk} before its link was used`).not.toContain(tab.chunk);
    await fresh.getByRole('link', { name: tab.link, exact: true }).click();
    await expect(fresh).toHaveURL(new RegExp(`${tab.path}$`));
    await expect(fresh.getByLabel(tab.shows, { exact: true }).first()).toBeVisible();
    expect(tabChunksIn(fetched), `${tab.chunk} once shown`).toContain(tab.chunk);
    await expect(fresh.getByRole('link', { name: tab.link, exact: true })).toHaveAttribute('aria-current', 'page');
  }
  expect(tabChunksIn(fetched).sort()).toEqual(TABS.map((t) => t.chunk).sort());
  // Each chunk was fetched once, however many times its tab was shown.
  const chunkFetches = fetched.filter((file) => file.startsWith('split___'));
  expect(new Set(chunkFetches).size, chunkFetches.join(', ')).toBe(chunkFetches.length);

  // Back through every tab visited, then forward again, in the same document.
  const visited = ['keys', ...TABS.filter((t) => t.chunk !== 'keys').map((t) => t.chunk)];
  const byChunk = (chunk: string) => TABS.find((t) => t.chunk === chunk)!;
  for (const chunk of visited.slice(0, -1).reverse()) {
    await fresh.goBack();
    await expect(fresh).toHaveURL(new RegExp(`${byChunk(chunk).path}$`));
    await expect(fresh.getByLabel(byChunk(chunk).shows, { exact: true }).first()).toBeVisible();
  }
  for (const chunk of visited.slice(1)) {
    await fresh.goForward();
    await expect(fresh).toHaveURL(new RegExp(`${byChunk(chunk).path}$`));
    await expect(fresh.getByLabel(byChunk(chunk).shows, { exact: true }).first()).toBeVisible();
  }
  await expectSameDocument(fresh, info);
});

test("a tab link's chunk is fetched as soon as the link is hovered or focused", async ({ page }, info) => {
  test.skip(!isHydrated(info), 'chunks need JavaScript');
  await signUp(page, info, uniqueName('prefetch', info));
  const fresh = await page.context().newPage();
  const fetched = recordWasm(fresh);
  await goto(fresh, info, '/account');
  expect(tabChunksIn(fetched)).toEqual(['basic']);
  await fresh.getByRole('link', { name: 'Timeline', exact: true }).hover();
  await expect.poll(() => tabChunksIn(fetched)).toContain('timeline');
  await fresh.getByRole('link', { name: 'API tokens', exact: true }).focus();
  await expect.poll(() => tabChunksIn(fetched)).toContain('tokens');
  // Nothing was clicked: still the Basic information tab.
  await expect(fresh).toHaveURL(/\/account$/);
});

test("a tab whose chunk cannot be fetched still opens, as a page of its own, and the page works on", async ({
  page,
}, info) => {
  test.skip(!isHydrated(info), 'chunks need JavaScript');
  await signUp(page, info, uniqueName('lost-chunk', info));
  await goto(page, info, '/account');
  await markDocument(page);
  // From now on every WASM file fails, as when the server was upgraded since the page loaded
  // (the old build's chunks are gone) or the connection dropped.
  await page.route(/\/pkg\/.*\.wasm$/, (route) => route.abort());
  await page.getByRole('link', { name: 'Timeline', exact: true }).click();
  await expect(page).toHaveURL(/\/account\/timeline$/);
  await expect(page.getByLabel('From')).toBeVisible();
  const same = await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true);
  expect(same, 'the tab was loaded as a new page').toBe(false);
  // This page's own WASM could not be fetched either: it works as without JavaScript.
  await page.getByRole('link', { name: 'SSH keys', exact: true }).click();
  await expect(page).toHaveURL(/\/account\/keys$/);
  await expect(page.getByLabel('Public key')).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(/\/account\/timeline$/);
  await expect(page.getByLabel('From')).toBeVisible();
});

test("each page's HTML names its own route's chunks, the same every time, however many render at once", async ({
  page,
}, info) => {
  test.skip(!isHydrated(info), 'the same HTML either way: checked once');
  await signUp(page, info, uniqueName('preload', info));
  const preloads = async (path: string) => {
    const response = await page.request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(200);
    // The page's script preloads them once the page is painted: `const chunks=[…]`.
    const html = await response.text();
    const list = html.match(/const chunks=(\[[^\]]*\])/);
    expect(list, `${path}: the chunk list`).not.toBeNull();
    return (JSON.parse(list![1]) as string[]).map((href) => href.split('/').pop()!);
  };
  for (const tab of TABS) {
    // Ten renders of the tab at once, each with another tab rendering beside it (a changing
    // query string renders the page anew).
    const others = TABS.filter((t) => t !== tab);
    const lists = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const [mine] = await Promise.all([
          preloads(`${tab.path}?render=${i}`),
          preloads(`${others[i % others.length].path}?render=${i}`),
        ]);
        return mine;
      }),
    );
    const routes = (list: string[]) =>
      TABS.filter((t) => list.some((file) => routeChunk(t.chunk).test(file))).map((t) => t.chunk);
    for (const list of lists) {
      expect(routes(list), tab.path).toEqual([tab.chunk]);
      expect(new Set(list).size, `${tab.path}: each chunk once`).toBe(list.length);
      expect([...list].sort(), tab.path).toEqual([...lists[0]].sort());
    }
  }
});
