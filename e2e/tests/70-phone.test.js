// A phone (375×812): the ☰ menu, and no sideways scrolling on the main pages.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PHONE, assertNoHorizontalScroll, assertSees, launch, newPage, signIn, visit } from '../lib.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('on a phone the ☰ button opens the left menu, and a menu link goes to its page', async () => {
  const page = await newPage(browser, PHONE);
  await signIn(page, 'admin');
  const menu = page.locator('nav.sidebar');
  assert.equal(await menu.isVisible(), false, 'the menu is folded away on a phone');
  const button = page.locator('header').getByText('☰');
  assert.ok(await button.isVisible(), 'the ☰ button is shown on a phone');
  await button.click();
  await menu.waitFor({ state: 'visible' });
  const link = menu.getByRole('link', { name: '行政区划' });
  assert.ok(await link.isVisible());
  const box = await menu.boundingBox();
  assert.ok(box.width <= PHONE.width, 'the open menu fits the screen');
  await Promise.all([page.waitForNavigation(), link.click()]);
  assert.equal(new URL(page.url()).pathname, '/org-units');
  await assertSees(page, '行政区划', 'main h1');
  assert.equal(await menu.isVisible(), false, 'the menu is folded again on the new page');
  await page.context().close();
});

test('on a phone the login page has no sideways scroll', async () => {
  const page = await newPage(browser, PHONE);
  await visit(page, '/login');
  await assertSees(page, '用户登录');
  await assertNoHorizontalScroll(page, 'the login page');
  await page.context().close();
});

test('on a phone the dashboard and the org list have no sideways scroll', async () => {
  const page = await newPage(browser, PHONE);
  await signIn(page, 'admin');
  await assertNoHorizontalScroll(page, 'the dashboard');
  await visit(page, '/org-units');
  await assertSees(page, '共', 'main .pagination');
  await assertNoHorizontalScroll(page, 'the org list');
  // The open menu must not widen the page either.
  await page.locator('header').getByText('☰').click();
  await assertNoHorizontalScroll(page, 'the org list with the menu open');
  await page.context().close();
});
