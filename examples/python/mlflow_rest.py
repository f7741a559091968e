"""A small MLflow tracking client over MLflow's REST API 2.0, with `requests` only.

It makes the calls the `mlflow` Python package makes for a training script, so that a job can log
to Entrenar's MLflow API (or to any MLflow tracking server) without anything from PyPI:

    client = MlflowRestClient()                          # MLFLOW_TRACKING_URI, like mlflow
    experiment_id = client.get_or_create_experiment("my-experiment")
    with client.start_run(experiment_id, "my-run") as run:   # FINISHED, or FAILED on an exception
        client.log_params(run.run_id, {"lr": 0.01})
        client.log_metrics(run.run_id, {"loss": 0.5}, step=0)
        client.log_artifact(run, "model.pt", "model")

Requests are retried as MLflow's client retries them (MLFLOW_HTTP_REQUEST_MAX_RETRIES, default 7;
MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR, default 2 s, doubling; MLFLOW_HTTP_REQUEST_BACKOFF_JITTER,
default 1 s; a Retry-After header wins): on 429 and 5xx answers, and on connection errors and
timeouts once the server has answered at least once. A 4xx is never retried: the request itself is
wrong and would fail again. A server that does not answer the first request is reported at once,
naming the URI, rather than after minutes of backoff: it is almost always not started, or the URI is
wrong. MLFLOW_HTTP_REQUEST_TIMEOUT (default 120 s) bounds each attempt. MLFLOW_TRACKING_TOKEN
(bearer) or MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD (basic) authenticate, as in mlflow.
"""

import contextlib
import getpass
import math
import os
import random
import subprocess
import sys
import time
import urllib.parse

import requests

API = "/api/2.0/mlflow/"
ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts/"
# MLflow retries 408 too; this client treats every 4xx but 429 as final.
RETRY_STATUSES = frozenset([429, 500, 502, 503, 504])
MAX_BACKOFF_SECONDS = 120  # urllib3's cap, which MLflow's client inherits


class MlflowError(Exception):
    """An MLflow call that failed: the server's error_code and message, or why it could not be made."""

    def __init__(self, message, error_code=None, status=None):
        super().__init__(message)
        self.error_code = error_code
        self.status = status


class RunStopped(MlflowError):
    """The pipeline stopped the run (a user's STOP, or Andon's EMERGENCY_STOP): its writes are refused
    from then on, and the job should end. The server has already ended the run (KILLED)."""


class Run:
    """What runs/create answered: the ids and the artifact URI of the run."""

    def __init__(self, info):
        self.info = info
        self.run_id = info["run_id"]
        self.experiment_id = info["experiment_id"]
        self.artifact_uri = info["artifact_uri"]
        self.status = info.get("status")


def now_ms():
    return int(time.time() * 1000)


def metric_value(value):
    """A metric value as MLflow's client puts it in JSON: a number, or "NaN" / "Infinity" / "-Infinity"."""
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


def _env_number(name, default, kind=float):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return kind(raw)
    except ValueError:
        raise MlflowError(f"{name}={raw!r} is not a number") from None


