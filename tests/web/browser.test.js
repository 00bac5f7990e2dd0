#!/usr/bin/env node
// The web page of `govmap serve` in a real browser (Chromium through playwright-core).
//
//   node tests/web/browser.test.js URL ARTEFACT_DIR
//
// URL is a running `govmap serve` over the fixture map of tests/web/fixture/map.json with one
// open proposal (tests/web/run-browser-test sets that up). Every expectation below is derived
// from the fixture file, not from the server. Screenshots go to ARTEFACT_DIR/web/.
// Prints one line per check and "N passed, N failed"; exits 1 on any failure.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');

const [, , baseArg, artArg] = process.argv;
if (!baseArg || !artArg) {
  console.error('usage: node browser.test.js URL ARTEFACT_DIR');
  process.exit(2);
}
const BASE = baseArg.endsWith('/') ? baseArg : baseArg + '/';
const SHOTS = path.join(artArg, 'web');
fs.mkdirSync(SHOTS, { recursive: true });

let chromium;
try {
  ({ chromium } = require(path.join(__dirname, '..', 'node_modules', 'playwright-core')));
} catch (e) {
  ({ chromium } = require('playwright-core'));
}
const CHROMIUM = process.env.GOVMAP_CHROMIUM || '/usr/bin/chromium';
const TIMEOUT = Number(process.env.GOVMAP_WEB_TIMEOUT_MS || 20000);

// ------------------------------------------------------------------ the fixture's facts
const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixture', 'map.json'), 'utf8'));
const areaByCode = new Map(fixture.areas.map((a) => [a.code, a]));
function underCode(code, top) {
  for (let c = code; c; c = (areaByCode.get(c) || {}).parent) if (c === top) return true;
  return false;
}
// Mechanisms drawn under a cluster: those linked to any area or issue below it.
function mechanismsUnder(top, asOf) {
  const slugs = new Set(fixture.mechanism_areas.filter((l) => underCode(l.area, top)).map((l) => l.mechanism));
  return fixture.mechanisms
    .filter((m) => slugs.has(m.slug) && (asOf === undefined || m.founded <= asOf))
    .map((m) => 'mechanism:' + m.slug).sort();
}
const mech = (slug) => fixture.mechanisms.find((m) => m.slug === slug);
const sourceOf = (slug) => fixture.sources.find((s) => s.key === mech(slug).source);
// The area no mechanism addresses, and nothing below it either.
const coveredAreas = new Set();
for (const l of fixture.mechanism_areas) for (let c = l.area; c; c = (areaByCode.get(c) || {}).parent) coveredAreas.add(c);
const uncovered = fixture.areas.filter((a) => !coveredAreas.has(a.code));
const CLUSTER = 'alpha';
const OTHER_CLUSTER = 'beta';
const AFTER_2014 = fixture.mechanisms.filter((m) => m.founded > 2014).map((m) => m.slug);
const BEFORE_2014 = fixture.mechanisms.filter((m) => m.founded <= 2014).map((m) => m.slug);

// ------------------------------------------------------------------ reporting
let passed = 0;
let failed = 0;
function ok(cond, what, detail) {
  if (cond) {
    passed++;
    console.log(`ok - ${what}`);
  } else {
    failed++;
    console.log(`not ok - ${what}${detail !== undefined ? ': ' + (typeof detail === 'string' ? detail : JSON.stringify(detail)) : ''}`);
  }
  return cond;
}
const sameSet = (a, b) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

