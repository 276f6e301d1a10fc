// Scope: a village user sees its own village and nothing outside it (404, not 403).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertSees, launch, newPage, signIn, visibleText, visit } from '../lib.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('as cungan, another township\'s village is a 404 page with 未找到该记录', async () => {
  const page = await newPage(browser);
  await signIn(page, 'cungan');
  await assertSees(page, '王家庄村 · 工作台', 'main h1');
  const res = await visit(page, '/org-units/990101002001', { okStatus: () => true });
  assert.equal(res.status(), 404);
  await assertSees(page, '未找到该记录', 'main');
  await assertSees(page, '404', 'main h1');
  assert.ok(!(await visibleText(page)).includes('990101002'), 'the page does not reveal what was asked for beyond the URL');
  await page.context().close();
});

test('as cungan, the org list holds only 王家庄村 and its four grids', async () => {
  const page = await newPage(browser);
  await signIn(page, 'cungan');
  await visit(page, '/org-units');
  await assertSees(page, '共 5 条', 'main .pagination');
  const names = (await page.locator('main table.data tbody tr td:nth-child(2)').allInnerTexts()).map((s) => s.trim());
  assert.deepEqual(names, ['王家庄村', '第一网格', '第二网格', '第三网格', '第四网格']);
  // Its own village is there, with the breadcrumb above it not linking out of scope.
  await visit(page, '/org-units/990101001001');
  await assertSees(page, '王家庄村', 'main h1');
  assert.equal(await page.locator('main .breadcrumb a', { hasText: '青山镇' }).count(), 0,
    '青山镇 is above cungan\'s scope: shown as text, not a link');
  await page.context().close();
});
