// Drives Debian's Chromium (headless) through the dashboard for DashboardBrowserTest and the
// dashboard benchmark. One scenario per call; results go to stdout as "key=value" lines that the
// Java side parses. Exit code 0 = scenario ran (assertions are the caller's), 1 = it could not.
//   node test/browser.mjs runs-table URL RUN_ID SCREENSHOT
//   node test/browser.mjs live-chart URL RUN_ID METRIC SCREENSHOT MIN_GAIN
//   node test/browser.mjs pareto     URL BENCHMARK SCREENSHOT
//   node test/browser.mjs page-load  URL EXPECTED_ROWS REPEATS
//   node test/browser.mjs live-latency URL RUN_ID METRIC DRAWS
//   node test/browser.mjs tour       URL SHOT_DIR ROUTE...   (every route rendered, what it drew)
//   node test/browser.mjs control    URL RUN_ID SCREENSHOT      (Pause, Resume, Stop on the run page)
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.ENTRENAR_CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'];
const TIMEOUT = Number(process.env.ENTRENAR_BROWSER_TIMEOUT_MS || 60000);

function say(event, fields) {
  console.log([event, ...Object.entries(fields).map(([k, v]) => `${k}=${v}`)].join(' '));
}

const [scenario, url, ...args] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', e => say('pageerror', { message: JSON.stringify(String(e)) }));
  page.setDefaultTimeout(TIMEOUT);
  switch (scenario) {
    case 'runs-table': await runsTable(page, ...args); break;
    case 'live-chart': await liveChart(page, ...args); break;
    case 'pareto': await pareto(page, ...args); break;
    case 'page-load': await pageLoad(page, ...args); break;
    case 'live-latency': await liveLatency(page, ...args); break;
    case 'tour': await tour(page, ...args); break;
    case 'control': await control(page, ...args); break;
    default: throw new Error('unknown scenario ' + scenario);
  }
} finally {
  await browser.close();
}

async function runsTable(page, runId, shot) {
  await page.goto(url + '/#/runs');
  const row = page.locator(`#runs tr[data-run-id="${runId}"]`);
  await row.waitFor();  // the table refreshes itself every 5 s until the run is there
  const status = await row.locator('[data-status]').getAttribute('data-status');
  const rows = await page.locator('#runs tbody tr').count();
  await page.screenshot({ path: shot, fullPage: true });
  say('row', { run: runId, status, rows });
}

// Clicks each button as a person would and waits for the status the run reports back through ClickHouse.
async function control(page, runId, shot) {
  page.on('dialog', d => d.accept('stopped from the browser'));
  await page.goto(url + '/#/run/' + encodeURIComponent(runId));
  for (const [action, status] of [['pause', 'PAUSED'], ['resume', 'RUNNING'], ['stop', 'STOPPED']]) {
    await page.locator(`#run-controls button[data-action="${action}"]`).click();
    await page.locator('#control-result').filter({ hasText: 'sent' }).waitFor();
    say('sent', { action, result: JSON.stringify(await page.locator('#control-result').textContent()) });
    await page.locator(`#run-status [data-status="${status}"]`).waitFor();
    const buttons = await page.locator('#run-controls button').evaluateAll(bs => bs.map(b => b.dataset.action).join(','));
    say('status', { status, buttons: buttons || '-' });
    if (action === 'pause') await page.screenshot({ path: shot, fullPage: true });
  }
}

async function liveChart(page, runId, metric, shot, minGain) {
  await page.goto(url + '/#/run/' + encodeURIComponent(runId));
  await page.waitForFunction(() => window.entrenar.ready && document.getElementById('live-indicator').className === 'on');
  const chart = page.locator(`.chart[data-metric="${metric}"]`);
  await chart.waitFor();
  const before = Number(await chart.getAttribute('data-points'));
  say('opened', { points: before });
  await page.waitForFunction(([m, n]) => {
    const el = document.querySelector(`.chart[data-metric="${m}"]`);
    return el && Number(el.dataset.points) >= n;
  }, [metric, before + Number(minGain)]);
  const after = Number(await chart.getAttribute('data-points'));
  const draws = await page.evaluate(() => window.entrenar.draws.length);
  await page.screenshot({ path: shot, fullPage: true });
  say('gained', { before, after, draws });
}

