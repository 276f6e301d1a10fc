// 台账导入导出 as a township clerk: the template, a workbook with mistakes refused with every
// problem listed (and a marked copy), then a good workbook previewed, confirmed and found.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import ExcelJS from 'exceljs';
import {
  DESKTOP, PHONE, assertNoHorizontalScroll, assertSees, launch, newPage, signIn, visibleText, visit,
} from '../lib.js';

let browser;
let tmp;
before(async () => {
  browser = await launch();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xingcun-e2e-import-'));
});
after(async () => {
  await browser?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const GOOD = { no: 'E2E0001', org: '990101001001', phone: '13900009999' }; // 王家庄村, in 青山镇
const BAD = { no: 'E2E0002', org: '990101002001', phone: '12345' }; // 胡家屯村, in 柳河镇

/** An .xlsx workbook with one sheet 户 (户编号, 所属区划编码, 联系电话), every cell text. */
async function householdWorkbook(rows) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('户');
  ws.addRow(['户编号', '所属区划编码', '联系电话']);
  for (const r of rows) ws.addRow([r.no, r.org, r.phone]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * Each sheet's name and first row (its column headers), read with ExcelJS's streaming reader:
 * the template's drop-down lists run to row 1048576, which the whole-workbook loader expands
 * cell by cell (a minute on a busy machine).
 */
async function headerRows(bytes) {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(bytes), {
    worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', entries: 'ignore',
  });
  const out = new Map();
  for await (const ws of reader) {
    let first = [];
    for await (const row of ws) { first = row.values.filter((v) => v != null).map(String); break; }
    out.set(ws.name, first);
  }
  return out;
}

/** Clicks a download link and saves the file; returns { name, file, bytes }. */
async function download(page, link) {
  const [dl] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const name = dl.suggestedFilename();
  const file = path.join(tmp, name);
  await dl.saveAs(file);
  return { name, file, bytes: fs.readFileSync(file) };
}

function assertXlsx({ name, bytes }) {
  assert.ok(name.endsWith('.xlsx'), `the download is named *.xlsx, got ${name}`);
  assert.ok(bytes.length > 1000, `the workbook has content (${bytes.length} bytes)`);
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'an .xlsx file is a zip: it starts with PK');
}

/** Chooses a workbook in the upload form and submits it with 上传并检查. */
async function upload(page, name, buffer) {
  await page.getByLabel('工作簿文件').setInputFiles({ name, mimeType: XLSX_MIME, buffer });
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '上传并检查' }).click()]);
}

async function openImports(page) {
  await visit(page, '/imports');
  await assertSees(page, '台账导入导出', 'main h1');
  await assertSees(page, ['下载模板', '上传导入', '青山镇（990101001000）'], 'main');
}

