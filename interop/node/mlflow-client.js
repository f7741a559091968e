#!/usr/bin/env node
'use strict';
/*
 * Interop peer: a whole MLflow tracking workflow driven through the npm package `mlflow` 2.0.7
 * (Yuhsak/mlflow, a third-party Node client), against the server at $MLFLOW_TRACKING_URI.
 *
 *   MLFLOW_TRACKING_URI=http://127.0.0.1:5000 node interop/node/mlflow-client.js
 *        [optional: MLFLOW_EXPERIMENT_NAME=name]
 *
 * Every call goes through the package's classes (Experiments, Runs, Metrics, Artifacts). Where the
 * package has no method (get-by-name, the artifact upload) or its method is broken
 * (setExperimentTag), the call still goes through the package's own transport (MLflowBase.req),
 * except the artifact PUT, which is a plain fetch: the package only speaks JSON.
 *
 * What the package does that matters here (lib/mlflow.js, 2.0.7):
 *  - it console.log()s every POST body: stdout would carry them, so console.log goes to stderr here
 *    and the one JSON result is written with process.stdout.write;
 *  - any status but 200 becomes Error("Error: {\"status\",\"statusText\",\"data\"}"), data being the
 *    server's JSON ({error_code, message});
 *  - bodies are JSON.stringify'd, so a NaN metric value goes out as null (MLflow refuses a null
 *    value); the string "NaN" goes out as a string, which MLflow's protobuf JSON parsing accepts;
 *  - Experiments.setExperimentTag posts to ".../experimentsset-experiment-tag" (no slash), a 404 on
 *    any server;
 *  - Experiments.list is GET experiments/list, which MLflow's own server dropped in 2.0;
 *  - Runs.create sends no run_name (the name goes in the mlflow.runName tag) and Runs.update sends
 *    end_time.
 *
 * Prints one JSON object on stdout. Exit codes: 0 ok, 1 error (with "mlflow-client.js: STEP: ..." on
 * stderr, quoting the server's error_code and message), 2 no MLFLOW_TRACKING_URI.
 */
const stdout = process.stdout.write.bind(process.stdout);
console.log = (...args) => console.error(...args); // the package logs each POST body

const MLflow = require('mlflow');
const { MLflowBase } = require('mlflow/lib/mlflow');
const { RunStatus, ViewType } = require('mlflow/enum');

const EXIT_ERROR = 1, EXIT_USAGE = 2;

const uri = (process.env.MLFLOW_TRACKING_URI || '').replace(/\/+$/, '');
if (!uri) {
  process.stderr.write('mlflow-client.js: set MLFLOW_TRACKING_URI (e.g. http://127.0.0.1:5000)\n');
  process.exit(EXIT_USAGE);
}

/** The server's answer inside the package's Error, or null when the call never got one (network). */
function serverError(e) {
  const text = String(e && e.message || e).replace(/^(Error: )+/, '');
  try {
    const parsed = JSON.parse(text);
    if (parsed && typeof parsed.status === 'number') return parsed;
  } catch (_) { /* not the package's HTTP error */ }
  return null;
}

function describe(e) {
  const s = serverError(e);
  if (s) {
    const d = s.data || {};
    return `HTTP ${s.status} ${s.statusText || ''}`.trim() + (d.error_code ? `: ${d.error_code}: ${d.message}` : `: ${JSON.stringify(d)}`);
  }
  const cause = e && e.cause ? ` (${e.cause.code || ''} ${e.cause.message || e.cause})` : '';
  return `${e && e.message || e}${cause}`;
}

let current = 'start';
async function step(name, fn) {
  current = name;
  return fn();
}

/** A call the script expects to fail: {status, error_code, message}, or {ok: true, answer} if it did not. */
async function refused(name, fn) {
  current = name;
  try {
    return { ok: true, answer: await fn() };
  } catch (e) {
    const s = serverError(e);
    if (!s) throw e;
    return { status: s.status, error_code: (s.data || {}).error_code || null, message: (s.data || {}).message || null };
  }
}

/** The package's transport for the endpoints it has no (working) method for. */
class ExperimentsExtra extends MLflowBase {
  constructor(args) {
    super(args);
    this.path = '/experiments';
  }
  getByName({ experiment_name }) {
    return this.req('get', '/get-by-name', { experiment_name });
  }
  setExperimentTag({ experiment_id, key, value }) {
    return this.req('post', '/set-experiment-tag', { experiment_id, key, value });
  }
}

const kv = (list) => Object.fromEntries((list || []).map((t) => [t.key, t.value]));
const metricMap = (list) => Object.fromEntries((list || []).map((m) => [m.key, { value: m.value, step: m.step, timestamp: m.timestamp }]));

