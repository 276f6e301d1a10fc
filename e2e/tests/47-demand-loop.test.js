// The closed loop of a resident's problem, in a real browser: a villager on a phone (375×812)
// opens the village's public page (no account), files a problem and gets a tracking number;
// the village cadre finds it in 待办 on the desktop, accepts and concludes it; the villager
// opens the tracking page, sees 已办结 and the reply, and gives a verdict that closes it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, PHONE, assertNoHorizontalScroll, assertSees, launch, newPage, screenshots, signIn, visit } from '../lib.js';

const VILLAGE = '990101001001';
let browser;
let trackingNo;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a villager files a problem on the public page from a phone and gets a tracking number', async () => {
  const page = await newPage(browser, PHONE);
  await visit(page, `/v/${VILLAGE}`);
  await assertSees(page, ['有事找谁', '包村领导', '驻村干部', '我要反映问题', '0999-66']);
  await assertNoHorizontalScroll(page, 'the village page');
  await screenshots(page, 'public-village');
  await page.getByLabel('急难愁盼').selectOption({ label: '急' });
  await page.getByLabel('领域').selectOption({ label: '饮水安全' });
  await page.getByLabel('遇到什么问题').fill('村西头自来水管漏水，整条巷子停水');
  await page.getByLabel('联系电话').fill('13900009876');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '提交' }).click()]);
  assert.match(new URL(page.url()).pathname, /^\/t\/SQ\d{8}[0-9A-Z]{6}$/);
  trackingNo = (await page.getByTestId('tracking-no').innerText()).trim();
  assert.match(trackingNo, /^SQ\d{8}[0-9A-Z]{6}$/);
  assert.equal((await page.getByTestId('track-status').innerText()).trim(), '待受理');
  // The phone number is not shown back.
  assert.ok(!(await page.content()).includes('13900009876'));
  await assertNoHorizontalScroll(page, 'the tracking page');
  await page.context().close();
});

test('the village cadre finds it in 待办, accepts and concludes it', async () => {
  assert.ok(trackingNo, 'filed by the previous test');
  const page = await newPage(browser, DESKTOP);
  await signIn(page, 'cungan');
  await visit(page, '/todo');
  await assertSees(page, ['我的待办', trackingNo], 'main');
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: trackingNo }).click()]);
  await assertSees(page, ['村西头自来水管漏水', '待受理'], 'main');
  await page.getByLabel('受理', { exact: true }).check();
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '提交' }).click()]);
  await page.getByTestId('demand-status').filter({ hasText: '办理中' }).waitFor();
  await page.getByLabel('办结', { exact: true }).check();
  await page.getByLabel('办理结果').selectOption({ label: '已解决' });
  await page.getByLabel('说明', { exact: true }).fill('已组织维修，当天恢复供水');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '提交' }).click()]);
  await page.getByTestId('demand-status').filter({ hasText: '已办结' }).waitFor();
  await screenshots(page, 'demand');
  await page.context().close();
});

test('the villager sees the reply and gives a verdict that closes it', async () => {
  const page = await newPage(browser, PHONE);
  await visit(page, '/t/-');
  await page.getByLabel('查询编号').fill(trackingNo);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '查询' }).click()]);
  assert.equal((await page.getByTestId('track-status').innerText()).trim(), '已办结');
  await assertSees(page, '已组织维修，当天恢复供水');
  await page.getByLabel('满意', { exact: true }).check();
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '提交评价' }).click()]);
  assert.equal((await page.getByTestId('track-status').innerText()).trim(), '已关闭');
  await assertSees(page, ['评价', '满意']);
  await page.context().close();
});