test('as xiangzhen: template, a workbook with mistakes refused with its problems, then a good one imported', async () => {
  const page = await newPage(browser);
  await signIn(page, 'xiangzhen');
  await visit(page, `/households?q=${GOOD.no}`);
  assert.equal(await visibleText(page, 'main .pagination').then((t) => t.startsWith('共 0 条')), true,
    `${GOOD.no} must not exist yet: this test needs a fresh demo database (e2e/run starts one)`);
  // The menu leads there: 基础台账 › 台账导入导出.
  await Promise.all([page.waitForNavigation(), page.locator('nav.sidebar').getByRole('link', { name: '台账导入导出' }).click()]);
  assert.equal(new URL(page.url()).pathname, '/imports');
  await openImports(page);

  // The template: an .xlsx workbook whose sheets include 户.
  const template = await download(page, page.locator('main').getByRole('link', { name: '下载模板' }));
  assertXlsx(template);
  const heads = await headerRows(template.bytes);
  const sheets = [...heads.keys()];
  assert.ok(sheets.includes('户') && sheets.includes('人员'), `the template has the sheets 户 and 人员: ${sheets.join(',')}`);
  const headers = heads.get('户');
  assert.ok(['户编号', '所属区划编码', '联系电话'].every((h) => headers.includes(h)),
    `the template's 户 sheet has the columns 户编号, 所属区划编码, 联系电话: ${headers.join(',')}`);
  assert.equal(new URL(page.url()).pathname, '/imports', 'a download does not navigate away');

  // A workbook with mistakes: row 2 belongs to another township and has a bad phone number.
  await upload(page, 'e2e-有错.xlsx', await householdWorkbook([BAD, GOOD]));
  await assertSees(page, ['台账导入导出', 'e2e-有错.xlsx'], 'main h1');
  const alert = await visibleText(page, 'main [role=alert]');
  assert.equal(alert, '发现 2 个问题，未写入任何数据。');
  await assertSees(page, '请按下表逐一修改后重新上传', 'main');
  const header = (await page.locator('main table.data thead th').allInnerTexts()).map((s) => s.trim());
  assert.deepEqual(header, ['工作表', '行', '列', '值', '问题']);
  const rows = await page.locator('main table.data tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.replace(/\s+/g, ' ').trim())));
  assert.equal(rows.length, 2, `two problems listed: ${JSON.stringify(rows)}`);
  assert.ok(rows.every((r) => r[0] === '户' && r[1] === '2'), `both problems are on row 2 of 户: ${JSON.stringify(rows)}`);
  const scope = rows.find((r) => r[4].includes('不在导入范围内'));
  assert.ok(scope, `a problem says 不在导入范围内: ${JSON.stringify(rows)}`);
  assert.equal(scope[3], BAD.org, 'the out-of-scope problem shows the other township\'s village code');
  assert.equal(scope[4], `该记录所属单位 ${BAD.org} 不在导入范围内`);
  const phone = rows.find((r) => r[2] === '联系电话');
  assert.ok(phone, `a problem is in the column 联系电话: ${JSON.stringify(rows)}`);
  assert.equal(phone[3], BAD.phone);
  assert.ok(phone[4].startsWith(`联系电话“${BAD.phone}”格式不正确`), `the phone problem: ${phone[4]}`);
  assert.ok(!rows.some((r) => r.join(' ').includes(GOOD.no)), 'the good row has no problem');
  // The problem list does not make a phone scroll sideways.
  await page.setViewportSize(PHONE);
  await assertNoHorizontalScroll(page, 'the import problem list');
  await page.setViewportSize(DESKTOP);

  // The marked copy: the clerk's file with a problem list first and the bad cell commented.
  const marked = await download(page, page.getByRole('link', { name: '下载标注问题的文件' }));
  assertXlsx(marked);
  assert.equal(marked.name, 'e2e-有错_问题标注.xlsx');
  const mwb = new ExcelJS.Workbook();
  await mwb.xlsx.load(marked.bytes);
  assert.deepEqual(mwb.worksheets.map((w) => w.name), ['说明_问题清单', '户']);
  const listed = [];
  mwb.getWorksheet('说明_问题清单').eachRow((r) => listed.push(r.values.filter((v) => v != null).join(' ')));
  assert.ok(listed.some((l) => l.includes('不在导入范围内')) && listed.some((l) => l.includes('格式不正确')),
    `the problems sheet lists both problems: ${listed.join(' | ')}`);
  const cell = mwb.getWorksheet('户').getCell('C2');
  assert.equal(String(cell.value), BAD.phone, 'the marked copy keeps the clerk\'s values');
  const note = cell.note && (typeof cell.note === 'string' ? cell.note : (cell.note.texts || []).map((t) => t.text).join(''));
  assert.ok(note && note.includes('格式不正确'), `the bad phone cell carries the problem as a comment: ${JSON.stringify(cell.note)}`);

  // Nothing was written: the good row of the refused workbook is not there.
  await visit(page, `/households?q=${GOOD.no}`);
  await assertSees(page, '共 0 条', 'main .pagination');
  await assertSees(page, '暂无数据', 'main');

  // A good workbook: the preview says 新增 1, 确认导入 writes it.
  await openImports(page);
  await upload(page, 'e2e-正确.xlsx', await householdWorkbook([GOOD]));
  await assertSees(page, '检查通过，没有发现问题。确认导入后将写入以下变更', 'main [role=alert]');
  const counts = (await page.locator('main table.data tbody tr').first().locator('td').allInnerTexts()).map((s) => s.trim());
  assert.deepEqual(counts, ['户', '1', '0', '0'], 'the preview: 户 — 新增 1, 更新 0, 未变 0');
  await assertSees(page, ['新增', '更新', '未变'], 'main table.data thead');
  // Not yet written: the preview writes nothing (looked at in a second tab, as a clerk might).
  const tab = await page.context().newPage();
  await visit(tab, `/households?q=${GOOD.no}`);
  await assertSees(tab, '共 0 条', 'main .pagination');
  await tab.close();
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '确认导入' }).click()]);
  await assertSees(page, '导入完成。', 'main [role=alert]');
  const done = (await page.locator('main table.data tbody tr').first().locator('td').allInnerTexts()).map((s) => s.trim());
  assert.deepEqual(done, ['户', '1', '0', '0']);

  // The household is in the list now, in 王家庄村.
  await visit(page, `/households?q=${GOOD.no}`);
  await assertSees(page, '共 1 条', 'main .pagination');
  const row = page.locator('main table.data tbody tr', { hasText: GOOD.no });
  assert.equal(await row.count(), 1, `${GOOD.no} is listed`);
  assert.ok((await row.innerText()).includes('王家庄村'), `${GOOD.no} belongs to 王家庄村: ${await row.innerText()}`);
  await page.context().close();
});

test('as chakan (只读) the import page offers no upload', async () => {
  const page = await newPage(browser);
  await signIn(page, 'chakan');
  await visit(page, '/imports');
  await assertSees(page, '台账导入导出', 'main h1');
  await assertSees(page, ['您的角色只能查看，不能导入台账。', '导出的台账含完整身份证号，您的角色不能导出。'], 'main');
  assert.equal(await page.locator('main input[type=file]').count(), 0, 'no file field for a read-only user');
  await page.context().close();
});
