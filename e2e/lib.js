// Shared helpers for the browser tests: one headless Debian Chromium per test file, sign-in as a
// demo account, screenshots at two sizes, and the layout and accessibility checks.
//
// The tests run under `node --test` (see e2e/run) against a demo server whose address is in
// XINGCUN_URL. Helpers assert what a user would see; a failure names the page and the defect.

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The server under test, e.g. http://127.0.0.1:41234 (no trailing slash). */
export const BASE_URL = (process.env.XINGCUN_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');

/** Where screenshots go; e2e/run sets it, the default is e2e/screenshots/. */
export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR || path.join(here, 'screenshots');

/** The repository's docs/screenshots/, where the two pictures the README shows are kept. */
export const DOCS_SCREENSHOT_DIR = path.join(here, '..', 'docs', 'screenshots');

/** The one password of every demo account. */
export const DEMO_PASSWORD = 'Demo@2026xc';

/** The demo accounts: role label, the code of the unit each belongs to, where it lands. */
export const ACCOUNTS = {
  admin: { role: '区级业务管理员', org: '990101000000', home: '/dashboard' },
  xiangzhen: { role: '乡镇用户', org: '990101001000', home: '/dashboard' },
  cungan: { role: '村级用户', org: '990101001001', home: '/dashboard' },
  dangyuan: { role: '党员', org: '990101001001', home: '/dashboard' },
  chakan: { role: '只读', org: '990101000000', home: '/dashboard' },
  // 三员分立: the three administrators sign in with a TOTP code as well.
  xitong: { role: '系统管理员', org: '990101000000', home: '/admin/users', totp: true },
  anquan: { role: '安全管理员', org: '990101000000', home: '/admin/users', totp: true },
  shenji: { role: '审计管理员', org: '990101000000', home: '/admin/audit', totp: true },
};

/** The demo administrators' fixed, documented TOTP secret (base32). */
export const DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of s.replace(/=+$/, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The RFC 6238 code (HMAC-SHA1, 6 digits, 30 s) of a base32 secret at a Unix time in seconds. */
export function totpCode(secret = DEMO_TOTP_SECRET, unixSeconds = Date.now() / 1000) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = crypto.createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const bin = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(bin).padStart(6, '0');
}

/**
 * Answers the TOTP page with the demo code. A code is accepted once, so when this account's
 * current code was used already (another test signed it in within the same 30 s), waits for
 * the next one.
 */
export async function passSecondFactor(page, secret = DEMO_TOTP_SECRET) {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    await page.getByLabel('动态口令').fill(totpCode(secret));
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '验证', exact: true }).click()]);
    if (new URL(page.url()).pathname !== '/login/totp') return;
    const wait = 30_000 - (Date.now() % 30_000) + 500;
    await new Promise((r) => setTimeout(r, wait));
  }
  assert.fail(`the TOTP code was refused three times on ${page.url()}`);
}

/** The two screen sizes every main page is checked and photographed at. */
export const DESKTOP = { width: 1366, height: 768 };
export const PHONE = { width: 375, height: 812 };

/**
 * The main pages reachable today, signed in as admin unless `as` names another demo account
 * (the login page is separate: it needs a signed-out browser). `name` is the screenshot's
 * file-name stem.
 */
