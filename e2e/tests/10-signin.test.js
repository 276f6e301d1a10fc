// Signing in and out: the login page's error, the dashboard a user lands on, and signing out.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertSees, launch, newPage, signIn, submitLogin, visibleText, visit } from '../lib.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a wrong password shows 用户名或密码错误 and keeps the user name', async () => {
  const page = await newPage(browser);
  await visit(page, '/login');
  await assertSees(page, ['兴村', '用户登录']);
  await submitLogin(page, 'admin', 'not-the-password');
  assert.equal(new URL(page.url()).pathname, '/login', 'a failed sign-in stays on the login page');
  assert.equal(await visibleText(page, '[role=alert]'), '用户名或密码错误');
  assert.equal(await page.getByLabel('用户名').inputValue(), 'admin');
  assert.equal(await page.getByLabel('密码').inputValue(), '', 'the password is never sent back');
  await page.context().close();
});

test('the right password lands on /dashboard showing 兴和区 and the five lines of work', async () => {
  const page = await newPage(browser);
  await signIn(page, 'admin');
  await assertSees(page, '兴和区 · 工作台', 'main h1');
  // The five lines of work, in the welcome card of the main content (not only in the menu).
  await assertSees(page, ['筑先锋堡垒', '抓队伍建设', '做强产业支撑', '深化社会治理', '强化作风建设'], 'main');
  // The district's counts, computed from the org tree: 5 townships, 70 villages, 280 grids.
  const stats = await page.locator('main .stat').evaluateAll((els) =>
    els.map((e) => e.innerText.replace(/\s+/g, ' ').trim()));
  for (const s of ['5 乡镇（街道）', '70 行政村', '280 网格']) {
    assert.ok(stats.includes(s), `the dashboard shows 「${s}」; it shows: ${stats.join(' | ')}`);
  }
  // Who is signed in, in the top bar.
  await assertSees(page, '区级业务管理员', 'header');
  await page.context().close();
});

test('signing out returns to the login page, and /dashboard then redirects to /login', async () => {
  const page = await newPage(browser);
  await signIn(page, 'xiangzhen');
  await assertSees(page, '青山镇 · 工作台', 'main h1');
  await Promise.all([
    page.waitForNavigation(),
    page.getByRole('button', { name: '退出登录' }).click(),
  ]);
  assert.equal(new URL(page.url()).pathname, '/login');
  await assertSees(page, '用户登录');
  await visit(page, '/dashboard');
  assert.equal(new URL(page.url()).pathname, '/login', 'after sign-out /dashboard must send the browser to /login');
  await assertSees(page, '用户登录');
  assert.equal(await page.getByRole('button', { name: '退出登录' }).count(), 0);
  await page.context().close();
});
