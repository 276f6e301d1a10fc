// The org list: filter by type, page through, export to Excel.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { assertSees, launch, newPage, signIn, visibleText, visit } from '../lib.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function column(page, n) {
  return (await page.locator(`main table.data tbody tr td:nth-child(${n})`).allInnerTexts()).map((s) => s.trim());
}

async function listOfVillages(page) {
  await signIn(page, 'admin');
  await visit(page, '/org-units');
  await assertSees(page, '行政区划', 'main h1');
  await page.getByLabel('类型').selectOption({ label: '行政村' });
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '查询' }).click()]);
}

test('类型 = 行政村 shows 共 70 条, all of them villages', async () => {
  const page = await newPage(browser);
  await listOfVillages(page);
  assert.match(page.url(), /kind=admin_village/);
  assert.equal(await page.getByLabel('类型').inputValue(), 'admin_village', 'the filter keeps its value');
  await assertSees(page, '共 70 条，1 / 4 页', 'main .pagination');
  const kinds = await column(page, 3);
  assert.equal(kinds.length, 20, 'twenty rows a page');
  assert.ok(kinds.every((k) => k === '行政村'), `every row is a 行政村: ${kinds.join(',')}`);
  await page.context().close();
});

test('下一页 shows the next twenty villages, keeping the filter', async () => {
  const page = await newPage(browser);
  await listOfVillages(page);
  const first = await column(page, 1);
  assert.equal(await page.getByRole('link', { name: '上一页' }).count(), 0, 'no 上一页 on page 1');
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: '下一页' }).click()]);
  await assertSees(page, '共 70 条，2 / 4 页', 'main .pagination');
  assert.match(page.url(), /kind=admin_village/);
  const second = await column(page, 1);
  assert.equal(second.length, 20);
  assert.ok((await column(page, 3)).every((k) => k === '行政村'));
  assert.ok(second.every((c) => !first.includes(c)), 'page 2 holds other villages than page 1');
  assert.ok(second[0] > first[first.length - 1], 'codes go on in order');
  // Last page: 70 = 3 × 20 + 10.
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: '下一页' }).click()]);
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: '下一页' }).click()]);
  await assertSees(page, '共 70 条，4 / 4 页', 'main .pagination');
  assert.equal((await column(page, 1)).length, 10);
  assert.equal(await page.getByRole('link', { name: '下一页' }).count(), 0, 'no 下一页 on the last page');
  await page.context().close();
});

test('导出Excel downloads an .xlsx workbook', async () => {
  const page = await newPage(browser);
  await listOfVillages(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: '导出Excel' }).click(),
  ]);
  const name = download.suggestedFilename();
  assert.ok(name.endsWith('.xlsx'), `the download is named *.xlsx, got ${name}`);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xingcun-e2e-dl-')), name);
  await download.saveAs(file);
  const bytes = fs.readFileSync(file);
  assert.ok(bytes.length > 1000, `the workbook has content (${bytes.length} bytes)`);
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'an .xlsx file is a zip: it starts with PK');
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  // Still on the list: a download does not navigate away.
  assert.equal(new URL(page.url()).pathname, '/org-units');
  assert.ok((await visibleText(page, 'main h1')).startsWith('行政区划'));
  await page.context().close();
});
