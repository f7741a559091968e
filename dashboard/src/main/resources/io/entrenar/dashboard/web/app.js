// Entrenar web dashboard: one page, hash routes, data from /api (ClickHouse, downsampled on the
// server) and /api/live (server-sent events from Kafka). No framework: the views are small.
'use strict';

const view = document.getElementById('view');
const MARKS = { COMPLETED: '✓', FAILED: '✗', RUNNING: '●', PAUSED: '‖', STOPPED: '■', AWAITING_APPROVAL: '?',
                UNSAFE: '⚠', PENDING: '○', UNKNOWN: '·' };
const COLORS = ['#0969da', '#cf222e', '#1a7f37', '#8250df', '#bc4c00', '#0a7ea4', '#bf3989', '#6e7781', '#9a6700', '#116329'];
const MAX_LIVE_POINTS = 3000;  // per chart: older live points are thinned beyond this

// Instrumentation read by the browser tests and the latency benchmark: every chart draw of live
// points records the newest point's logging time and the time it was drawn.
window.entrenar = { draws: [], ready: false };

let cleanup = [];  // closes the current view's event streams and charts on navigation

function esc(v) {
  return String(v ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}
function num(v) { return v === null || v === undefined || v === '' ? null : Number(v); }
function fmt(v, digits = 4) {
  const n = num(v);
  if (n === null || Number.isNaN(n)) return '';
  if (Number.isInteger(n)) return String(n);
  return Math.abs(n) >= 1000 ? n.toFixed(0) : Number(n.toPrecision(digits)).toString();
}
function fmtTime(ms) { const n = num(ms); return n ? new Date(n).toISOString().replace('T', ' ').slice(0, 19) : ''; }
function fmtDuration(micros) {
  const s = num(micros) / 1e6;
  if (!s && s !== 0 || micros === null) return '';
  if (s < 60) return s.toFixed(1) + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' m ' + Math.round(s % 60) + ' s';
  return Math.floor(s / 3600) + ' h ' + Math.round((s % 3600) / 60) + ' m';
}
function statusCell(status) {
  const s = status || 'UNKNOWN';
  return `<span class="status status-${esc(s)}" data-status="${esc(s)}">${MARKS[s] || '·'} ${esc(s)}</span>`;
}
function runLink(id, name) { return `<a href="#/run/${encodeURIComponent(id)}">${esc(name || id)}</a>`; }

async function api(path) {
  const r = await fetch(path);
  const body = await r.json().catch(() => ({ error: r.statusText }));
  if (!r.ok) throw new Error(body.error || r.statusText);
  return body;
}
async function post(path, body) {
  const r = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const answer = await r.json().catch(() => ({ error: r.statusText }));
  if (!r.ok) throw new Error(answer.error || r.statusText);
  return answer;
}
// What a person can ask of a run in each status (README "Control"); a run that has ended takes no commands.
const ACTIONS = { PENDING: ['stop'], RUNNING: ['pause', 'stop'], PAUSED: ['resume', 'stop'],
  AWAITING_APPROVAL: ['approve', 'reject', 'stop'] };
function controlButtons(status) {
  return (ACTIONS[status] || []).map(a => `<button type="button" class="control" data-action="${a}">${a[0].toUpperCase() + a.slice(1)}</button>`).join(' ');
}
function fail(e) { view.insertAdjacentHTML('beforeend', `<p class="error">${esc(e.message || e)}</p>`); }

function route() {
  cleanup.forEach(f => { try { f(); } catch (e) { /* already closed */ } });
  cleanup = [];
  window.entrenar.ready = false;
  const hash = location.hash.replace(/^#\/?/, '') || 'runs';
  const [pathPart, queryPart] = hash.split('?');
  const parts = pathPart.split('/').map(decodeURIComponent);
  const q = new URLSearchParams(queryPart || '');
  document.querySelectorAll('nav a').forEach(a => a.classList.toggle('active', a.dataset.nav === parts[0]));
  const views = { runs: runsView, run: runView, overlay: overlayView, sweeps: sweepsView, sweep: sweepView,
                  pareto: paretoView, failures: failuresView, alerts: alertsView, lineage: lineageView };
  const render = views[parts[0]] || runsView;
  view.innerHTML = '';
  Promise.resolve(render(parts.slice(1), q)).then(() => { window.entrenar.ready = true; }).catch(fail);
}
window.addEventListener('hashchange', route);

function setHash(path, q) {
  const s = q.toString();
  history.replaceState(null, '', '#/' + path + (s ? '?' + s : ''));
}

// ---- runs table -------------------------------------------------------------------------------
async function runsView(_, q) {
  view.innerHTML = `<h1>Runs</h1>
    <div class="filters">
      <select id="f-experiment"><option value="">all experiments</option></select>
      <select id="f-status"><option value="">any status</option>
        ${Object.keys(MARKS).map(s => `<option>${s}</option>`).join('')}</select>
      <input id="f-text" type="search" placeholder="search id, name, tags, params" size="30">
      <button id="compare" disabled>Overlay selected</button>
      <span id="runs-count" class="muted"></span>
    </div>
    <table id="runs"><thead><tr><th></th><th>status</th><th>run</th><th>experiment</th><th>sweep</th>
      <th>started (UTC)</th><th class="num">duration</th><th class="num">steps</th><th>summary</th><th>error</th>
      <th class="num">cost $</th><th></th></tr></thead><tbody></tbody></table>`;
  const exp = document.getElementById('f-experiment');
  const status = document.getElementById('f-status');
  const text = document.getElementById('f-text');
  // The experiment list loads after the table: keep the URL's choice as an option until it does.
  const wanted = q.get('experiment') || '';
  if (wanted) exp.insertAdjacentHTML('beforeend', `<option value="${esc(wanted)}">${esc(wanted)}</option>`);
  exp.value = wanted; status.value = q.get('status') || ''; text.value = q.get('q') || '';
  api('/api/experiments').then(r => {
    const chosen = exp.value;
    exp.innerHTML = '<option value="">all experiments</option>' + r.data.filter(e => e.experiment_id).map(e =>
      `<option value="${esc(e.experiment_id)}">${esc(e.experiment_name || e.experiment_id)} (${esc(e.runs)})</option>`).join('');
    if (chosen && ![...exp.options].some(o => o.value === chosen)) exp.insertAdjacentHTML('beforeend', `<option value="${esc(chosen)}">${esc(chosen)}</option>`);
    exp.value = chosen;
  }).catch(fail);
  const selected = new Set();
  const compare = document.getElementById('compare');
  compare.onclick = () => { location.hash = '#/overlay?runs=' + [...selected].map(encodeURIComponent).join(','); };
  async function load() {
    const p = new URLSearchParams();
    if (exp.value) p.set('experiment', exp.value);
    if (status.value) p.set('status', status.value);
    if (text.value) p.set('q', text.value);
    setHash('runs', p);
    const r = await api('/api/runs?' + p);
    const tbody = document.querySelector('#runs tbody');
    tbody.innerHTML = r.data.map(run => {
      const summary = Object.entries(run.summary || {}).slice(0, 3).map(([k, v]) => `${esc(k)}=${fmt(v)}`).join(' ');
      const steps = run.total_steps ?? '';
      return `<tr data-run-id="${esc(run.run_id)}">
        <td><input type="checkbox" class="pick" value="${esc(run.run_id)}" ${selected.has(run.run_id) ? 'checked' : ''}></td>
        <td>${statusCell(run.status)}</td><td>${runLink(run.run_id, run.run_name)}</td>
        <td>${esc(run.experiment_name || run.experiment_id)}</td>
        <td>${run.sweep_id ? `<a href="#/sweep/${encodeURIComponent(run.sweep_id)}">${esc(run.sweep_id)}</a>` : ''}</td>
        <td>${fmtTime(run.started_ms)}</td><td class="num">${fmtDuration(run.duration_micros)}</td>
        <td class="num">${esc(steps)}${run.planned_total_steps ? ' / ' + esc(run.planned_total_steps) : ''}</td>
        <td>${summary}</td><td>${esc(run.error_code)}</td><td class="num">${fmt(run.cost_usd)}</td>
        <td><a href="#/lineage/${encodeURIComponent(run.run_id)}">lineage</a></td></tr>`;
    }).join('');
    const matched = r.data.length ? Number(r.data[0].matched) : 0;
    document.getElementById('runs-count').textContent = `${r.data.length} shown of ${matched} matching`;
    tbody.querySelectorAll('input.pick').forEach(box => box.onchange = () => {
      box.checked ? selected.add(box.value) : selected.delete(box.value);
      compare.disabled = selected.size < 1;
    });
  }
  let timer;
  exp.onchange = status.onchange = () => load().catch(fail);
  text.oninput = () => { clearTimeout(timer); timer = setTimeout(() => load().catch(fail), 250); };
  // The table follows new and finishing runs without a reload.
  const refresh = setInterval(() => { if (!document.hidden) load().catch(() => {}); }, 5000);
  cleanup.push(() => clearInterval(refresh));
  await load();
}

// ---- charts -----------------------------------------------------------------------------------
function lineChart(container, title, seriesNames, data, height = 240, xLabel = 'step') {
  const el = document.createElement('div');
  el.className = 'chart';
  el.dataset.metric = title;
  el.innerHTML = `<h3>${esc(title)}</h3>`;
  container.appendChild(el);
  const width = Math.max(360, el.clientWidth - 16);
  const opts = {
    width, height,
    scales: { x: { time: false } },
    axes: [{ label: xLabel }, {}],
    series: [{ label: xLabel }, ...seriesNames.map((n, i) => ({ label: n, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: true }))],
    legend: { live: true },
  };
  const plot = new uPlot(opts, data, el);
  const setPoints = () => { el.dataset.points = String(data[0].length); };
  setPoints();
  cleanup.push(() => plot.destroy());
  return {
    el, plot, data,
    set(newData) { data = newData; this.data = newData; plot.setData(newData); setPoints(); },
  };
}

// Bucketed history from metric_history.sql: x = bucket start, y = bucket mean (the last value when a
// bucket holds only non-finite points, so a NaN run still shows where it broke).
function historySeries(h) {
  const xs = [], ys = [];
  for (const b of h.data) {
    xs.push(Number(b.bucket_start));
    ys.push(b.mean === null ? null : Number(b.mean));
  }
  return [xs, ys];
}

// ---- run page ---------------------------------------------------------------------------------
async function runView([runId]) {
  view.innerHTML = `<h1>Run <span id="run-title">${esc(runId)}</span></h1>
    <div class="row"><dl class="kv" id="run-meta"></dl><div><h2 style="margin-top:0">Alerts</h2>
    <table id="run-alerts"><tbody></tbody></table></div></div>
    <h2>Metrics <span class="muted" id="live-state"></span></h2><div class="charts" id="charts"></div>
    <h2>Process <span class="muted" id="process-note"></span></h2><div class="charts" id="process-charts"></div>`;
  const charts = new Map();   // metric -> chart
  const pendingLive = [];     // live messages that arrived before the history
  let historyLoaded = false;
  const source = new EventSource('/api/live/runs/' + encodeURIComponent(runId));
  cleanup.push(() => source.close());
  source.onopen = () => { document.getElementById('live-indicator').className = 'on'; document.getElementById('live-indicator').textContent = 'live'; };
  source.onerror = () => { document.getElementById('live-indicator').className = ''; };
  source.addEventListener('points', ev => {
    const msg = JSON.parse(ev.data);
    historyLoaded ? applyLive(msg) : pendingLive.push(msg);
  });
  source.addEventListener('alert', ev => addAlert(JSON.parse(ev.data)));

  function applyLive(msg) {
    for (const [metric, pts] of Object.entries(msg.metrics)) {
      let chart = charts.get(metric);
      if (!chart) chart = makeChart(metric, [[], []]);
      const [xs, ys] = chart.data;
      const last = xs.length ? xs[xs.length - 1] : -Infinity;
      for (let i = 0; i < pts.steps.length; i++) {
        if (pts.steps[i] > last || xs.length === 0) { xs.push(pts.steps[i]); ys.push(pts.values[i]); }
      }
      if (xs.length > MAX_LIVE_POINTS) {   // keep the newest half dense, thin the older half
        const half = Math.floor(xs.length / 2);
        const keepX = [], keepY = [];
        for (let i = 0; i < half; i += 2) { keepX.push(xs[i]); keepY.push(ys[i]); }
        chart.set([keepX.concat(xs.slice(half)), keepY.concat(ys.slice(half))]);
      } else {
        chart.set([xs, ys]);
      }
      const loggedMs = pts.ms[pts.ms.length - 1];
      requestAnimationFrame(() => window.entrenar.draws.push({ metric, step: pts.steps[pts.steps.length - 1], loggedMs,
        sentMs: msg.sent_ms, drawnMs: Date.now(), points: chart.data[0].length }));
    }
  }
  function makeChart(metric, data) {
    const chart = lineChart(document.getElementById('charts'), metric, [metric], data);
    charts.set(metric, chart);
    return chart;
  }
  const alertRows = new Map();
  function addAlert(a) {
    const tbody = document.querySelector('#run-alerts tbody');
    if (!tbody) return;
    const html = `<td><span class="pill ${esc(a.state)}">${esc(a.state)}</span></td><td>${esc(a.severity)}</td>
      <td>${esc(a.rule)}</td><td>${esc(a.message)}</td><td class="muted">${fmtTime(a.updated_ms)}</td>`;
    let tr = alertRows.get(a.incident_id);
    if (!tr) { tr = document.createElement('tr'); tbody.prepend(tr); alertRows.set(a.incident_id, tr); }
    tr.innerHTML = html;
  }

  const [runR, metricsR, alertsR] = await Promise.all([
    api('/api/runs/' + encodeURIComponent(runId)),
    api('/api/runs/' + encodeURIComponent(runId) + '/metrics'),
    api('/api/alerts?run=' + encodeURIComponent(runId)),
  ]);
  const run = runR.data[0];
  if (run) {
    document.getElementById('run-title').textContent = run.run_name || runId;
    const params = Object.entries(run.params || {}).map(([k, v]) => `${esc(k)}=${esc(v)}`).join(', ');
    const summary = Object.entries(run.summary || {}).map(([k, v]) => `${esc(k)}=${fmt(v)}`).join(', ');
    document.getElementById('run-meta').innerHTML = `
      <dt>status</dt><dd id="run-status">${statusCell(run.status)}</dd>
      <dt>control</dt><dd><span id="run-controls">${controlButtons(run.status)}</span> <span class="muted" id="control-result"></span></dd>
      <dt>run id</dt><dd>${esc(run.run_id)}</dd>
      <dt>experiment</dt><dd>${esc(run.experiment_name || run.experiment_id)}</dd>
      ${run.sweep_id ? `<dt>sweep</dt><dd><a href="#/sweep/${encodeURIComponent(run.sweep_id)}">${esc(run.sweep_id)}</a></dd>` : ''}
      <dt>started</dt><dd>${fmtTime(run.started_ms)}</dd>
      <dt>duration</dt><dd>${fmtDuration(run.duration_micros)}</dd>
      <dt>params</dt><dd>${params}</dd><dt>summary</dt><dd>${summary}</dd>
      ${run.error_code ? `<dt>error</dt><dd>${esc(run.error_code)}</dd>` : ''}
      <dt>lineage</dt><dd><a href="#/lineage/${encodeURIComponent(runId)}">graph</a></dd>`;
  } else {
    document.getElementById('run-meta').innerHTML = '<dt>status</dt><dd class="muted">not in ClickHouse yet; live points appear as they arrive</dd>';
  }
  alertsR.data.slice().reverse().forEach(addAlert);
  // Status, duration and summary change when the run finishes: follow them while the page is open.
  const follow = setInterval(() => {
    if (document.hidden) return;
    api('/api/runs/' + encodeURIComponent(runId)).then(r => {
      const now = r.data[0];
      const cell = document.getElementById('run-status');
      if (now && cell && cell.firstElementChild?.dataset.status !== now.status) {
        cell.innerHTML = statusCell(now.status);
        document.getElementById('run-controls').innerHTML = controlButtons(now.status);
      }
    }).catch(() => {});
  }, 2000);
  document.getElementById('run-meta').addEventListener('click', async ev => {
    const action = ev.target.closest('button.control')?.dataset.action;
    if (!action) return;
    const result = document.getElementById('control-result');
    let reason = '';
    if (action === 'stop' || action === 'reject') {
      reason = window.prompt(`Why ${action} this run? (recorded with the command)`, '');
      if (reason === null) return;
    }
    try {
      const sent = await post('/api/runs/' + encodeURIComponent(runId) + '/control', { action, reason });
      result.textContent = `${sent.action} sent; the run obeys it before its next step`;
      result.className = 'muted';
    } catch (e) {
      result.textContent = e.message;
      result.className = 'error';
    }
  });
  cleanup.push(() => clearInterval(follow));
  processCharts(runId).catch(fail);
  const names = metricsR.data.map(m => m.name).slice(0, 24);
  const histories = await Promise.all(names.map(n =>
    api('/api/history?run=' + encodeURIComponent(runId) + '&metric=' + encodeURIComponent(n))));
  histories.forEach((h, i) => makeChart(names[i], historySeries(h.runs[0].history)));
  historyLoaded = true;
  pendingLive.splice(0).forEach(applyLive);
}

// The JVM the run trained in (the agent's process record, or the run's own samples), over the run's life.
async function processCharts(runId) {
  const p = (await api('/api/runs/' + encodeURIComponent(runId) + '/process')).data;
  const note = document.getElementById('process-note');
  if (!note) return;
  if (!p.length) { note.textContent = 'no resource samples (run the job with the -javaagent)'; return; }
  const host = p[0].process_run_id;
  note.innerHTML = host === runId ? 'the run\'s own samples' : `the JVM's record ${esc(host)}, during this run`;
  const t0 = Number(p[0].ts_ms);
  const xs = p.map(r => (Number(r.ts_ms) - t0) / 1000);
  const container = document.getElementById('process-charts');
  for (const [metric, label] of [['heap_used_mb', 'heap used (MB)'], ['cpu_pct', 'process CPU (%)'], ['gc_pause_ms', 'GC pause (ms)'], ['threads', 'threads']]) {
    const chart = lineChart(container, label, [label], [xs, p.map(r => num(r[metric]))], 200, 'seconds into the run');
    chart.el.dataset.process = metric;
  }
}

// ---- overlay ----------------------------------------------------------------------------------
async function overlayView(_, q) {
  const runs = (q.get('runs') || '').split(',').filter(Boolean);
  view.innerHTML = `<h1>Overlay of ${runs.length} runs</h1>
    <div class="filters"><label>metric <select id="o-metric"></select></label></div><div id="o-chart"></div>`;
  if (!runs.length) { view.insertAdjacentHTML('beforeend', '<p class="muted">Pick runs in the runs table.</p>'); return; }
  const lists = await Promise.all(runs.map(r => api('/api/runs/' + encodeURIComponent(r) + '/metrics')));
  const names = [...new Set(lists.flatMap(l => l.data.map(m => m.name)))].sort();
  const sel = document.getElementById('o-metric');
  sel.innerHTML = names.map(n => `<option>${esc(n)}</option>`).join('');
  sel.value = q.get('metric') && names.includes(q.get('metric')) ? q.get('metric') : (names.includes('loss') ? 'loss' : names[0] || '');
  async function draw() {
    const p = new URLSearchParams({ runs: runs.join(','), metric: sel.value });
    setHash('overlay', p);
    await overlayChart(document.getElementById('o-chart'), runs, sel.value);
  }
  sel.onchange = () => draw().catch(fail);
  if (sel.value) await draw();
}

async function overlayChart(container, runs, metric) {
  container.innerHTML = '';
  if (!metric) return;
  const h = await api('/api/history?metric=' + encodeURIComponent(metric) + runs.map(r => '&run=' + encodeURIComponent(r)).join(''));
  const tables = h.runs.map(r => historySeries(r.history));
  const data = uPlot.join(tables);
  const names = new Map(h.names.data.map(n => [n.run_id, n.run_name]));
  lineChart(container, metric, h.runs.map(r => names.get(r.run_id) || r.run_id), data, 360);
}

// ---- sweeps -----------------------------------------------------------------------------------
async function sweepsView() {
  view.innerHTML = `<h1>Sweeps</h1><table id="sweeps"><thead><tr><th>sweep</th><th>experiment</th><th class="num">trials</th>
    <th class="num">completed</th><th class="num">failed</th><th class="num">running</th><th>started</th></tr></thead><tbody></tbody></table>`;
  const r = await api('/api/sweeps');
  document.querySelector('#sweeps tbody').innerHTML = r.data.map(s => `<tr><td><a href="#/sweep/${encodeURIComponent(s.sweep_id)}">${esc(s.sweep_id)}</a></td>
    <td>${esc(s.experiment_name)}</td><td class="num">${esc(s.runs)}</td><td class="num">${esc(s.completed)}</td>
    <td class="num">${esc(s.failed)}</td><td class="num">${esc(s.running)}</td><td>${fmtTime(s.started_ms)}</td></tr>`).join('')
    || '<tr><td colspan="7" class="muted">no sweeps yet</td></tr>';
}

async function sweepView([sweepId], q) {
  const r = await api('/api/sweeps/' + encodeURIComponent(sweepId));
  const trials = r.data;
  // Only the parameters the trials differ in: a trainer run records every resolved config value.
  const paramKeys = [...new Set(trials.flatMap(t => Object.keys(t.params || {})))].sort()
    .filter(k => new Set(trials.map(t => (t.params || {})[k])).size > 1);
  const summaryKeys = [...new Set(trials.flatMap(t => Object.keys(t.summary || {})))].sort();
  let sortKey = q.get('by') || ['test_accuracy', 'accuracy', 'val_accuracy'].find(k => summaryKeys.includes(k)) || summaryKeys[0] || '';
  view.innerHTML = `<h1>Sweep ${esc(sweepId)} <span class="muted">${trials.length} trials</span></h1>
    <div class="filters"><label>rank by <select id="s-by">${summaryKeys.map(k => `<option>${esc(k)}</option>`).join('')}</select></label>
    <label><input type="checkbox" id="s-desc" checked> higher is better</label></div>
    <table id="sweep"><thead></thead><tbody></tbody></table>
    <h2>Parameters that mattered <span class="muted" id="s-effects-note"></span></h2>
    <table id="s-effects"><thead><tr><th>parameter</th><th>value</th><th class="num">trials</th><th class="num">mean</th>
    <th class="num">best</th><th class="num">worst</th><th class="num">effect</th></tr></thead><tbody></tbody></table>
    <h2>Top trials, overlaid</h2><div id="s-chart"></div>`;
  const by = document.getElementById('s-by');
  const desc = document.getElementById('s-desc');
  by.value = sortKey;
  function render() {
    sortKey = by.value;
    const sign = desc.checked ? -1 : 1;
    const sorted = trials.slice().sort((a, b) => {
      const va = num((a.summary || {})[sortKey]), vb = num((b.summary || {})[sortKey]);
      if (va === null) return 1; if (vb === null) return -1;
      return sign * (va - vb);
    });
    document.querySelector('#sweep thead').innerHTML = `<tr><th>#</th><th>status</th><th>trial</th>
      ${paramKeys.map(k => `<th>${esc(k)}</th>`).join('')}${summaryKeys.map(k => `<th class="num">${esc(k)}</th>`).join('')}</tr>`;
    document.querySelector('#sweep tbody').innerHTML = sorted.map((t, i) => `<tr data-run-id="${esc(t.run_id)}"><td>${i + 1}</td>
      <td>${statusCell(t.status)}</td><td>${runLink(t.run_id, t.run_name)}</td>
      ${paramKeys.map(k => `<td>${esc((t.params || {})[k])}</td>`).join('')}
      ${summaryKeys.map(k => `<td class="num">${fmt((t.summary || {})[k])}</td>`).join('')}</tr>`).join('');
    const top = sorted.slice(0, 8).map(t => t.run_id);
    const metric = q.get('metric') || 'loss';
    return Promise.all([effects(), overlayChart(document.getElementById('s-chart'), top, metric)]);
  }
  // Per varying parameter: the metric's mean per value; effect = spread of those means (largest first).
  async function effects() {
    document.getElementById('s-effects-note').textContent = sortKey ? `(mean ${sortKey} per value; effect = max - min of the means)` : '';
    const rows = sortKey ? (await api('/api/sweeps/' + encodeURIComponent(sweepId) + '/effects?metric=' + encodeURIComponent(sortKey))).data : [];
    let previous = null;
    document.querySelector('#s-effects tbody').innerHTML = rows.map(e => {
      const first = e.param !== previous;
      previous = e.param;
      return `<tr data-param="${esc(e.param)}"><td>${first ? esc(e.param) : ''}</td><td>${esc(e.value)}</td><td class="num">${esc(e.trials)}</td>
        <td class="num">${fmt(e.mean)}</td><td class="num">${fmt(e.best)}</td><td class="num">${fmt(e.worst)}</td>
        <td class="num">${first ? fmt(e.effect) : ''}</td></tr>`;
    }).join('') || '<tr><td colspan="7" class="muted">no completed trials with this metric differ in a parameter yet</td></tr>';
  }
  by.onchange = desc.onchange = () => render().catch(fail);
  await render();
}

// ---- Pareto -----------------------------------------------------------------------------------
async function paretoView(_, q) {
  view.innerHTML = `<h1>Cost / quality Pareto frontier</h1>
    <div class="filters"><label>benchmark <select id="p-bench"></select></label><span class="muted" id="p-note"></span></div>
    <div id="p-chart"></div><table id="pareto"><thead><tr><th>frontier</th><th>run</th><th>model</th><th>device</th>
    <th class="num">quality</th><th class="num">cost $</th><th class="num">quality per $</th><th>dominated by</th></tr></thead><tbody></tbody></table>`;
  const b = await api('/api/benchmarks');
  const sel = document.getElementById('p-bench');
  sel.innerHTML = b.data.map(x => `<option value="${esc(x.benchmark)}">${esc(x.benchmark)} (${esc(x.runs)} runs, ${esc(x.quality_metric)})</option>`).join('');
  if (!b.data.length) { document.getElementById('p-note').textContent = 'no leaderboard entries yet'; return; }
  sel.value = q.get('benchmark') && b.data.some(x => x.benchmark === q.get('benchmark')) ? q.get('benchmark') : b.data[0].benchmark;
  async function draw() {
    setHash('pareto', new URLSearchParams({ benchmark: sel.value }));
    const r = await api('/api/pareto?benchmark=' + encodeURIComponent(sel.value));
    // An unknown cost stays unknown (blank, not plotted), never $0.
    const rows = r.data.map(e => ({ ...e, quality: Number(e.quality), cost: e.cost_usd === null ? null : Number(e.cost_usd),
      frontier: e.pareto_optimal === true || e.pareto_optimal === 1 || e.pareto_optimal === 'true' }));
    scatter(document.getElementById('p-chart'), rows.filter(e => e.cost !== null));
    const unknown = rows.filter(e => e.cost === null).length;
    document.getElementById('p-note').textContent = unknown ? `${unknown} of ${rows.length} runs have no known cost: listed, not plotted` : '';
    document.querySelector('#pareto tbody').innerHTML = rows.map(e => `<tr data-run-id="${esc(e.run_id)}" data-frontier="${e.frontier}">
      <td>${e.frontier ? '★' : ''}</td><td>${runLink(e.run_id)}</td><td>${esc(e.model)}</td><td>${esc(e.device)}</td>
      <td class="num">${fmt(e.quality)}</td><td class="num">${fmt(e.cost)}</td><td class="num">${fmt(e.efficiency)}</td>
      <td>${(e.dominated_by || []).slice(0, 4).map(esc).join(', ')}</td></tr>`).join('');
  }
  sel.onchange = () => draw().catch(fail);
  await draw();
}

function scatter(container, rows) {
  const W = 720, H = 400, L = 60, R = 20, T = 20, B = 44;
  const xs = rows.map(r => r.cost), ys = rows.map(r => r.quality);
  const [x0, x1] = pad(Math.min(...xs), Math.max(...xs)), [y0, y1] = pad(Math.min(...ys), Math.max(...ys));
  const sx = v => L + (v - x0) / (x1 - x0) * (W - L - R), sy = v => H - B - (v - y0) / (y1 - y0) * (H - T - B);
  const frontier = rows.filter(r => r.frontier).sort((a, b) => a.cost - b.cost);
  const ticks = (a, b) => [0, 0.25, 0.5, 0.75, 1].map(t => a + t * (b - a));
  container.innerHTML = `<svg id="pareto-svg" width="${W}" height="${H}" role="img" aria-label="Pareto scatter">
    ${ticks(y0, y1).map(v => `<line class="grid" x1="${L}" x2="${W - R}" y1="${sy(v)}" y2="${sy(v)}"/><text x="${L - 6}" y="${sy(v) + 4}" text-anchor="end">${fmt(v, 3)}</text>`).join('')}
    ${ticks(x0, x1).map(v => `<text x="${sx(v)}" y="${H - B + 16}" text-anchor="middle">${fmt(v, 3)}</text>`).join('')}
    <line class="axis" x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}"/><line class="axis" x1="${L}" x2="${L}" y1="${T}" y2="${H - B}"/>
    <text x="${(L + W - R) / 2}" y="${H - 6}" text-anchor="middle">cost (USD)</text>
    <text x="14" y="${(T + H - B) / 2}" transform="rotate(-90 14 ${(T + H - B) / 2})" text-anchor="middle">quality</text>
    <path class="frontier-line" d="${frontier.map((r, i) => (i ? 'L' : 'M') + sx(r.cost) + ' ' + sy(r.quality)).join(' ')}"/>
    ${rows.map(r => `<circle class="point${r.frontier ? ' frontier' : ''}" data-run-id="${esc(r.run_id)}" cx="${sx(r.cost)}" cy="${sy(r.quality)}" r="${r.frontier ? 6 : 4.5}"><title>${esc(r.run_id)}: quality ${fmt(r.quality)}, $${fmt(r.cost)}${r.frontier ? ' (frontier)' : ''}</title></circle>`).join('')}
  </svg>`;
}
function pad(a, b) { if (!isFinite(a) || !isFinite(b)) return [0, 1]; const d = (b - a) || Math.abs(a) || 1; return [a - d * 0.08, b + d * 0.08]; }

// ---- failures ---------------------------------------------------------------------------------
async function failuresView(_, q) {
  view.innerHTML = `<h1>Failure Pareto</h1><div class="filters"><select id="fx"><option value="">all experiments</option></select></div>
    <div id="f-chart"></div><table id="failures"><thead><tr><th>error code</th><th>category</th><th class="num">occurrences</th>
    <th class="num">runs</th><th class="num">%</th><th class="num">cumulative %</th><th>remediation</th></tr></thead><tbody></tbody></table>`;
  const sel = document.getElementById('fx');
  const exps = await api('/api/experiments');
  exps.data.filter(e => e.experiment_id).forEach(e => sel.insertAdjacentHTML('beforeend', `<option value="${esc(e.experiment_id)}">${esc(e.experiment_name || e.experiment_id)}</option>`));
  sel.value = q.get('experiment') || '';
  async function draw() {
    setHash('failures', new URLSearchParams(sel.value ? { experiment: sel.value } : {}));
    const r = await api('/api/failures?experiment=' + encodeURIComponent(sel.value));
    bars(document.getElementById('f-chart'), r.data);
    document.querySelector('#failures tbody').innerHTML = r.data.map(f => `<tr data-error-code="${esc(f.error_code)}"><td>${esc(f.error_code)}</td>
      <td>${esc(f.category)}</td><td class="num">${esc(f.occurrences)}</td><td class="num">${esc(f.runs)}</td>
      <td class="num">${fmt(f.pct)}</td><td class="num">${fmt(f.cumulative_pct)}</td><td>${esc(f.remediation)}</td></tr>`).join('')
      || '<tr><td colspan="7" class="muted">no failed runs</td></tr>';
  }
  sel.onchange = () => draw().catch(fail);
  await draw();
}

function bars(container, rows) {
  if (!rows.length) { container.innerHTML = ''; return; }
  const W = 720, H = 300, L = 50, R = 50, T = 16, B = 60;
  const max = Math.max(...rows.map(r => Number(r.occurrences)));
  const bw = Math.min(90, (W - L - R) / rows.length);
  const sy = v => H - B - v / max * (H - T - B), sp = p => H - B - p / 100 * (H - T - B);
  container.innerHTML = `<svg id="failures-svg" width="${W}" height="${H}">
    <line class="axis" x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}"/>
    ${rows.map((r, i) => `<rect class="bar" data-error-code="${esc(r.error_code)}" x="${L + i * bw + bw * 0.15}" y="${sy(Number(r.occurrences))}" width="${bw * 0.7}" height="${H - B - sy(Number(r.occurrences))}"><title>${esc(r.error_code)}: ${esc(r.occurrences)}</title></rect>
      <text x="${L + i * bw + bw / 2}" y="${H - B + 14}" text-anchor="middle">${esc(r.error_code)}</text>`).join('')}
    <path class="cumulative" d="${rows.map((r, i) => (i ? 'L' : 'M') + (L + i * bw + bw / 2) + ' ' + sp(Number(r.cumulative_pct))).join(' ')}"/>
    <text x="${W - R + 6}" y="${sp(100) + 4}">100%</text><text x="${W - R + 6}" y="${sp(80) + 4}">80%</text>
    <text x="${L - 6}" y="${sy(max) + 4}" text-anchor="end">${max}</text>
  </svg>`;
}

// ---- alerts feed ------------------------------------------------------------------------------
async function alertsView() {
  view.innerHTML = `<h1>Alerts</h1><table id="alerts"><thead><tr><th>state</th><th>severity</th><th>run</th><th>rule</th>
    <th>metric</th><th class="num">step</th><th>message</th><th>suggested action</th><th>updated (UTC)</th></tr></thead><tbody></tbody></table>`;
  const rows = new Map();
  const tbody = document.querySelector('#alerts tbody');
  function put(a, prepend) {
    let tr = rows.get(a.incident_id);
    if (!tr) { tr = document.createElement('tr'); rows.set(a.incident_id, tr); }
    tr.dataset.incident = a.incident_id;
    tr.innerHTML = `<td><span class="pill ${esc(a.state)}">${esc(a.state)}</span></td><td>${esc(a.severity)}</td>
      <td>${runLink(a.run_id)}</td><td>${esc(a.rule)}</td><td>${esc(a.metric)}</td><td class="num">${esc(a.step)}</td>
      <td>${esc(a.message)}</td><td>${esc(a.suggested_action)}</td><td>${fmtTime(a.updated_ms)}</td>`;
    prepend ? tbody.prepend(tr) : tbody.appendChild(tr);
  }
  const source = new EventSource('/api/live/alerts');
  cleanup.push(() => source.close());
  const early = [];
  let loaded = false;
  source.addEventListener('alert', ev => { const a = JSON.parse(ev.data); loaded ? put(a, true) : early.push(a); });
  const r = await api('/api/alerts?limit=300');
  r.data.forEach(a => put(a, false));
  loaded = true;
  early.forEach(a => put(a, true));
}

// ---- lineage ----------------------------------------------------------------------------------
async function lineageView([runId]) {
  view.innerHTML = `<h1>Lineage of ${runLink(runId)}</h1><div id="l-graph"></div>`;
  const g = await api('/api/lineage/' + encodeURIComponent(runId));
  const nodes = new Map(g.nodes.data.map(n => [n.run_id, n]));
  const byDepth = new Map();
  for (const [id, d] of Object.entries(g.depth)) {
    if (!byDepth.has(d)) byDepth.set(d, []);
    byDepth.get(d).push(id);
  }
  const depths = [...byDepth.keys()].sort((a, b) => a - b);
  const NW = 170, NH = 40, GX = 80, GY = 18;
  const pos = new Map();
  depths.forEach((d, col) => byDepth.get(d).sort().forEach((id, row) => pos.set(id, { x: 20 + col * (NW + GX), y: 20 + row * (NH + GY) })));
  const W = 40 + depths.length * (NW + GX), H = 40 + Math.max(...[...byDepth.values()].map(v => v.length)) * (NH + GY);
  const edges = g.edges.data.filter(e => pos.has(e.child_run_id) && pos.has(e.parent_run_id));
  document.getElementById('l-graph').innerHTML = `<svg id="lineage-svg" width="${W}" height="${H}">
    <defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="#8a93a3"/></marker></defs>
    ${edges.map(e => { const p = pos.get(e.parent_run_id), c = pos.get(e.child_run_id);
      const x1 = p.x + NW, y1 = p.y + NH / 2, x2 = c.x, y2 = c.y + NH / 2;
      return `<line class="edge" x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}"/><text x="${(x1 + x2) / 2}" y="${(y1 + y2) / 2 - 4}" text-anchor="middle" class="muted">${esc(e.role)}</text>`; }).join('')}
    ${[...pos.entries()].map(([id, p]) => { const n = nodes.get(id) || {};
      return `<a href="#/run/${encodeURIComponent(id)}"><rect class="node${id === runId ? ' focus' : ''}" data-run-id="${esc(id)}" x="${p.x}" y="${p.y}" width="${NW}" height="${NH}"/>
        <text x="${p.x + 8}" y="${p.y + 16}">${esc((n.run_name || id).slice(0, 24))}</text>
        <text x="${p.x + 8}" y="${p.y + 31}" class="status-${esc(n.status)}">${MARKS[n.status] || '·'} ${esc(n.status || '')}</text></a>`; }).join('')}
  </svg>${edges.length ? '' : '<p class="muted">No recorded parents or children.</p>'}`;
}

route();