class MlflowRestClient:
    def __init__(self, tracking_uri=None):
        uri = tracking_uri or os.environ.get("MLFLOW_TRACKING_URI") or "http://127.0.0.1:5000"
        if not uri.startswith(("http://", "https://")):
            raise MlflowError(f"MLFLOW_TRACKING_URI={uri!r}: this client speaks MLflow's REST API only, so it needs an "
                              "http:// or https:// URI (e.g. http://127.0.0.1:5000, the address `./entrenar stack` prints)")
        self.tracking_uri = uri.rstrip("/")
        self.max_retries = _env_number("MLFLOW_HTTP_REQUEST_MAX_RETRIES", 7, int)
        self.backoff_factor = _env_number("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", 2.0)
        self.backoff_jitter = _env_number("MLFLOW_HTTP_REQUEST_BACKOFF_JITTER", 1.0)
        self.timeout = _env_number("MLFLOW_HTTP_REQUEST_TIMEOUT", 120.0)
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "entrenar-mlflow-rest-example"
        if os.environ.get("MLFLOW_TRACKING_TOKEN"):
            self.session.headers["Authorization"] = "Bearer " + os.environ["MLFLOW_TRACKING_TOKEN"]
        elif os.environ.get("MLFLOW_TRACKING_USERNAME"):
            self.session.auth = (os.environ["MLFLOW_TRACKING_USERNAME"], os.environ.get("MLFLOW_TRACKING_PASSWORD", ""))
        self._answered = False  # has the server answered anything yet?

    # ---- HTTP with MLflow's retry policy ----

    def _request(self, method, url, json=None, params=None, file_path=None):
        what = f"{method} {url}"
        attempt = 0
        while True:
            try:
                if file_path is not None:
                    with open(file_path, "rb") as body:  # reopened per attempt: a retry resends from the start
                        response = self.session.request(method, url, data=body, timeout=self.timeout,
                                                        headers={"Content-Type": "application/octet-stream"})
                else:
                    response = self.session.request(method, url, json=json, params=params, timeout=self.timeout)
            except (requests.ConnectionError, requests.Timeout) as e:
                if not self._answered:
                    raise MlflowError(f"cannot reach the MLflow tracking server at {self.tracking_uri} "
                                      f"({type(e).__name__}): is it running (`./entrenar stack` prints its address), "
                                      "and is MLFLOW_TRACKING_URI right?") from None
                if attempt >= self.max_retries:
                    raise MlflowError(f"{what}: the MLflow tracking server at {self.tracking_uri} stopped answering "
                                      f"({type(e).__name__}); gave up after {attempt} retries") from None
                attempt += 1
                self._sleep(attempt, None, f"{type(e).__name__}")
                continue
            self._answered = True
            if response.status_code in RETRY_STATUSES and attempt < self.max_retries:
                attempt += 1
                self._sleep(attempt, response.headers.get("Retry-After"), f"HTTP {response.status_code}")
                continue
            if response.status_code >= 400:
                raise self._error(what, response, attempt)
            return response

    def _sleep(self, attempt, retry_after, why):
        delay = min(MAX_BACKOFF_SECONDS, self.backoff_factor * 2 ** (attempt - 1)) + random.uniform(0, self.backoff_jitter)
        if retry_after:
            with contextlib.suppress(ValueError):
                delay = max(0.0, float(retry_after))
        print(f"mlflow_rest: {why} from {self.tracking_uri}; retry {attempt}/{self.max_retries} in {delay:.1f} s",
              file=sys.stderr)
        time.sleep(delay)

    @staticmethod
    def _error(what, response, retries):
        code, message = None, response.text.strip()[:500] or response.reason
        with contextlib.suppress(ValueError):
            body = response.json()
            code, message = body.get("error_code"), body.get("message", message)
        answer = f"{response.status_code} {code}" if code else str(response.status_code)
        after = f" (after {retries} retries)" if retries else ""
        kind = RunStopped if code == "INVALID_STATE" and "was stopped" in message else MlflowError
        return kind(f"{what} answered {answer}{after}: {message}", error_code=code, status=response.status_code)

    def _call(self, method, endpoint, body=None, **query):
        url = self.tracking_uri + API + endpoint
        if method == "GET":
            response = self._request("GET", url, params=query)
        else:
            response = self._request(method, url, json=body)
        return response.json() if response.content else {}

    # ---- experiments ----

    def get_experiment_by_name(self, name):
        """The experiment as a dict, or None when there is none of that name."""
        try:
            return self._call("GET", "experiments/get-by-name", experiment_name=name)["experiment"]
        except MlflowError as e:
            if e.error_code == "RESOURCE_DOES_NOT_EXIST":
                return None
            raise

    def create_experiment(self, name, tags=None):
        body = {"name": name, "tags": [{"key": k, "value": str(v)} for k, v in (tags or {}).items()]}
        return self._call("POST", "experiments/create", body)["experiment_id"]

    def get_or_create_experiment(self, name):
        """mlflow.set_experiment(name): the id of the experiment, created when it does not exist."""
        experiment = self.get_experiment_by_name(name)
        if experiment is not None:
            if experiment.get("lifecycle_stage") == "deleted":
                raise MlflowError(f"experiment {name!r} (id {experiment['experiment_id']}) is deleted: restore it "
                                  "(experiments/restore) or choose another name")
            return experiment["experiment_id"]
        try:
            return self.create_experiment(name)
        except MlflowError as e:
            if e.error_code == "RESOURCE_ALREADY_EXISTS":  # another job created it in between
                return self.get_experiment_by_name(name)["experiment_id"]
            raise

    # ---- runs ----

    def create_run(self, experiment_id, run_name=None, tags=None):
        """runs/create with the tags mlflow.start_run() sets: run name, user, source (and git commit when known)."""
        source = os.path.abspath(sys.argv[0]) if sys.argv and sys.argv[0] else "<interactive>"
        all_tags = {"mlflow.user": _user(), "mlflow.source.name": source, "mlflow.source.type": "LOCAL"}
        commit = _git_commit(os.path.dirname(source))
        if commit:
            all_tags["mlflow.source.git.commit"] = commit
        if run_name:
            all_tags["mlflow.runName"] = run_name
        all_tags.update(tags or {})
        body = {"experiment_id": str(experiment_id), "user_id": all_tags["mlflow.user"], "start_time": now_ms(),
                "tags": [{"key": k, "value": str(v)} for k, v in all_tags.items()]}
        if run_name:
            body["run_name"] = run_name
        return Run(self._call("POST", "runs/create", body)["run"]["info"])

    def update_run(self, run_id, status, end_time=None):
        body = {"run_id": run_id, "run_uuid": run_id, "status": status}
        if status in ("FINISHED", "FAILED", "KILLED"):
            body["end_time"] = end_time or now_ms()
        return self._call("POST", "runs/update", body).get("run_info", {})

    def get_run(self, run_id):
        return self._call("GET", "runs/get", run_id=run_id)["run"]

    @contextlib.contextmanager
    def start_run(self, experiment_id, run_name=None, tags=None):
        """`with mlflow.start_run():` -- the run ends FINISHED, FAILED on an exception, KILLED on Ctrl+C."""
        run = self.create_run(experiment_id, run_name, tags)
        try:
            yield run
        except RunStopped:
            run.status = "KILLED"  # ended by the server when the STOP arrived; nothing to record over it
            raise
        except BaseException as e:
            status = "KILLED" if isinstance(e, KeyboardInterrupt) else "FAILED"
            try:
                self.update_run(run.run_id, status)
                run.status = status
            except MlflowError as end_error:  # the original error matters more; say that the end was not recorded
                print(f"mlflow_rest: could not end run {run.run_id} as {status}: {end_error}", file=sys.stderr)
            raise
        run.status = self.update_run(run.run_id, "FINISHED").get("status", "FINISHED")

    # ---- params, tags, metrics ----

    def log_batch(self, run_id, metrics=(), params=None, tags=None):
        """runs/log-batch: metrics as dicts (key, value, timestamp, step), params and tags as dicts of strings."""
        body = {"run_id": run_id,
                "metrics": [dict(m, value=metric_value(m["value"])) for m in metrics],
                "params": [{"key": k, "value": str(v)} for k, v in (params or {}).items()],
                "tags": [{"key": k, "value": str(v)} for k, v in (tags or {}).items()]}
        self._call("POST", "runs/log-batch", body)

    def log_params(self, run_id, params):
        items = list(params.items())
        for i in range(0, len(items), 100):  # MLflow's limit: 100 params per batch
            self.log_batch(run_id, params=dict(items[i:i + 100]))

    def log_metric(self, run_id, key, value, step=0, timestamp=None):
        self._call("POST", "runs/log-metric", {"run_id": run_id, "run_uuid": run_id, "key": key,
                                               "value": metric_value(value), "timestamp": timestamp or now_ms(),
                                               "step": int(step)})

    def log_metrics(self, run_id, metrics, step=0, timestamp=None):
        """mlflow.log_metrics: several metrics of one step, in one log-batch call."""
        ts = timestamp or now_ms()
        self.log_batch(run_id, metrics=[{"key": k, "value": v, "timestamp": ts, "step": int(step)} for k, v in metrics.items()])

    def set_tag(self, run_id, key, value):
        self._call("POST", "runs/set-tag", {"run_id": run_id, "run_uuid": run_id, "key": key, "value": str(value)})

    # ---- artifacts ----

    def artifact_url(self, run, artifact_path):
        """Where the artifact proxy takes a file of the run: mlflow-artifacts:/<exp>/<run>/artifacts/<path> resolves
        against the tracking server (or the host the URI names) at /api/2.0/mlflow-artifacts/artifacts/<...>."""
        uri = urllib.parse.urlparse(run.artifact_uri)
        if uri.scheme != "mlflow-artifacts":
            raise MlflowError(f"run {run.run_id} stores artifacts at {run.artifact_uri}: this client uploads only through "
                              "MLflow's artifact proxy (mlflow-artifacts:/ URIs, `mlflow server --serve-artifacts`)")
        base = self.tracking_uri
        if uri.netloc:
            base = urllib.parse.urlparse(self.tracking_uri).scheme + "://" + uri.netloc
        path = "/".join(p for p in (uri.path.strip("/"), artifact_path.strip("/")) if p)
        return base + ARTIFACTS + urllib.parse.quote(path)

    def log_artifact(self, run, local_path, artifact_dir=""):
        """mlflow.log_artifact: PUT the file to <artifact_dir>/<its name> under the run's artifact URI."""
        name = os.path.basename(local_path)
        relative = f"{artifact_dir.strip('/')}/{name}" if artifact_dir.strip("/") else name
        self._request("PUT", self.artifact_url(run, relative), file_path=local_path)
        return relative


def _user():
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _git_commit(directory):
    """The commit of the checkout the script runs from, as mlflow tags it; None outside git."""
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=directory or ".", capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() if out.returncode == 0 else None
