#!/usr/bin/python3
"""Trains a small PyTorch MLP and tracks it through MLflow's REST API: nothing from PyPI.

Needs Debian's python3-torch and python3-requests (scripts/setup.sh installs both) and an MLflow
tracking server, e.g. the one `./entrenar stack` serves on port 5000:

    export MLFLOW_TRACKING_URI=http://127.0.0.1:5000
    export MLFLOW_EXPERIMENT_NAME=python-example      # optional; unset means MLflow's "Default"
    /usr/bin/python3 examples/python/train_mlflow.py --nan-at 150

The model classifies three interleaved spirals (1,500 points made here with a fixed seed; 80 % to
train, 20 % held out) with a 2-64-64-3 MLP and Adam: 300 mini-batch steps take a few seconds on one
CPU core. Every step logs `loss` and `accuracy` (of that mini-batch) with its step number and the time
it was measured; the end logs `val_loss` and `val_accuracy`, the state_dict as the artifact
`model/state_dict.pt` (its sha256 is printed) and ends the run FINISHED.

--nan-at STEP poisons one input of that step's batch with NaN: the loss of the step is NaN and is
logged as MLflow logs it (the value "NaN"). The run then continues: like torch.cuda.amp's
GradScaler, the loop skips the update of a step whose loss is not finite, so the weights stay
sound, training goes on and the run ends FINISHED with one NaN point in its loss curve. (Entrenar's
Andon rule non_finite fires on that point.) An exception anywhere ends the run FAILED, Ctrl+C
KILLED, as `with mlflow.start_run():` does.

A STOP of the run (`entrenar runs stop RUN`, the dashboard, or Andon's EMERGENCY_STOP, which the
default non_finite rule asks for) reaches the job as the refusal of its next logging call
(INVALID_STATE): the loop saves and uploads a checkpoint, and the job exits 4 with the run KILLED
(STOPPED in the pipeline). A PAUSE holds its next logging call until RESUME.

Exit status: 0 when the run finished, 1 when training raised, 2 when MLflow could not be reached or
refused a call (the message says which URI and what the server answered), 4 when the pipeline
stopped the run.
"""

import argparse
import hashlib
import math
import os
import sys
import tempfile
import time

try:
    import torch
    from torch import nn

    from mlflow_rest import MlflowError, MlflowRestClient, RunStopped, now_ms
except ImportError as e:
    sys.exit(f"train_mlflow: {e}: install Debian's python3-torch and python3-requests (scripts/setup.sh does) and "
             "run this script with /usr/bin/python3")


def parse_args(argv):
    p = argparse.ArgumentParser(description="A PyTorch MLP tracked through MLflow's REST API (requests only).")
    p.add_argument("--steps", type=int, default=300, help="optimizer steps (default 300)")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=0.01, help="Adam's learning rate (default 0.01)")
    p.add_argument("--hidden", type=int, default=64, help="width of the two hidden layers (default 64)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--nan-at", type=int, metavar="STEP", help="make the loss of this step NaN (a poisoned input); "
                   "the update is skipped and training continues")
    p.add_argument("--experiment", help="experiment name (default: $MLFLOW_EXPERIMENT_NAME, else Default)")
    p.add_argument("--run-name", help="run name (default: mlp-spirals-<time>)")
    p.add_argument("--output-dir", help="where to keep state_dict.pt (default: a temporary directory)")
    args = p.parse_args(argv)
    if args.steps < 1:
        p.error("--steps must be at least 1")
    if args.nan_at is not None and not 0 <= args.nan_at < args.steps:
        p.error(f"--nan-at must be a step in 0..{args.steps - 1}")
    return args