export const MAIN_PAGES = [
  { name: 'dashboard', path: '/dashboard', sees: '兴和区' },
  { name: 'org-list', path: '/org-units', sees: '行政区划' },
  { name: 'org-tree', path: '/org-units/tree', sees: '区划树' },
  { name: 'org-unit', path: '/org-units/990101001001', sees: '王家庄村' },
  { name: 'indicators', path: '/indicators', sees: ['兴和区 · 指标总览', '97.14%'] },
  { name: 'households', path: '/households', sees: ['农户', '户编号'] },
  { name: 'people', path: '/people', sees: ['人员', '身份证号'] },
  // The demo's first person (the 青山镇 党委书记): ID, party membership and posts.
  { name: 'person', path: '/people/1', sees: ['身份证号', '党员信息', '任职情况'] },
  { name: 'imports', path: '/imports', sees: ['台账导入导出', '上传导入'] },
  { name: 'demands', path: '/demands', sees: ['群众诉求', '诉求编号'] },
  { name: 'todo', path: '/todo', sees: ['我的待办', '待办理的诉求'], as: 'cungan' },
  { name: 'public-village', path: '/v/990101001001', sees: ['有事找谁', '我要反映问题'] },
  { name: 'deadlines', path: '/admin/deadlines', sees: ['办理时限与节假日', 'holiday'] },
  // The modules' lists and pages: branch work, the cadre pipeline, industry, governance, conduct.
  { name: 'projects', path: '/branches/projects', sees: ['兴办实事', '实事编号'] },
  { name: 'contests', path: '/branches/contests', sees: '擂台赛' },
  { name: 'honours-roll', path: '/branches/roll', sees: '光荣榜' },
  { name: 'trainings', path: '/talent/trainings', sees: '培训班' },
  { name: 'succession', path: '/talent/succession', sees: '老中青梯队' },
  { name: 'agri-parks', path: '/industry/parks', sees: '现代农业园区' },
  { name: 'disputes', path: '/governance/disputes', sees: '矛盾纠纷排查化解' },
  { name: 'law-outreach', path: '/events/law-outreach', sees: '法律进农村活动' },
  { name: 'study-sessions', path: '/conduct/study-sessions', sees: '理论学习' },
  { name: 'attachments', path: '/attachments', sees: '附件' },
  // The administrators' pages, each signed in as its administrator (`as`).
  { name: 'users', path: '/admin/users', sees: '用户管理', as: 'xitong' },
  { name: 'user-new', path: '/admin/users/new', sees: '新增用户', as: 'xitong' },
  { name: 'audit', path: '/admin/audit', sees: '审计日志', as: 'shenji' },
  { name: 'access-log', path: '/admin/access-log', sees: '个人信息查看记录', as: 'shenji' },
  { name: 'password', path: '/account/password', sees: '修改密码' },
  { name: 'about', path: '/about', sees: '关于' },
  { name: 'api-docs', path: '/api/docs', sees: '接口文档' },
];

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Chromium's switches here: no sandbox as root, and no calls out of this closed network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

/**
 * Launches headless Debian Chromium. playwright-core gives every launch a fresh, empty
 * --user-data-dir of its own in the temp dir and deletes it at close. One browser per test
 * file: launch in `before`, close in `after`; every test opens its own context (own cookies).
 */
