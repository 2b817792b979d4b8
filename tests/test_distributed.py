"""DDP fine-tuning (tl_helpers.distributed, notebook 11): 2 processes on loopback match 1 process, only rank 0
writes the checkpoint, and a failing or stuck rank stops the whole run with a clear message."""
import time

import pytest
import torch

from tl_helpers import distributed as tld
from tl_helpers import load_backbone, load_checkpoint, safe_load

#: A tiny run: 4 training images per class (40), 3 test images per class (30), 2 epochs of 5 steps.
TINY = ["--epochs", 2, "--per-class", 4, "--test-per-class", 3, "--batch-size", 8]
TOL = 1e-4     # largest absolute weight difference allowed between the 1- and the 2-process run
#: A failed run must end within this many seconds, start-up of 2 processes included (about 35 s measured on a
#: 2-core machine that other jobs kept busy); a hang would last until the subprocess timeout.
BOUND_S = 90


# --------------------------------------------------------------------------- batches, without processes

@pytest.mark.parametrize("n, global_batch, world", [(100, 32, 2), (40, 8, 4), (30, 6, 3), (10, 10, 2)])
def test_ranks_together_draw_the_one_process_global_batches(n, global_batch, world):
    for epoch in (0, 1):
        one = tld.rank_batches(n, global_batch, 1, 0, seed=3, epoch=epoch)
        per_rank = [tld.rank_batches(n, global_batch, world, r, seed=3, epoch=epoch) for r in range(world)]
        assert all(len(b) == len(one) for b in per_rank)
        for k, batch in enumerate(one):
            parts = [per_rank[r][k] for r in range(world)]
            assert sorted(sum(parts, [])) == sorted(batch)                  # the same samples...
            assert all(len(p) == len(batch) // world for p in parts)        # ...split evenly
    assert tld.rank_batches(n, global_batch, 1, 0, epoch=0) != tld.rank_batches(n, global_batch, 1, 0, epoch=1)


def test_uneven_data_is_padded_with_repeated_samples():
    """The documented limit: with n not a multiple of the world size, DistributedSampler repeats samples."""
    drawn = sum((sum(tld.rank_batches(9, 4, 2, r), []) for r in range(2)), [])
    assert len(drawn) == 10 and len(set(drawn)) == 9


def test_train_loader_draws_what_rank_batches_says():
    data = list(range(20))
    for rank in range(2):
        loader = tld.train_loader(data, 8, 2, rank, seed=5)
        for epoch in (0, 1):
            loader.sampler.set_epoch(epoch)
            assert [b.tolist() for b in loader] == tld.rank_batches(20, 8, 2, rank, seed=5, epoch=epoch)


def test_batch_and_learning_rate_rules():
    assert tld.per_process_batch(64, 8) == 8
    with pytest.raises(ValueError, match="does not split evenly over 3 processes"):
        tld.per_process_batch(32, 3)
    assert tld.scaled_lr(0.1, 256, 1024) == pytest.approx(0.4)


def test_only_rank_0_calls_save(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr(tld, "save_checkpoint", lambda *a, **k: calls.append((a, k)))
    model = torch.nn.Linear(2, 2)
    assert tld.write_checkpoint(model, tmp_path / "m.pt", 1, ["a", "b"], 16) is False
    assert calls == []
    assert tld.write_checkpoint(model, tmp_path / "m.pt", 0, ["a", "b"], 16, world_size=2) is True
    assert len(calls) == 1 and calls[0][1]["world_size"] == 2


# --------------------------------------------------------------------------- real runs with torchrun (gloo)

@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The same tiny fine-tuning on 1 process (batch 8) and on 2 processes (4 each), each into its own folder."""
    out = {}
    for nproc in (1, 2):
        folder = tmp_path_factory.mktemp(f"ddp{nproc}")
        proc = tld.launch(nproc, TINY + ["--out", folder / "model.pt"], timeout=120)
        assert proc.returncode == 0, proc.stdout[-3000:]
        out[nproc] = (folder, proc.stdout, safe_load(folder / "model.pt"))
    return out


def test_two_processes_end_with_the_one_process_weights(runs):
    one, two = runs[1][2], runs[2][2]
    assert (one["world_size"], one["per_process_batch"], two["world_size"], two["per_process_batch"]) == (1, 8, 2, 4)
    diff = max((one["state_dict"][k] - two["state_dict"][k]).abs().max().item() for k in one["state_dict"])
    start, _ = load_backbone("bundled", verbose=False)
    moved = (one["state_dict"]["layer4.2.conv3.weight"] - start.state_dict()["layer4.2.conv3.weight"]).abs().max()
    assert diff < TOL < moved / 10, (diff, moved)
    # the same predictions up to an image on a knife-edge: 1 and 2 processes sum the gradients in another order,
    # and the kernels differ by batch size, so the last digits (and an image whose top two scores are that close)
    # may differ on another processor; a real difference in training changes far more than one image
    n_train, n_test = one["train_images"], one["test_images"]
    assert abs(one["test_acc"] - two["test_acc"]) * n_test <= 1 + 1e-9
    assert all(abs(a - b) * n_train <= 1 + 1e-9 for a, b in zip(one["history"]["train_acc"], two["history"]["train_acc"]))
    assert one["history"]["train_loss"] == pytest.approx(two["history"]["train_loss"], abs=1e-4)   # TOL-sized weights


def test_frozen_parameters_are_not_all_reduced_and_bn_stays_in_eval_mode(runs):
    ckpt = runs[2][2]
    total = sum(t.numel() for k, t in ckpt["state_dict"].items() if "running" not in k and "num_batches" not in k)
    assert ckpt["allreduced_params"] == ckpt["trainable_params"] < total
    assert ckpt["bn_in_train_mode"] == 0


def test_rank_0_alone_writes_one_complete_checkpoint(runs):
    folder, output, _ = runs[2]
    assert [p.name for p in folder.iterdir()] == ["model.pt"]            # no second file, no temporary left
    assert output.count("saved") == 1 and "rank 0 saved" in output
    model, classes = load_checkpoint(folder / "model.pt")
    assert len(classes) == 10 and model.fc.out_features == 10


def test_a_failing_rank_stops_all_and_is_named(tmp_path):
    start = time.perf_counter()
    proc = tld.launch(2, TINY + ["--out", tmp_path / "m.pt", "--fail-rank", 1, "--fail-at-epoch", 0,
                                 "--timeout-s", 30], timeout=BOUND_S + 60)
    took = time.perf_counter() - start
    assert proc.returncode != 0 and took < BOUND_S, (proc.returncode, took)
    assert "injected failure on rank 1 at epoch 0" in proc.stdout
    assert "[rank 1 of 2] failed" in proc.stdout and "rank      : 1" in proc.stdout    # ours and torchrun's summary
    assert not (tmp_path / "m.pt").exists()


def test_a_stuck_rank_hits_the_process_group_timeout(tmp_path):
    """Rank 1 sleeps for 100 timeouts without failing: only the process-group timeout can end the run in time."""
    start = time.perf_counter()
    proc = tld.launch(2, TINY + ["--out", tmp_path / "m.pt", "--fail-rank", 1, "--fail-mode", "hang",
                                 "--timeout-s", 5], timeout=BOUND_S + 60)
    took = time.perf_counter() - start
    assert proc.returncode != 0 and took < BOUND_S, (proc.returncode, took)
    assert "another rank is stuck or gone" in proc.stdout