async function main() {
  const client = new MLflow({ endpoint: uri });
  const { Experiments, Runs, Metrics, Artifacts } = client;
  const extra = new ExperimentsExtra({ endpoint: uri });
  const out = { tracking_uri: uri, package: require('mlflow/package.json').version };

  // ---- experiment: find by name in the list, else create; get it by id and by name ----
  const name = process.env.MLFLOW_EXPERIMENT_NAME || `node-mlflow-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const before = await step('Experiments.list', () => Experiments.list());
  let experimentId = ((before.experiments || []).find((e) => e.name === name) || {}).experiment_id;
  const created = !experimentId;
  if (created) {
    experimentId = (await step('Experiments.create', () => Experiments.create({ name }))).experiment_id;
  }
  const got = (await step('Experiments.get', () => Experiments.get({ experiment_id: experimentId }))).experiment;
  const byName = (await step('experiments/get-by-name', () => extra.getByName({ experiment_name: name }))).experiment;
  const tagBug = await refused('Experiments.setExperimentTag', () =>
    Experiments.setExperimentTag({ experiment_id: experimentId, key: 'owner', value: 'node' }));
  await step('experiments/set-experiment-tag', () => extra.setExperimentTag({ experiment_id: experimentId, key: 'owner', value: 'node' }));
  const listed = (await step('Experiments.list', () => Experiments.list({ view_type: ViewType.ACTIVE_ONLY }))).experiments || [];
  const listedOne = listed.find((e) => e.experiment_id === experimentId);
  out.experiment = {
    id: experimentId, name, created,
    get: { name: got.name, lifecycle_stage: got.lifecycle_stage },
    by_name_id: byName.experiment_id,
    listed: !!listedOne,
    listed_tags: listedOne ? kv(listedOne.tags) : null,
    set_tag_package_method: tagBug,
  };

  // ---- a run ----
  const startTime = Date.now();
  const run = (await step('Runs.create', () => Runs.create({
    experiment_id: experimentId, user_id: 'node-client', start_time: startTime,
    tags: [
      { key: 'mlflow.runName', value: 'node-mlp' },
      { key: 'mlflow.source.name', value: 'mlflow-client.js' },
      { key: 'mlflow.source.type', value: 'LOCAL' },
    ],
  }))).run;
  const runId = run.info.run_id;
  out.run_id = runId;
  out.created = { status: run.info.status, start_time_sent: startTime, start_time: run.info.start_time, run_name: run.info.run_name };

  await step('Runs.logParameter', () => Runs.logParameter({ run_id: runId, key: 'lr', value: '0.01' }));
  await step('Runs.logParameter', () => Runs.logParameter({ run_id: runId, key: 'optimizer', value: 'adam' }));

  // loss at steps 0..4, one call each, with the client's own timestamps
  const t0 = Date.now();
  const loss = [0.9, 0.6, 0.45, 0.3, 0.25];
  for (let s = 0; s < loss.length; s++) {
    await step(`Runs.logMetric loss@${s}`, () => Runs.logMetric({ run_id: runId, key: 'loss', value: loss[s], timestamp: t0 + s, step: s }));
  }
  // NaN: as a JS number the package sends null (refused, as MLflow does); as the string "NaN" it passes
  const nanNumber = await refused('Runs.logMetric NaN (number)', () =>
    Runs.logMetric({ run_id: runId, key: 'grad_norm', value: NaN, timestamp: t0 + 4, step: 4 }));
  await step('Runs.logMetric NaN (string)', () => Runs.logMetric({ run_id: runId, key: 'grad_norm', value: 'NaN', timestamp: t0 + 4, step: 4 }));
  out.nan = { number: nanNumber, string: 'accepted' };

  // a batch: accuracy at steps 0..4, two more loss points, params and tags
  const accuracy = [0.5, 0.7, 0.8, 0.85, 0.9];
  await step('Runs.logBatch', () => Runs.logBatch({
    run_id: runId,
    metrics: accuracy.map((v, s) => ({ key: 'accuracy', value: v, timestamp: t0 + s, step: s }))
      .concat([{ key: 'loss', value: 0.2, timestamp: t0 + 5, step: 5 }, { key: 'loss', value: 0.15, timestamp: t0 + 6, step: 6 }]),
    params: [{ key: 'batch_size', value: '64' }, { key: 'epochs', value: '7' }],
    tags: [{ key: 'team', value: 'vision' }, { key: 'scratch', value: 'to be deleted' }],
  }));
  loss.push(0.2, 0.15);
  await step('Runs.setTag', () => Runs.setTag({ run_id: runId, key: 'stage', value: 'dev' }));
  await step('Runs.deleteTag', () => Runs.deleteTag({ run_id: runId, key: 'scratch' }));
  const deleteAgain = await refused('Runs.deleteTag (again)', () => Runs.deleteTag({ run_id: runId, key: 'scratch' }));

  const live = (await step('Runs.get', () => Runs.get({ run_id: runId }))).run;
  out.live = {
    status: live.info.status, run_name: live.info.run_name, user_id: live.info.user_id, start_time: live.info.start_time,
    params: kv(live.data.params), tags: kv(live.data.tags), metrics: metricMap(live.data.metrics),
  };
  out.delete_tag_again = deleteAgain;

  // ---- an artifact (the package has no upload; PUT to the artifact proxy), then the package's list ----
  const artifactBody = JSON.stringify({ loss: loss[loss.length - 1], accuracy: accuracy[accuracy.length - 1] });
  await step('PUT mlflow-artifacts', async () => {
    const r = await fetch(`${uri}/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/eval/summary.json`,
      { method: 'PUT', body: artifactBody });
    if (r.status !== 200) throw new Error(JSON.stringify({ status: r.status, statusText: r.statusText, data: await r.json().catch(() => null) }));
  });
  const root = await step('Artifacts.list', () => Artifacts.list({ run_id: runId }));
  const inner = await step('Artifacts.list eval', () => Artifacts.list({ run_id: runId, path: 'eval' }));
  out.artifacts = { root_uri: root.root_uri, files: root.files || [], eval: inner.files || [], bytes: Buffer.byteLength(artifactBody) };

  // ---- end it ----
  const endTime = Date.now();
  const updated = (await step('Runs.update', () => Runs.update({ run_id: runId, status: RunStatus.FINISHED, end_time: endTime }))).run_info;
  out.updated = { status: updated.status, end_time_sent: endTime, end_time: updated.end_time };

  // ---- search and history ----
  const filter = "params.optimizer = 'adam' and metrics.loss < 0.2 and tags.team = 'vision' and attributes.status = 'FINISHED'";
  const found = await step('Runs.search', () => Runs.search({
    experiment_ids: [experimentId], filter, run_view_type: ViewType.ACTIVE_ONLY, max_results: 10, order_by: ['metrics.loss ASC'],
  }));
  const none = await step('Runs.search (no match)', () => Runs.search({ experiment_ids: [experimentId], filter: 'metrics.loss > 1' }));
  out.search = { filter, run_ids: (found.runs || []).map((r) => r.info.run_id), no_match: (none.runs || []).length };

  out.history = {};
  for (const key of ['loss', 'accuracy', 'grad_norm']) {
    const h = await step(`Metrics.getHistory ${key}`, () => Metrics.getHistory({ run_id: runId, metric_key: key }));
    out.history[key] = (h.metrics || []).map((m) => ({ step: m.step, value: m.value, timestamp: m.timestamp }));
  }
  out.sent = { loss, accuracy, t0 };

  // ---- a second run, deleted and restored ----
  const other = (await step('Runs.create (2)', () => Runs.create({ experiment_id: experimentId, user_id: 'node-client', start_time: Date.now(),
    tags: [{ key: 'mlflow.runName', value: 'node-scratch' }] }))).run.info.run_id;
  await step('Runs.delete', () => Runs.delete({ run_id: other }));
  const deleted = await step('Runs.search DELETED_ONLY', () => Runs.search({ experiment_ids: [experimentId], run_view_type: ViewType.DELETED_ONLY }));
  await step('Runs.restore', () => Runs.restore({ run_id: other }));
  const all = await step('Runs.search ALL', () => Runs.search({ experiment_ids: [experimentId], run_view_type: ViewType.ALL }));
  out.second = {
    run_id: other,
    deleted_only: (deleted.runs || []).map((r) => r.info.run_id),
    restored_stage: ((all.runs || []).find((r) => r.info.run_id === other) || { info: {} }).info.lifecycle_stage,
    all: (all.runs || []).length,
  };

  const final = (await step('Runs.get (final)', () => Runs.get({ run_id: runId }))).run;
  out.final = {
    status: final.info.status, end_time: final.info.end_time, lifecycle_stage: final.info.lifecycle_stage,
    params: kv(final.data.params), tags: kv(final.data.tags), metrics: metricMap(final.data.metrics),
  };
  return out;
}

main().then((out) => {
  stdout(JSON.stringify(out) + '\n');
}, (e) => {
  process.stderr.write(`mlflow-client.js: ${current}: ${describe(e)}\n`);
  process.exit(EXIT_ERROR);
});