export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** A new isolated context (own cookies, Chinese locale) and a page in it. */
export async function newPage(browser, viewport = DESKTOP) {
  const context = await browser.newContext({
    viewport,
    locale: 'zh-CN',
    acceptDownloads: true,
    baseURL: BASE_URL,
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  return page;
}

/** Goes to a path of the platform; fails on a status >= 400 unless `okStatus` says otherwise. */
export async function visit(page, p, { okStatus = (s) => s < 400 } = {}) {
  const res = await page.goto(BASE_URL + p);
  assert.ok(res, `no response for ${p}`);
  assert.ok(okStatus(res.status()), `${p} answered HTTP ${res.status()}`);
  return res;
}

/** Fills the sign-in form (by its visible labels) and submits it; does not check the outcome. */
export async function submitLogin(page, username, password) {
  if (!new URL(page.url(), BASE_URL).pathname.startsWith('/login')) await visit(page, '/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await Promise.all([
    page.waitForNavigation(),
    page.getByRole('button', { name: '登录', exact: true }).click(),
  ]);
}

/**
 * Signs in as a demo account (the administrators with their TOTP code too) and checks it
 * landed on the account's home page (the dashboard, or an administrator's own page).
 */
export async function signIn(page, username = 'admin', password = DEMO_PASSWORD) {
  await visit(page, '/login', { okStatus: () => true });
  await submitLogin(page, username, password);
  const account = ACCOUNTS[username] || { home: '/dashboard' };
  if (account.totp) {
    assert.equal(new URL(page.url()).pathname, '/login/totp', `${username} is asked for a TOTP code`);
    await passSecondFactor(page);
  }
  assert.equal(
    new URL(page.url()).pathname,
    account.home,
    `signing in as ${username} should land on ${account.home}, got ${page.url()}`,
  );
}

/** The page's visible text (innerText of <body>), whitespace collapsed. */
export async function visibleText(page, selector = 'body') {
  const text = await page.locator(selector).first().innerText();
  return text.replace(/\s+/g, ' ').trim();
}

/** Asserts each of `words` is in the visible text of `selector`. */
export async function assertSees(page, words, selector = 'body') {
  const text = await visibleText(page, selector);
  for (const w of [].concat(words)) {
    assert.ok(text.includes(w), `expected to see 「${w}」 on ${page.url()}; the page shows: ${text.slice(0, 400)}`);
  }
}

function safeName(name) {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-');
}

/**
 * Takes `name-desktop.png` (1366×768) and `name-phone.png` (375×812) of the current page into
 * SCREENSHOT_DIR, reloading at each size and then running `prepare(page)` if given (to open
 * something); the viewport is restored afterwards. Returns { desktop, phone } paths.
 */
export async function screenshots(page, name, { prepare } = {}) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const before = page.viewportSize();
  const out = {};
  for (const [size, vp] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    await page.setViewportSize(vp);
    await page.reload();
    if (prepare) await prepare(page);
    await page.evaluate(() => document.fonts.ready);
    const file = path.join(SCREENSHOT_DIR, `${safeName(name)}-${size}.png`);
    await page.screenshot({ path: file });
    out[size] = file;
  }
  if (before) await page.setViewportSize(before);
  return out;
}

/** A short CSS-like description of an element, for messages. */
const DESCRIBE = `function describe(el) {
  let s = el.tagName.toLowerCase();
  if (el.id) s += '#' + el.id;
  if (el.getAttribute('name')) s += '[name=' + el.getAttribute('name') + ']';
  if (el.getAttribute('type') && el.tagName !== 'BUTTON') s += '[type=' + el.getAttribute('type') + ']';
  if (el.getAttribute('href')) s += '[href=' + el.getAttribute('href') + ']';
  if (typeof el.className === 'string' && el.className.trim()) s += '.' + el.className.trim().split(/\\s+/).join('.');
  const t = (el.innerText || el.value || '').replace(/\\s+/g, ' ').trim().slice(0, 30);
  if (t) s += ' 「' + t + '」';
  return s;
}`;

/**
 * Whether the page scrolls sideways: { scrollWidth, clientWidth, culprits } where culprits are
 * the outermost elements sticking out past the right edge.
 */
export async function horizontalOverflow(page) {
  return page.evaluate((describeSrc) => {
    const describe = new Function(`return (${describeSrc})`)();
    const root = document.documentElement;
    const clientWidth = root.clientWidth;
    const culprits = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= clientWidth + 0.5) continue;
      // Only the outermost: skip an element whose parent already sticks out.
      const p = el.parentElement;
      if (p && p !== document.body && p.getBoundingClientRect().right > clientWidth + 0.5) continue;
      // Content clipped by a scrolling box does not widen the page.
      let clipped = false;
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        const ox = getComputedStyle(a).overflowX;
        if (ox !== 'visible') { clipped = true; break; }
      }
      if (!clipped) culprits.push(`${describe(el)} (right edge ${Math.round(r.right)}px)`);
    }
    return { scrollWidth: root.scrollWidth, clientWidth, culprits: culprits.slice(0, 8) };
  }, DESCRIBE);
}

/** Asserts the page does not scroll sideways at its current width. */
export async function assertNoHorizontalScroll(page, what = page.url()) {
  const o = await horizontalOverflow(page);
  assert.ok(
    o.scrollWidth <= o.clientWidth,
    `LAYOUT DEFECT: ${what} scrolls sideways at ${page.viewportSize().width}px ` +
      `(document scrollWidth ${o.scrollWidth} > clientWidth ${o.clientWidth}); ` +
      `sticking out: ${o.culprits.join('; ') || '(none found)'}`,
  );
}