def spirals(points_per_class, classes, generator):
    """Three interleaved spirals in the plane: the classic small problem a linear model cannot solve."""
    xs, ys = [], []
    for c in range(classes):
        r = torch.linspace(0.05, 1.0, points_per_class)
        theta = c * 2 * math.pi / classes + r * 4 + torch.randn(points_per_class, generator=generator) * 0.2
        xs.append(torch.stack([r * torch.sin(theta), r * torch.cos(theta)], dim=1))
        ys.append(torch.full((points_per_class,), c, dtype=torch.long))
    x, y = torch.cat(xs), torch.cat(ys)
    order = torch.randperm(len(y), generator=generator)
    return x[order], y[order]


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def train(args, client, run, output_dir):
    torch.manual_seed(args.seed)
    torch.set_num_threads(1)  # a model this small runs fastest on one core
    g = torch.Generator().manual_seed(args.seed)
    x, y = spirals(500, 3, g)
    split = int(len(y) * 0.8)
    x_train, y_train, x_val, y_val = x[:split], y[:split], x[split:], y[split:]

    model = nn.Sequential(nn.Linear(2, args.hidden), nn.ReLU(), nn.Linear(args.hidden, args.hidden), nn.ReLU(),
                          nn.Linear(args.hidden, 3))
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    loss_fn = nn.CrossEntropyLoss()
    client.log_params(run.run_id, {
        "model": f"MLP 2-{args.hidden}-{args.hidden}-3 (ReLU)", "optimizer": "Adam", "lr": args.lr,
        "batch_size": args.batch_size, "steps": args.steps, "seed": args.seed, "dataset": "spirals (3 classes, 1500 points)",
        "train_size": split, "nan_at": "none" if args.nan_at is None else args.nan_at, "torch": torch.__version__,
    })

    losses, skipped, order, cursor = [], [], torch.randperm(split, generator=g), 0
    for step in range(args.steps):
        if cursor + args.batch_size > split:  # a new epoch: reshuffle
            order, cursor = torch.randperm(split, generator=g), 0
        idx = order[cursor:cursor + args.batch_size]
        cursor += args.batch_size
        xb, yb = x_train[idx], y_train[idx]
        if step == args.nan_at:
            xb = xb.clone()
            xb[0, 0] = float("nan")  # one poisoned input: the batch's mean loss is NaN

        model.train()
        logits = model(xb)
        loss = loss_fn(logits, yb)
        accuracy = (logits.argmax(dim=1) == yb).float().mean().item()
        if torch.isfinite(loss):
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        else:
            skipped.append(step)  # as GradScaler does: no update from a non-finite loss
        losses.append(loss.item())
        try:
            client.log_metrics(run.run_id, {"loss": loss.item(), "accuracy": accuracy}, step=step, timestamp=now_ms())
        except RunStopped as stop:
            # as `entrenar train` does on STOP: keep a checkpoint of where training stood, then end
            path = os.path.join(output_dir, "state_dict.pt")
            torch.save(model.state_dict(), path)
            stop.checkpoint = (client.log_artifact(run, path, "model"), sha256_of(path), step, losses)
            print(f"step {step:4d}  stopped by the pipeline; checkpoint {stop.checkpoint[0]} sha256 {stop.checkpoint[1]}", flush=True)
            raise
        if step % 50 == 0 or step == args.steps - 1 or step in skipped:
            note = "  (non-finite: update skipped)" if step in skipped else ""
            print(f"step {step:4d}  loss {loss.item():.4f}  accuracy {accuracy:.3f}{note}", flush=True)

    model.eval()
    with torch.no_grad():
        val_logits = model(x_val)
        val_loss = loss_fn(val_logits, y_val).item()
        val_accuracy = (val_logits.argmax(dim=1) == y_val).float().mean().item()
    client.log_metrics(run.run_id, {"val_loss": val_loss, "val_accuracy": val_accuracy}, step=args.steps - 1)

    path = os.path.join(output_dir, "state_dict.pt")
    torch.save(model.state_dict(), path)
    digest = sha256_of(path)
    artifact = client.log_artifact(run, path, "model")
    client.set_tag(run.run_id, "model.sha256", digest)
    print(f"artifact {artifact}  sha256 {digest}  ({os.path.getsize(path)} bytes)", flush=True)
    return losses, skipped, val_accuracy, artifact, digest


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    experiment = args.experiment or os.environ.get("MLFLOW_EXPERIMENT_NAME") or "Default"
    run_name = args.run_name or time.strftime("mlp-spirals-%Y%m%d-%H%M%S")
    started = time.monotonic()
    try:
        client = MlflowRestClient()
        experiment_id = client.get_or_create_experiment(experiment)
        with tempfile.TemporaryDirectory(prefix="train_mlflow-") as tmp:
            output_dir = args.output_dir or tmp
            os.makedirs(output_dir, exist_ok=True)
            with client.start_run(experiment_id, run_name, tags={"framework": "pytorch"}) as run:
                print(f"run_id {run.run_id}  (run {run_name!r}, experiment {experiment!r} id {experiment_id}, "
                      f"{client.tracking_uri})", flush=True)
                losses, skipped, val_accuracy, artifact, digest = train(args, client, run, output_dir)
    except RunStopped as e:
        # STOP from a user or Andon's EMERGENCY_STOP reaches an MLflow job as the refusal of its next call
        artifact, digest, step, losses = getattr(e, "checkpoint", (None, None, None, []))
        print(f"run {run.run_id} KILLED: stopped by the pipeline at step {step} ({step} steps logged), "
              f"checkpoint {artifact} sha256 {digest}: {e}", flush=True)
        return 4
    except MlflowError as e:
        print(f"train_mlflow: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("train_mlflow: interrupted; the run was ended KILLED", file=sys.stderr)
        return 130
    except Exception as e:  # the run is already ended FAILED by start_run
        print(f"train_mlflow: training failed, the run was ended FAILED: {type(e).__name__}: {e}", file=sys.stderr)
        raise

    finite = [v for v in losses if math.isfinite(v)]
    nan_note = f", {len(skipped)} non-finite step(s) skipped at {skipped}" if skipped else ""
    print(f"run {run.run_id} {run.status}: {len(losses)} steps, loss {finite[0]:.4f} -> {finite[-1]:.4f}, "
          f"val_accuracy {val_accuracy:.3f}{nan_note}, artifact {artifact} sha256 {digest[:12]}..., "
          f"{time.monotonic() - started:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