async function main() {
  ok(uncovered.length === 1, 'the fixture has exactly one uncovered node', uncovered.map((a) => a.code));
  ok(AFTER_2014.length > 0 && BEFORE_2014.length > 0, 'the fixture has mechanisms founded before and after 2014');

  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govmap-web-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 900 },
    acceptDownloads: false,
  });
  const consoleErrors = [];
  const cspViolations = [];
  const requestsOffSite = [];
  try {
    const page = context.pages()[0] || await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    // Runs before the page's own scripts, through the DevTools protocol (not subject to the CSP).
    await page.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile || ''}:${e.lineNumber || ''}`);
      });
    });
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push('uncaught: ' + e.message));
    page.on('request', (r) => {
      const u = r.url();
      if (!u.startsWith(BASE) && !u.startsWith('data:')) requestsOffSite.push(u);
    });

    const idle = () => page.waitForFunction(() => window.govmapTest && window.govmapTest.idle());
    const nodeIds = (kind) => page.evaluate((k) => window.govmapTest.nodeIds(k), kind);
    const query = () => new URL(page.url()).searchParams;
    const shot = async (name) => {
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(SHOTS, name + '.png') });
    };
    const collectCsp = async () => {
      const v = await page.evaluate(() => window.__cspViolations || []);
      for (const x of v) if (!cspViolations.includes(x)) cspViolations.push(x);
    };

    // ---------------------------------------------------------------- load
    const resp = await page.goto(BASE);
    ok(resp && resp.status() === 200, 'GET / answers 200', resp && resp.status());
    const csp = (resp && resp.headers()['content-security-policy']) || '';
    ok(/script-src 'self'/.test(csp) && /default-src 'none'/.test(csp), 'the page is served with the Content-Security-Policy', csp);
    await idle();
    const info = await page.evaluate(() => fetch('/api/v1/info').then((r) => r.json()));
    const version = fixture.map_info.find((x) => x.key === 'data_version').value;
    ok((await page.textContent('#map-version')).includes(version), 'the header shows the map\'s data version', await page.textContent('#map-version'));
    ok(await page.isVisible('#tab-map') && await page.isVisible('#tab-gaps'), 'the Map and Gaps tabs are shown');
    ok((await page.isVisible('#tab-review')) === !!(info.can_review || info.can_propose), 'the Review tab is shown exactly when the user may see proposals', info);
    const allMechs = await nodeIds('mechanism');
    ok(sameSet(allMechs, fixture.mechanisms.map((m) => 'mechanism:' + m.slug)), 'the whole map draws every accepted mechanism of the fixture', allMechs);
    ok(query().get('view') === 'map', 'the URL names the view', page.url());
    await shot('map');

    // ---------------------------------------------------------------- a map too big to draw
    // The server draws only the taxonomy above max-nodes (1500 by default); ask for 5 here.
    const small = (route) => {
      const u = new URL(route.request().url());
      if (!u.searchParams.has('under')) u.searchParams.set('max-nodes', '5');
      return route.continue({ url: u.toString() });
    };
    await page.route('**/api/v1/graph*', small);
    await page.goto(BASE + '?view=map');
    await idle();
    ok(await page.evaluate(() => window.govmapTest.graphMode()) === 'areas', 'above max-nodes the page draws the areas-only graph');
    ok(await page.isVisible('#notice') && /choose a cluster or area/.test(await page.textContent('#notice')), 'with a notice to choose a cluster or area', await page.textContent('#notice'));
    const onlyAreas = await nodeIds();
    ok(onlyAreas.length === fixture.areas.length && onlyAreas.every((id) => id.startsWith('area:')), 'only the taxonomy is drawn', onlyAreas);
    await shot('map-too-many');
    const apos = await page.evaluate((id) => window.govmapTest.nodePosition(id), 'area:' + CLUSTER);
    if (apos) await page.mouse.click(apos.x, apos.y);
    let tooManyClick = true;
    try {
      await page.waitForURL((u) => new URL(u).searchParams.get('under') === CLUSTER, { timeout: 5000 });
    } catch (e) {
      tooManyClick = false;
    }
    ok(tooManyClick, 'clicking an area there sets the cluster filter');
    await idle();
    ok(tooManyClick && await page.evaluate(() => window.govmapTest.graphMode()) === 'full' && sameSet(await nodeIds('mechanism'), mechanismsUnder(CLUSTER)),
      'and draws that cluster\'s mechanisms');
    ok(!(await page.isVisible('#notice')), 'the notice goes away');
    await page.unroute('**/api/v1/graph*', small);
    await page.goto(BASE + '?view=map');
    await idle();

    await page.selectOption('#f-under', CLUSTER);
    await page.waitForURL((u) => new URL(u).searchParams.get('under') === CLUSTER);
    await idle();
    const inCluster = await nodeIds('mechanism');
    ok(sameSet(inCluster, mechanismsUnder(CLUSTER)), `filtering to cluster ${CLUSTER} draws only its mechanisms`, { drawn: inCluster, expected: mechanismsUnder(CLUSTER) });
    const areasDrawn = await nodeIds('area');
    ok(areasDrawn.length > 0 && areasDrawn.every((id) => underCode(id.replace(/^area:/, ''), CLUSTER)), `only areas under ${CLUSTER} are drawn`, areasDrawn);
    await shot('map-cluster');

    // ---------------------------------------------------------------- a mechanism's panel (a real click)
    const slug = 'quillon-forum';
    const pos = await page.evaluate((id) => window.govmapTest.nodePosition(id), 'mechanism:' + slug);
    ok(pos !== null, `mechanism ${slug} is drawn`);
    if (pos) await page.mouse.click(pos.x, pos.y);
    let panelOpened = true;
    try {
      await page.waitForFunction(() => document.body.dataset.panel === 'ready', null, { timeout: 5000 });
    } catch (e) {
      panelOpened = false;
    }
    ok(panelOpened, 'clicking the mechanism with the mouse opens the side panel');
    if (!panelOpened) { // go on with the other checks through the test hook
      await page.evaluate((id) => window.govmapTest.tap(id), 'mechanism:' + slug);
      await page.waitForFunction(() => document.body.dataset.panel === 'ready');
    }
    ok(query().get('m') === slug, 'the URL names the open mechanism', page.url());
    const title = await page.textContent('#panel-title');
    ok(title.includes(mech(slug).name) && title.includes(mech(slug).acronym), 'the panel shows the mechanism\'s name and acronym', title);
    const firstArea = areaByCode.get(fixture.mechanism_areas.find((l) => l.mechanism === slug).area).name;
    ok((await page.textContent('#panel-areas')).includes(firstArea), `the panel lists its area (${firstArea})`);
    const src = sourceOf(slug);
    const link = await page.$(`#panel-sources a[href="${src.url}"]`);
    ok(link !== null, 'the panel links the mechanism\'s source', src.url);
    if (link) {
      ok((await link.getAttribute('rel') || '').split(/\s+/).includes('noopener') && (await link.getAttribute('rel')).includes('noreferrer'),
        'source links are rel="noopener noreferrer"');
      ok((await link.textContent()).includes(src.title), 'the source link shows the source\'s title');
    }
    const rels = fixture.relations.filter((r) => r.from === slug || r.to === slug);
    const relText = await page.textContent('#panel-relations');
    ok(rels.every((r) => relText.includes(mech(r.from === slug ? r.to : r.from).name)), 'the panel lists its relations both ways', relText);
    const picked = await page.evaluate((id) => window.govmapTest.cy().getElementById(id).hasClass('picked'), 'mechanism:' + slug);
    ok(picked, 'the chosen node is highlighted in the graph');
    await shot('panel');

    // a relation jumps to the other mechanism
    const other = rels.find((r) => r.from === slug) ? fixture.relations.find((r) => r.from === slug).to : null;
    if (other) {
      await page.click(`#panel-relations a.relation-link[data-slug="${other}"]`);
      await page.waitForFunction((n) => document.body.dataset.panel === 'ready' && document.getElementById('panel-title').textContent.includes(n), mech(other).name);
      ok(query().get('m') === other, 'a relation in the panel opens the related mechanism', page.url());
      await page.goBack();
      await page.waitForFunction((n) => document.body.dataset.panel === 'ready' && document.getElementById('panel-title').textContent.includes(n), mech(slug).name);
      ok(query().get('m') === slug, 'the browser\'s Back button restores the previous mechanism (popstate)', page.url());
    }

    // ---------------------------------------------------------------- as-of slider
    const range = await page.evaluate(() => ({ min: Number(document.getElementById('f-asof').min), max: Number(document.getElementById('f-asof').max) }));
    const earliest = Math.min(...fixture.mechanisms.map((m) => m.founded));
    ok(range.max === new Date().getFullYear() && range.min <= earliest, 'the as-of slider runs from the earliest founding year to this year', range);
    await page.focus('#f-asof');
    await page.evaluate(() => {
      const s = document.getElementById('f-asof');
      s.value = '2014';
      s.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await page.waitForURL((u) => new URL(u).searchParams.get('as-of') === '2014');
    await idle();
    const in2014 = await nodeIds('mechanism');
    const after = AFTER_2014.filter((s) => mechanismsUnder(CLUSTER).includes('mechanism:' + s));
    const before = BEFORE_2014.filter((s) => mechanismsUnder(CLUSTER).includes('mechanism:' + s));
    ok(after.length > 0 && after.every((s) => !in2014.includes('mechanism:' + s)), `as of 2014, ${after.join(', ')} (founded later) disappear`, in2014);
    ok(before.length > 0 && before.every((s) => in2014.includes('mechanism:' + s)), `as of 2014, ${before.join(', ')} (founded earlier) stay`, in2014);
    ok((await page.textContent('#f-asof-value')).trim() === '2014', 'the slider shows the year');
    await shot('map-2014');
    await page.check('#f-allyears');
    await page.waitForURL((u) => new URL(u).searchParams.get('as-of') === 'all');
    await idle();
    ok(sameSet(await nodeIds('mechanism'), mechanismsUnder(CLUSTER)), '"all years" draws every mechanism again');
    await page.uncheck('#f-allyears');
    await page.waitForURL((u) => !new URL(u).searchParams.has('as-of'));
    await idle();

    // ---------------------------------------------------------------- participation (client-side)
    await page.selectOption('#f-participation', 'multistakeholder');
    await page.waitForURL((u) => new URL(u).searchParams.get('participation') === 'multistakeholder');
    await idle();
    const ms = await nodeIds('mechanism');
    const expectedMs = await page.evaluate(() => window.govmapTest.cy().nodes('[kind = "mechanism"]').filter((n) => n.data('participation') === 'multistakeholder').map((n) => n.id()));
    ok(ms.length > 0 && sameSet(ms, expectedMs) && ms.length < mechanismsUnder(CLUSTER).length, 'the participation filter hides the other mechanisms', ms);
    await page.selectOption('#f-participation', '');
    await page.waitForURL((u) => !new URL(u).searchParams.has('participation'));

    // ---------------------------------------------------------------- region (server-side)
    // By hand from the fixture's regions: in Europe are sable-network (europe) and vireo-body
    // (western-europe, which lies within europe); in Africa only umber-forum.
    await page.goto(BASE + '?view=map&region=europe');
    await idle();
    const inEurope = await nodeIds('mechanism');
    ok(sameSet(inEurope, ['mechanism:sable-network', 'mechanism:vireo-body']),
      'a shared URL with region=europe draws the mechanisms operating in Europe or inside it', inEurope);
    ok((await page.inputValue('#f-region')) === 'europe', 'the region menu shows the region of the URL', await page.inputValue('#f-region'));
    await page.selectOption('#f-region', 'africa');
    await page.waitForURL((u) => new URL(u).searchParams.get('region') === 'africa');
    await idle();
    const inAfrica = await nodeIds('mechanism');
    ok(sameSet(inAfrica, ['mechanism:umber-forum']), 'choosing Africa in the region menu draws only umber-forum', inAfrica);
    await page.goto(BASE + '?view=map&under=' + CLUSTER);
    await idle();

    // ---------------------------------------------------------------- export link
    const href = await page.getAttribute('#export-link', 'href');
    ok(href.startsWith('/api/v1/export?') && href.includes('under=' + CLUSTER), 'the export link carries the current filters', href);
    const exp = await page.evaluate((h) => fetch(h).then((r) => r.status + ' ' + (r.headers.get('content-type') || '')), href);
    ok(exp.startsWith('200'), 'the export link downloads', exp);

    // ---------------------------------------------------------------- gaps
    await page.click('#tab-gaps');
    await page.waitForURL((u) => new URL(u).searchParams.get('view') === 'gaps');
    await page.waitForFunction(() => document.body.dataset.gaps === 'ready');
    ok(await page.isVisible('#heatmap') && !(await page.isVisible('#cy')), 'the Gaps tab shows the gap report');
    await page.selectOption('#g-under', '');
    await page.waitForURL((u) => !new URL(u).searchParams.has('under'));
    await page.waitForFunction(() => document.body.dataset.gaps === 'ready');
    for (const u of uncovered) {
      const f = await page.$(`#findings li.finding[data-node="${u.code}"]`);
      ok(f !== null, `the findings list the uncovered area ${u.code}`);
      if (f) {
        ok((await f.getAttribute('data-kinds')).split(' ').includes('uncovered'), 'its finding is of kind "uncovered"');
        ok((await f.getAttribute('data-severity')) === 'high', 'its severity is high');
        ok((await f.textContent()).includes(u.name), 'its text names the area', await f.textContent());
      }
      const cell = await page.$(`#heatmap td.cell[data-row="${u.code}"][data-col="mechanisms"]`);
      ok(cell !== null && (await cell.textContent()).trim() === '0' && (await cell.getAttribute('class')).includes('zero-gap'),
        'its heat-map cell shows 0, marked as a gap');
    }
    const clusterCount = mechanismsUnder(CLUSTER).length;
    const cc = await page.$(`#heatmap td.cell[data-row="${CLUSTER}"][data-col="mechanisms"]`);
    ok(cc !== null && Number((await cc.textContent()).trim()) === clusterCount, `the heat map counts ${clusterCount} mechanisms in ${CLUSTER}`, cc && await cc.textContent());
    const shaded = cc ? await cc.evaluate((e) => getComputedStyle(e).backgroundColor) : '';
    ok(/rgba?\(/.test(shaded) && shaded !== 'rgba(0, 0, 0, 0)', 'non-zero cells are shaded', shaded);
    await shot('gaps');
    await page.selectOption('#g-level', 'area');
    await page.waitForURL((u) => new URL(u).searchParams.get('level') === 'area');
    await page.waitForFunction(() => document.body.dataset.gaps === 'ready');
    const rows = await page.$$eval('#heatmap tbody tr', (trs) => trs.map((t) => t.dataset.code));
    ok(sameSet(rows, fixture.areas.filter((a) => a.level === 'area').map((a) => a.code)), '--level area: the heat map has one row per broad area', rows);
    await page.selectOption('#g-level', '');

    // ---------------------------------------------------------------- a shareable URL, opened directly
    const share = `?view=map&under=${OTHER_CLUSTER}&as-of=2014&m=umber-forum`;
    await page.goto(BASE + share);
    await idle();
    await page.waitForFunction(() => document.body.dataset.panel === 'ready');
    ok(await page.inputValue('#f-under') === OTHER_CLUSTER, 'a shared URL restores the cluster filter');
    ok(await page.inputValue('#f-asof') === '2014', 'a shared URL restores the as-of year');
    ok((await page.textContent('#panel-title')).includes(mech('umber-forum').name), 'a shared URL reopens the mechanism\'s panel');
    const shared = await nodeIds('mechanism');
    ok(sameSet(shared, mechanismsUnder(OTHER_CLUSTER, 2014)), 'a shared URL draws the same selection', { drawn: shared, expected: mechanismsUnder(OTHER_CLUSTER, 2014) });
    await shot('shared-url');
    // escaping: markup in the data is shown as text
    await page.goto(BASE + '?view=map&m=vireo-body');
    await page.waitForFunction(() => document.body.dataset.panel === 'ready');
    const desc = await page.textContent('#panel-description');
    ok(desc.includes('<b>not bold</b>') && (await page.$('#panel-description b, #panel-description img')) === null, 'markup in the data is shown as text, never parsed', desc);
    await page.goto(BASE + '?view=gaps&level=area&kinds=uncovered');
    await page.waitForFunction(() => document.body.dataset.gaps === 'ready');
    const kindsShown = await page.$$eval('#findings li.finding', (ls) => ls.map((l) => l.dataset.kinds));
    ok(kindsShown.length === uncovered.length && kindsShown.every((k) => k === 'uncovered'), 'a shared gaps URL restores its options (kinds=uncovered)', kindsShown);
    ok(await page.isChecked('#g-kind-uncovered') && !(await page.isChecked('#g-kind-thin')), 'the kind boxes reflect the URL');

    // ---------------------------------------------------------------- search
    await page.goto(BASE + '?view=gaps');
    await idle();
    await page.fill('#search', 'Quillon');
    await page.waitForSelector('#search-results li.search-result[data-slug="quillon-forum"]');
    await page.click('#search-results li.search-result[data-slug="quillon-forum"]');
    await page.waitForFunction(() => document.body.dataset.panel === 'ready');
    ok(query().get('view') === 'map' && query().get('m') === 'quillon-forum', 'picking a search result opens the map at that mechanism', page.url());
    ok((await page.textContent('#panel-title')).includes(mech('quillon-forum').name), 'the search result\'s panel is shown');

    // ---------------------------------------------------------------- review
    if (info.can_review || info.can_propose) {
      await page.goto(BASE + '?view=review');
      await page.waitForFunction(() => document.body.dataset.proposals === 'ready');
      const items = await page.$$('#proposals li.proposal-item');
      ok(items.length === 1, 'the review view lists the open proposal', items.length);
      const listText = await page.textContent('#proposals');
      ok(listText.includes('zephyr-panel'), 'the proposal is named', listText);
      await page.click('#proposals li.proposal-item a');
      await page.waitForFunction(() => document.body.dataset.proposal === 'ready');
      ok(/^\d+$/.test(query().get('p') || ''), 'the URL names the proposal', page.url());
      const nameRow = await page.$('#proposal table.diff tr.diff-row[data-field="name"]');
      ok(nameRow !== null, 'the proposal is shown as a field-level diff');
      if (nameRow) {
        ok((await (await nameRow.$('td.after')).textContent()).includes('Zephyr Advisory Panel'), 'the diff shows the value after');
        ok((await (await nameRow.$('td.before')).textContent()).includes('(none)'), 'the diff shows the value before (none: a new mechanism)');
        ok((await nameRow.$('td.after ins')) !== null, 'new values are marked as insertions');
      }
      const hasButtons = (await page.$('#accept')) !== null && (await page.$('#reject')) !== null;
      ok(hasButtons === !!info.can_review, 'accept and reject are offered exactly when the user may review', { hasButtons, can_review: info.can_review });
      await shot('review');
      if (hasButtons) {
        await page.click('#reject');
        ok((await page.textContent('#review-msg')).includes('note'), 'rejecting without a note is refused on the page');
        await page.fill('#review-note', 'checked against the fixture');
        await page.click('#accept');
        await page.waitForFunction(() => document.body.dataset.proposals === 'ready' && !document.querySelector('#proposals li.proposal-item'));
        ok((await page.$$('#proposals li.proposal-item')).length === 0, 'accepting the proposal (POST) empties the open list');
        await page.goto(BASE + '?view=map&m=zephyr-panel');
        await page.waitForFunction(() => document.body.dataset.panel === 'ready');
        ok((await page.textContent('#panel-title')).includes('Zephyr Advisory Panel'), 'the accepted mechanism is on the map');
        await idle();
        ok((await nodeIds('mechanism')).includes('mechanism:zephyr-panel'), 'and is drawn');
      }
    } else {
      ok(!(await page.isVisible('#tab-review')), 'no Review tab for a reader');
    }

    await collectCsp();
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  ok(cspViolations.length === 0, 'no Content-Security-Policy violations', cspViolations);
  ok(consoleErrors.length === 0, 'no console errors', consoleErrors);
  ok(requestsOffSite.length === 0, 'the page fetched nothing from another origin', requestsOffSite);
}

main().then(() => {
  console.log(`screenshots: ${SHOTS}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}, (e) => {
  console.log(`not ok - the browser test stopped: ${e && e.stack ? e.stack : e}`);
  failed++;
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(1);
});
