// User administration under 三员分立: the system administrator (xitong) creates an account — a
// form error in Chinese first, then a good one, listed as 待分配角色 — and the security
// administrator (anquan) gives it its role.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertSees, launch, newPage, signIn, visibleText, visit } from '../lib.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('create a user: a bad org code is refused in Chinese keeping what was typed, a good one is listed; anquan assigns its role', async () => {
  const page = await newPage(browser);
  await signIn(page, 'xitong');
  await visit(page, '/admin/users');
  await assertSees(page, '用户管理', 'main h1');
  const listed = Number((await visibleText(page, 'main .pagination')).match(/共 (\d+) 条/)[1]);
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: '新增', exact: true }).click()]);
  assert.equal(new URL(page.url()).pathname, '/admin/users/new');
  await assertSees(page, '新增用户', 'main h1');
  assert.equal(await page.locator('#fld-role').count(), 0, 'the system administrator assigns no role');

  const username = `e2e_${Date.now().toString(36)}`;
  const name = '测试村干部';
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('姓名').fill(name);
  await page.getByLabel('所属单位').fill('990101999999');
  await page.getByLabel('初始密码').fill('Cungan@2026xc');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '保存' }).click()]);

  assert.equal(new URL(page.url()).pathname, '/admin/users/new', 'the form comes back');
  assert.equal(await visibleText(page, 'main [role=alert]'), '所属单位 990101999999 不存在或不在您的管辖范围内');
  assert.equal(await page.getByLabel('用户名').inputValue(), username, 'the typed user name is kept');
  assert.equal(await page.getByLabel('姓名').inputValue(), name, 'the typed name is kept');
  assert.equal(await page.getByLabel('所属单位').inputValue(), '990101999999');

  await page.getByLabel('所属单位').fill('990101001001');
  await page.getByLabel('初始密码').fill('Cungan@2026xc');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '保存' }).click()]);
  assert.equal(new URL(page.url()).pathname, '/admin/users', 'saved: back to the list');
  const rowOf = (pg) => pg.locator('main table.data tbody tr', { has: pg.locator('td:first-child', { hasText: username }) });
  assert.equal(await rowOf(page).count(), 1, `${username} is in the list`);
  const cells = (await rowOf(page).locator('td').allInnerTexts()).map((s) => s.trim());
  assert.deepEqual(cells, [username, name, '待分配角色', '王家庄村（990101001001）', '正常']);
  await assertSees(page, `共 ${listed + 1} 条`, 'main .pagination');
  await page.context().close();

  // The security administrator opens the account and gives it 村级用户.
  const sec = await newPage(browser);
  await signIn(sec, 'anquan');
  await visit(sec, '/admin/users');
  await Promise.all([sec.waitForNavigation(), rowOf(sec).locator('td:first-child a').click()]);
  await sec.getByLabel('角色').selectOption({ label: '村级用户' });
  await Promise.all([sec.waitForNavigation(), sec.getByRole('button', { name: '保存' }).click()]);
  assert.equal(new URL(sec.url()).pathname, '/admin/users');
  const after = (await rowOf(sec).locator('td').allInnerTexts()).map((s) => s.trim());
  assert.equal(after[2], '村级用户', 'the role is assigned');
  await sec.context().close();
});
