// Accessibility and layout basics on every main page reachable today:
//   - a non-empty <title>;
//   - every visible input/select/textarea has a label (for=id, a wrapping label or aria-label);
//   - pressing Tab from the top reaches every link, button and field of the top bar, the menu
//     and the main content (desktop);
//   - at 375×812 the page does not scroll sideways, and the ☰ menu works from the keyboard.
// A failure starts with ACCESSIBILITY DEFECT or LAYOUT DEFECT and names the elements.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  DESKTOP, MAIN_PAGES, PHONE, assertNoHorizontalScroll, keyboardReach, launch, newPage, signIn,
  unlabelledFields, visit,
} from '../lib.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PAGES = [{ name: 'login', path: '/login', signedOut: true }, ...MAIN_PAGES];

async function open(p, viewport) {
  const page = await newPage(browser, viewport);
  if (!p.signedOut) await signIn(page, p.as || 'admin');
  await visit(page, p.path);
  return page;
}

for (const p of PAGES) {
  test(`${p.path}: a title, labelled fields, every link and button reachable with Tab`, async () => {
    const page = await open(p, DESKTOP);
    const title = (await page.title()).trim();
    assert.ok(title !== '' && !title.startsWith('-'), `ACCESSIBILITY DEFECT: ${p.path} has an empty <title> ("${title}")`);

    const unlabelled = await unlabelledFields(page);
    assert.deepEqual(unlabelled, [], `ACCESSIBILITY DEFECT: on ${p.path} these fields have no label: ${unlabelled.join('; ')}`);

    const k = await keyboardReach(page);
    assert.ok(k.expected.length > 0, `${p.path} has links or buttons`);
    assert.deepEqual(k.missed, [],
      `ACCESSIBILITY DEFECT: on ${p.path} Tab never reaches: ${k.missed.join('; ')} ` +
      `(reached ${k.reached.length} of ${k.expected.length})`);
    await page.context().close();
  });
}

for (const p of PAGES) {
  test(`${p.path} at 375×812: no sideways scroll`, async () => {
    const page = await open(p, PHONE);
    await assertNoHorizontalScroll(page, p.path);
    await page.context().close();
  });
}

test('on a phone the ☰ menu button is reached with Tab and opens the menu from the keyboard', async () => {
  const page = await open({ path: '/dashboard' }, PHONE);
  const k = await keyboardReach(page);
  const menuButton = k.missed.find((m) => m.includes('☰'));
  assert.equal(menuButton, undefined,
    'ACCESSIBILITY DEFECT: on a phone the ☰ menu button cannot be reached with Tab, so keyboard ' +
    'and switch users cannot open the menu (it is a <label> for the display:none checkbox #nav-toggle; ' +
    `templates/layout/app.html, static/app.css). Missed: ${k.missed.join('; ')}`);
  // Reached: it must also open the menu with Space or Enter.
  await visit(page, '/dashboard');
  const isToggle = () => page.evaluate(() => {
    const a = document.activeElement;
    return !!a && (a.id === 'nav-toggle' || a.classList.contains('nav-toggle-label') ||
      (a.getAttribute('aria-controls') || '') !== '' || a.getAttribute('aria-label') === '菜单');
  });
  let found = false;
  for (let i = 0; i < 10 && !found; i++) {
    await page.keyboard.press('Tab');
    found = await isToggle();
  }
  assert.ok(found, 'ACCESSIBILITY DEFECT: Tab does not stop on the ☰ menu button');
  await page.keyboard.press('Space');
  if (!(await page.locator('nav.sidebar').isVisible())) await page.keyboard.press('Enter');
  assert.ok(await page.locator('nav.sidebar').isVisible(), 'ACCESSIBILITY DEFECT: Space/Enter on ☰ does not open the menu');
  let reachedMenu = false;
  for (let i = 0; i < 10 && !reachedMenu; i++) {
    await page.keyboard.press('Tab');
    reachedMenu = await page.evaluate(() => !!document.activeElement?.closest('nav.sidebar'));
  }
  assert.ok(reachedMenu, 'ACCESSIBILITY DEFECT: after opening ☰, Tab does not go into the menu');
  await page.context().close();
});
