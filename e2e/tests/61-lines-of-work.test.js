// The lines of work in the browser: a village secretary takes a practical project from 计划 through
// 开工 to 完成 with the page's buttons; the district opens a mediated dispute and prints its
// 调解协议书 (parties masked, the agreement text, the signature lines); a township clerk scores a
// contestant in the township's 擂台赛 as its judge.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PHONE, assertNoHorizontalScroll, assertSees, launch, newPage, signIn, visibleText, visit } from '../lib.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function state(page) {
  return (await page.locator('[data-testid=record-state]').innerText()).trim();
}

test('a practical project goes from 计划 to 实施中 to 已完成 with its buttons, on a phone', async () => {
  const page = await newPage(browser, PHONE);
  await signIn(page, 'cungan');
  await visit(page, '/branches/projects?status=planned');
  const first = page.locator('main table tbody tr').first().locator('a').first();
  const no = (await first.innerText()).trim();
  assert.match(no, /^SS/, 'the village has a planned project in the demo');
  await Promise.all([page.waitForNavigation(), first.click()]);
  assert.equal(await state(page), '计划');
  await assertNoHorizontalScroll(page, 'a practical project');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '开工' }).click()]);
  assert.equal(await state(page), '实施中');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '完成' }).click()]);
  assert.equal(await state(page), '已完成');
  // Its photos are one tap away.
  await Promise.all([page.waitForNavigation(), page.locator('main dl').getByRole('link', { name: /暂无|个/ }).click()]);
  assert.equal(new URL(page.url()).pathname, '/attachments');
  await assertSees(page, ['附件', no], 'main');
  await page.context().close();
});

test('a mediated dispute prints its 调解协议书 with the parties masked', async () => {
  const page = await newPage(browser);
  await signIn(page, 'admin');
  await visit(page, '/governance/disputes?status=concluded');
  await assertSees(page, '矛盾纠纷排查化解', 'main h1');
  const rows = page.locator('main table tbody tr');
  assert.ok((await rows.count()) > 0, 'the demo has concluded disputes');
  // The first concluded dispute that has an agreement.
  let found = false;
  for (let i = 0; i < Math.min(await rows.count(), 10) && !found; i++) {
    await visit(page, '/governance/disputes?status=concluded');
    const link = page.locator('main table tbody tr').nth(i).locator('a[href^="/governance/disputes/"]').first();
    await Promise.all([page.waitForNavigation(), link.click()]);
    const agreement = page.getByRole('link', { name: '调解协议书' });
    if (await agreement.count()) {
      await Promise.all([page.waitForNavigation(), agreement.click()]);
      found = true;
    }
  }
  assert.ok(found, 'a concluded dispute with an agreement');
  await assertSees(page, ['人民调解协议书', '经调解，自愿达成如下协议', '人民调解员（签名）'], 'main');
  for (const id of await page.locator('[data-testid=party-id]').allInnerTexts()) {
    assert.match(id.trim(), /^\d{4}\*{10}[\dX]{4}$/, `a party's ID number is masked: ${id}`);
  }
  // On screen the tools above the agreement show; on paper only the agreement does.
  const tools = page.locator('.no-print').first();
  assert.ok(await tools.isVisible(), 'the tools show on screen');
  await page.emulateMedia({ media: 'print' });
  assert.ok(!(await tools.isVisible()), 'the tools are not printed');
  assert.ok((await visibleText(page, 'main')).includes('人民调解协议书'));
  await page.context().close();
});

test('a judge scores a contestant in the township 擂台赛 and the ranking shows the score', async () => {
  const page = await newPage(browser);
  await signIn(page, 'xiangzhen');
  await visit(page, '/branches/contests');
  await assertSees(page, '擂台赛', 'main h1');
  const scoring = page.locator('main table tbody tr', { hasText: '评分中' }).first();
  assert.ok(await scoring.count(), 'the township has a contest being scored in the demo');
  await Promise.all([page.waitForNavigation(), scoring.locator('a').first().click()]);
  const inputs = page.locator('main form input[type=number]');
  const n = await inputs.count();
  assert.ok(n > 0, 'xiangzhen is a judge: the score grid is shown');
  for (let i = 0; i < n; i++) {
    const max = Number((await inputs.nth(i).getAttribute('max')) || '10');
    await inputs.nth(i).fill(String(Math.min(max, 8)));
  }
  await Promise.all([
    page.waitForNavigation(),
    page.locator('main form', { has: page.locator('input[type=number]') }).locator('button[type=submit]').first().click(),
  ]);
  assert.ok((await page.locator('.alert-error').count()) === 0, await visibleText(page, 'main'));
  await assertSees(page, '排名', 'main');
  await page.context().close();
});

test('a village secretary appoints a reserve talent to a post; the pool keeps the history', async () => {
  const page = await newPage(browser);
  await signIn(page, 'cungan');
  await visit(page, '/talent/reserve');
  const first = page.locator('main table tbody tr').first().locator('a[href^="/talent/reserve/"]').first();
  await Promise.all([page.waitForNavigation(), first.click()]);
  await assertSees(page, ['从库中任职', '入库记录'], 'main');
  await page.locator('#fld-post').selectOption('村(居)委会委员');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '任职并出库' }).click()]);
  assert.ok((await page.locator('.alert-error').count()) === 0, await visibleText(page, 'main'));
  // The entry is closed with 任职 as its reason, not deleted; the post is on the person's record.
  const reasons = await page.locator('td[data-label="出库原因"]').allInnerTexts();
  assert.ok(reasons.map((r) => r.trim()).includes('任职'), `出库原因: ${reasons}`);
  await assertSees(page, '村(居)委会委员', 'main');
  assert.equal(await page.getByRole('button', { name: '任职并出库' }).count(), 0, 'no second appointment');
  await page.context().close();
});