/**
 * Visible form fields (input, select, textarea; not hidden/submit/button/reset/image) that have
 * no accessible label: no <label for=id>, no wrapping <label>, no aria-label/aria-labelledby.
 */
export async function unlabelledFields(page) {
  return page.evaluate((describeSrc) => {
    const describe = new Function(`return (${describeSrc})`)();
    const skip = new Set(['hidden', 'submit', 'button', 'reset', 'image']);
    const bad = [];
    for (const el of document.querySelectorAll('input, select, textarea')) {
      if (el.tagName === 'INPUT' && skip.has((el.getAttribute('type') || 'text').toLowerCase())) continue;
      if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
      const byFor = el.id && [...document.querySelectorAll('label[for]')].some(
        (l) => l.htmlFor === el.id && l.textContent.trim() !== '',
      );
      const wrapped = el.closest('label') && el.closest('label').textContent.trim() !== '';
      const aria = (el.getAttribute('aria-label') || '').trim() !== '' ||
        (el.getAttribute('aria-labelledby') || '').split(/\s+/).some(
          (id) => id && document.getElementById(id) && document.getElementById(id).textContent.trim(),
        );
      if (!(byFor || wrapped || aria)) bad.push(describe(el));
    }
    return bad;
  }, DESCRIBE);
}

/**
 * Presses Tab from the top of the page until focus leaves the page or comes round again, and
 * compares the elements focused with the visible links, buttons and fields of the top bar, the
 * menu and the main content. Returns { expected, reached, missed } (descriptions).
 */
export async function keyboardReach(page) {
  const expected = await page.evaluate((describeSrc) => {
    const describe = new Function(`return (${describeSrc})`)();
    const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"]), label[for]';
    const out = [];
    let n = 0;
    for (const el of document.querySelectorAll(sel)) {
      if (!el.closest('header, nav, main, form, .sidebar, .content')) continue;
      if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
      if (el.disabled) continue;
      // A <label for> that stands in for a hidden control (the ☰ menu button) is an action
      // the user must reach; a label of a visible field is not a tab stop itself.
      // Focus then belongs on that control (visually hidden but focusable is fine).
      let stop = el;
      if (el.tagName === 'LABEL') {
        const target = document.getElementById(el.htmlFor);
        if (!target || target.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
        stop = target;
      }
      stop.setAttribute('data-e2e-tab', String(n++));
      out.push({ id: stop.getAttribute('data-e2e-tab'), what: describe(el) });
    }
    document.activeElement && document.activeElement.blur();
    window.scrollTo(0, 0);
    return out;
  }, DESCRIBE);
  const reached = new Map();
  const limit = expected.length * 2 + 20;
  let first = null;
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const cur = await page.evaluate((describeSrc) => {
      const describe = new Function(`return (${describeSrc})`)();
      const el = document.activeElement;
      if (!el || el === document.body || el === document.documentElement) return null;
      return { id: el.getAttribute('data-e2e-tab'), what: describe(el) };
    }, DESCRIBE);
    if (!cur) {
      if (i > 0) break; // focus left the page after the last element
      continue;
    }
    const key = cur.id ?? `other:${cur.what}`;
    if (first === null) first = key;
    else if (key === first) break; // came round again
    reached.set(key, cur.what);
  }
  const missed = expected.filter((e) => !reached.has(e.id)).map((e) => e.what);
  return { expected: expected.map((e) => e.what), reached: [...reached.values()], missed };
}

/** Copies a screenshot into docs/screenshots/ under `name` (E2E_PUBLISH=0 skips it). */
export function publishScreenshot(file, name) {
  if (process.env.E2E_PUBLISH === '0') return;
  fs.mkdirSync(DOCS_SCREENSHOT_DIR, { recursive: true });
  fs.copyFileSync(file, path.join(DOCS_SCREENSHOT_DIR, name));
}

/** Width and height of a PNG file, from its IHDR chunk. */
export function pngSize(file) {
  const b = fs.readFileSync(file);
  assert.equal(b.subarray(1, 4).toString('latin1'), 'PNG', `${file} is a PNG`);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}
