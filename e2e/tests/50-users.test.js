// User administration as the district admin: a form error in Chinese, then a good account.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertSees, launch, newPage, signIn, visibleText, visit } from '../lib.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('create a user: a bad org code is refused in Chinese keeping what was typed, a good one is listed', async () => {
  const page = await newPage(browser);
  await signIn(page, 'admin');
  await visit(page, '/admin/users');
  await assertSees(page, '用户管理', 'main h1');
  const listed = Number((await visibleText(page, 'main .pagination')).match(/共 (\d+) 条/)[1]);
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: '新增', exact: true }).click()]);
  assert.equal(new URL(page.url()).pathname, '/admin/users/new');
  await assertSees(page, '新增用户', 'main h1');

  const username = `e2e_${Date.now().toString(36)}`;
  const name = '测试村干部';
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('姓名').fill(name);
  await page.getByLabel('角色').selectOption({ label: '村级用户' });
  await page.getByLabel('所属单位').fill('990101999999');
  await page.getByLabel('初始密码').fill('Cungan@2026xc');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '保存' }).click()]);

  assert.equal(new URL(page.url()).pathname, '/admin/users/new', 'the form comes back');
  assert.equal(await visibleText(page, 'main [role=alert]'), '所属单位 990101999999 不存在或不在您的管辖范围内');
  assert.equal(await page.getByLabel('用户名').inputValue(), username, 'the typed user name is kept');
  assert.equal(await page.getByLabel('姓名').inputValue(), name, 'the typed name is kept');
  assert.equal(await page.getByLabel('所属单位').inputValue(), '990101999999');
  assert.equal(await page.locator('#fld-role option:checked').innerText(), '村级用户', 'the chosen role is kept');

  await page.getByLabel('所属单位').fill('990101001001');
  await page.getByLabel('初始密码').fill('Cungan@2026xc');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '保存' }).click()]);
  assert.equal(new URL(page.url()).pathname, '/admin/users', 'saved: back to the list');
  const row = page.locator('main table.data tbody tr', { has: page.locator('td:first-child', { hasText: username }) });
  assert.equal(await row.count(), 1, `${username} is in the list`);
  const cells = (await row.locator('td').allInnerTexts()).map((s) => s.trim());
  assert.deepEqual(cells, [username, name, '村级用户', '王家庄村（990101001001）', '正常']);
  await assertSees(page, `共 ${listed + 1} 条`, 'main .pagination');
  await page.context().close();
});