async function pareto(page, benchmark, shot) {
  await page.goto(url + '/#/pareto?benchmark=' + encodeURIComponent(benchmark));
  await page.waitForFunction(() => window.entrenar.ready && document.querySelectorAll('#pareto-svg circle.point').length > 0);
  const points = await page.$$eval('#pareto-svg circle.point',
    cs => cs.map(c => ({ run: c.dataset.runId, frontier: c.classList.contains('frontier') })));
  const line = await page.getAttribute('#pareto-svg path.frontier-line', 'd');
  await page.screenshot({ path: shot, fullPage: true });
  for (const p of points) say('point', p);
  say('frontier-line', { segments: (line.match(/[ML]/g) || []).length });
}

// Time from navigation to a runs table holding the expected rows, several times (first = cold).
async function pageLoad(page, expectedRows, repeats) {
  for (let i = 0; i < Number(repeats); i++) {
    const t0 = Date.now();
    await page.goto(url + '/?load=' + i + '#/runs');
    await page.waitForFunction(n => document.querySelectorAll('#runs tbody tr').length >= n, Number(expectedRows));
    const ms = Date.now() - t0;
    const rows = await page.locator('#runs tbody tr').count();
    say('load', { ms, rows });
  }
}

// Logged (the tracker's timestamp of the newest point of a live message) to drawn (the animation
// frame after the chart took the points), for DRAWS messages; the caller logs while this waits.
async function liveLatency(page, runId, metric, draws) {
  await page.goto(url + '/#/run/' + encodeURIComponent(runId));
  await page.waitForFunction(() => window.entrenar.ready && document.getElementById('live-indicator').className === 'on');
  say('opened', { points: 0 });
  await page.waitForFunction(n => window.entrenar.draws.length >= n, Number(draws), { timeout: 300000 });
  const d = await page.evaluate(m => window.entrenar.draws.filter(x => x.metric === m), metric);
  const lat = d.map(x => x.drawnMs - x.loggedMs).sort((a, b) => a - b);
  const q = p => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
  say('latency', { draws: lat.length, p50: q(0.5), p90: q(0.9), p99: q(0.99), max: lat[lat.length - 1] });
}

// Visits each route (e.g. "sweep/ID"), waits until the view finished loading, and reports what it
// drew: table rows, SVG marks, charts, and any error the page showed.
async function tour(page, shotDir, ...routes) {
  for (const route of routes) {
    await page.goto(url + '/?tour=' + encodeURIComponent(route) + '#/' + route);
    await page.waitForFunction(() => window.entrenar.ready);
    await page.waitForTimeout(300);  // charts loaded after the view's main data
    const seen = await page.evaluate(() => ({
      rows: document.querySelectorAll('main table:not(.u-legend):not(#s-effects) tbody tr').length,
      effects: document.querySelectorAll('#s-effects tbody tr[data-param]').length,
      charts: document.querySelectorAll('.chart').length,
      bars: document.querySelectorAll('#failures-svg rect.bar').length,
      nodes: document.querySelectorAll('#lineage-svg rect.node').length,
      edges: document.querySelectorAll('#lineage-svg line.edge').length,
      errors: [...document.querySelectorAll('.error')].map(e => e.textContent).join('|').replace(/\s+/g, '_') || 'none',
    }));
    await page.screenshot({ path: `${shotDir}/tour-${route.split(/[/?]/)[0]}.png`, fullPage: true });
    say('page', { route: encodeURIComponent(route), ...seen });
  }
}
