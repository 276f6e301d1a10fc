// The language switch: English and back to Chinese.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertSees, launch, newPage, signIn, visibleText } from '../lib.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the English link shows "Sign out", 中文 switches back', async () => {
  const page = await newPage(browser);
  await signIn(page, 'admin');
  await Promise.all([page.waitForNavigation(), page.locator('header').getByRole('link', { name: 'English' }).click()]);
  assert.equal(new URL(page.url()).pathname, '/dashboard', 'the switch comes back to the same page');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await assertSees(page, 'Sign out', 'header');
  await assertSees(page, ['Org units', 'Change password'], 'nav.sidebar');
  assert.ok(!(await visibleText(page, 'header')).includes('退出登录'));

  await Promise.all([page.waitForNavigation(), page.locator('header').getByRole('link', { name: '中文' }).click()]);
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
  await assertSees(page, '退出登录', 'header');
  await assertSees(page, ['行政区划', '修改密码'], 'nav.sidebar');
  assert.ok(!(await visibleText(page, 'header')).includes('Sign out'));
  await page.context().close();
});
