"""Data-parallel fine-tuning with DistributedDataParallel (DDP), launched by torchrun; notebook 11 teaches it.

    torchrun --standalone --nproc_per_node=2 -m tl_helpers.distributed --epochs 5 --batch-size 32

Every process (rank) trains a replica of the model on its share of each global batch; DDP averages the gradients
in ``backward()``. gloo runs the processes on a CPU; unchanged, the script runs with NCCL on GPUs and clusters.
"""
from __future__ import annotations

import argparse
import datetime
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Sequence

import torch
import torch.distributed as dist
from torch import nn
from torch.distributed.elastic.multiprocessing.errors import record
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import BatchSampler, ConcatDataset, DataLoader, Dataset, DistributedSampler, Subset

from .checkpoints import save_checkpoint
from .config import runs_dir, seed_everything
from .data import ImageFolderDataset, bundled_dataset_dir
from .engine import evaluate, train_one_epoch
from .transfer import count_parameters, param_groups, replace_head, set_train_mode, unfreeze
from .weights import load_backbone


def per_process_batch(global_batch: int, world_size: int) -> int:
    """Each process's batch when ``world_size`` processes share a global batch of ``global_batch`` samples."""
    if global_batch % world_size:
        raise ValueError(f"A global batch of {global_batch} does not split evenly over {world_size} "
                         f"processes; choose a multiple of {world_size}.")
    return global_batch // world_size


def scaled_lr(base_lr: float, base_batch: int, global_batch: int) -> float:
    """The linear scaling rule (Goyal et al., 2017): k times the global batch, k times the learning rate."""
    return base_lr * global_batch / base_batch


def rank_batches(n: int, global_batch: int, world_size: int, rank: int, seed: int = 0,
                 epoch: int = 0) -> list[list[int]]:
    """The sample indices of each of ``rank``'s batches in one epoch, drawn as ``train_loader`` draws them.

    ``DistributedSampler`` shuffles with ``seed + epoch`` (the same permutation on every rank) and gives rank
    ``r`` the positions ``r, r + world_size, ...``: the ranks' k-th batches together are exactly the k-th
    batch of a one-process run with the global batch (when ``n`` is a multiple of ``world_size``).
    """
    sampler = DistributedSampler(range(n), num_replicas=world_size, rank=rank, shuffle=True, seed=seed)
    sampler.set_epoch(epoch)
    size = per_process_batch(global_batch, world_size)
    return [list(b) for b in BatchSampler(sampler, size, drop_last=False)]


def init_distributed(timeout_s: float, device: str = "auto") -> tuple[int, int, torch.device]:
    """Join the process group that torchrun's environment describes; returns ``(rank, world_size, device)``.

    torchrun sets ``RANK``, ``LOCAL_RANK``, ``WORLD_SIZE``, ``MASTER_ADDR`` and ``MASTER_PORT`` (without
    torchrun: a world of one process). gloo on CPU; NCCL with CUDA, one GPU (``LOCAL_RANK``) per process.
    ``timeout_s`` bounds every collective: a rank waiting longer for a stuck peer raises instead of hanging.
    """
    if "RANK" not in os.environ:                   # plain `python -m tl_helpers.distributed`
        os.environ.update(RANK="0", LOCAL_RANK="0", WORLD_SIZE="1", MASTER_ADDR="127.0.0.1", MASTER_PORT="0")
    cuda = device != "cpu" and torch.cuda.is_available()
    local_rank = int(os.environ["LOCAL_RANK"])
    if cuda:
        torch.cuda.set_device(local_rank)
    dist.init_process_group("nccl" if cuda else "gloo", timeout=datetime.timedelta(seconds=timeout_s))
    return dist.get_rank(), dist.get_world_size(), torch.device("cuda", local_rank) if cuda else torch.device("cpu")


def first_per_class(dataset: ImageFolderDataset, n: int | None) -> Dataset:
    """The first ``n`` images of every class (all of them when ``n`` is ``None``): small, fast runs."""
    if n is None:
        return dataset
    by_class: dict[int, list[int]] = {}
    for i, target in enumerate(dataset.targets):
        by_class.setdefault(target, []).append(i)
    return Subset(dataset, sorted(i for idx in by_class.values() for i in idx[:n]))


def make_datasets(args: argparse.Namespace, transform: Any) -> tuple[Dataset, Dataset, list[str]]:
    """Training images (the ``--train-splits`` pooled) and test images of an ImageFolder dataset."""
    root = Path(args.data) if args.data else bundled_dataset_dir()
    first = ImageFolderDataset(root / args.train_splits[0], transform, verbose=False)
    parts = [first] + [ImageFolderDataset(root / s, transform, first.classes, verbose=False)
                       for s in args.train_splits[1:]]
    test = ImageFolderDataset(root / "test", transform, first.classes, verbose=False)
    return (ConcatDataset([first_per_class(d, args.per_class) for d in parts]),
            first_per_class(test, args.test_per_class), first.classes)


def freeze_batchnorm(model: nn.Module) -> nn.Module:
    """Freeze every BatchNorm's affine parameters, so ``set_train_mode`` keeps all of them in eval mode."""
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            m.requires_grad_(False)
    return model


def prepare_replica(model: nn.Module, args: argparse.Namespace, num_classes: int, device: torch.device) -> DDP:
    """New head, frozen stages, BatchNorm as ``--bn`` says; then, and only then, wrap the model in DDP.

    DDP all-reduces the parameters that require gradients when it is built: wrap after freezing. ``--bn``:
    ``frozen``, every BatchNorm keeps its pretrained statistics (the split of the batch does not matter);
    ``train``, each process normalises with its own small batch; ``sync``, SyncBatchNorm (GPUs only).
    """
    seed_everything(args.seed)                     # the same new head on every rank (DDP also broadcasts rank 0's)
    replace_head(model, num_classes)               # no dropout: each rank would draw its own masks
    unfreeze(model, args.unfreeze)
    if args.bn == "frozen":
        freeze_batchnorm(model)
    elif args.bn == "sync":
        if device.type != "cuda":
            raise ValueError("--bn sync needs GPUs: PyTorch's SyncBatchNorm does not run on the CPU. "
                             "Use --bn frozen (exact) or --bn train (per-process statistics).")
        model = nn.SyncBatchNorm.convert_sync_batchnorm(model)
    model.to(device)
    return DDP(model, device_ids=[device.index] if device.type == "cuda" else None)


def train_loader(dataset: Dataset, global_batch: int, world_size: int, rank: int, seed: int,
                 pin_memory: bool = False) -> DataLoader:
    """Rank ``rank``'s loader: a ``DistributedSampler`` share of the data, ``global_batch / world_size`` a batch."""
    sampler = DistributedSampler(dataset, num_replicas=world_size, rank=rank, shuffle=True, seed=seed)
    return DataLoader(dataset, batch_size=per_process_batch(global_batch, world_size), sampler=sampler,
                      pin_memory=pin_memory)


def all_reduce(values: Sequence[float], device: torch.device, op: Any = dist.ReduceOp.SUM) -> list[float]:
    """Combine numbers across all ranks (sum by default; ``dist.ReduceOp.MAX`` for the slowest rank's time)."""
    t = torch.tensor(values, dtype=torch.float64, device=device)
    dist.all_reduce(t, op=op)
    return t.tolist()


def evaluate_distributed(model: nn.Module, dataset: Dataset, rank: int, world_size: int,
                         device: torch.device) -> tuple[float, float]:
    """Each rank scores every ``world_size``-th test image (no padding, unlike ``DistributedSampler``);
    the sums of loss, correct and seen are all-reduced. Returns ``(mean loss, accuracy)`` over all images."""
    shard = Subset(dataset, range(rank, len(dataset), world_size))
    loss, acc = evaluate(model, DataLoader(shard, batch_size=250), device=device) if len(shard) else (0.0, 0.0)
    loss_sum, correct, seen = all_reduce([loss * len(shard), round(acc * len(shard)), len(shard)], device)
    return loss_sum / seen, correct / seen


def maybe_fail(args: argparse.Namespace, rank: int, epoch: int) -> None:
    """Test-only fault injection: ``--fail-rank R --fail-at-epoch E`` makes rank R raise (or hang) at epoch E."""
    if args.fail_rank == rank and args.fail_at_epoch == epoch:
        if args.fail_mode == "hang":               # alive but silent: only the process-group timeout ends this
            time.sleep(100 * args.timeout_s)
        raise RuntimeError(f"injected failure on rank {rank} at epoch {epoch} (--fail-rank, --fail-at-epoch)")


def train_epochs(ddp: DDP, loader: DataLoader, args: argparse.Namespace, rank: int,
                 device: torch.device, say: Any) -> dict[str, list[float]]:
    """The training loop: ``set_epoch`` each epoch, train, all-reduce the metrics and the slowest rank's time."""
    optimizer = torch.optim.Adam(param_groups(ddp.module, args.lr, args.head_lr))
    history: dict[str, list[float]] = {"train_loss": [], "train_acc": [], "seconds": []}
    for epoch in range(args.epochs):
        loader.sampler.set_epoch(epoch)            # a new shuffle each epoch, the same on every rank
        maybe_fail(args, rank, epoch)
        start = time.perf_counter()
        loss, acc = train_one_epoch(ddp, loader, nn.CrossEntropyLoss(), optimizer, device)
        seconds = all_reduce([time.perf_counter() - start], device, dist.ReduceOp.MAX)[0]
        n = len(loader.sampler)
        loss_sum, correct, seen = all_reduce([loss * n, round(acc * n), n], device)
        for key, value in zip(history, (loss_sum / seen, correct / seen, seconds)):
            history[key].append(value)
        say(f"epoch {epoch + 1}/{args.epochs}: train loss {loss_sum / seen:.4f}, "
            f"train accuracy {correct / seen:.3f}, {seconds:.2f} s")
    return history


def write_checkpoint(model: nn.Module, path: Path, rank: int, classes: list[str], width: int, **extra: Any) -> bool:
    """Rank 0 alone writes the checkpoint (atomically, by ``save_checkpoint``); the others return ``False``."""
    if rank != 0:
        return False
    save_checkpoint(model, path, classes, arch="resnet50", width=width, **extra)
    return True


def run(args: argparse.Namespace, rank: int, world: int, device: torch.device) -> dict[str, Any]:
    """Fine-tune on every rank, evaluate, and let rank 0 save; returns what the checkpoint records."""
    say = print if rank == 0 else (lambda *a, **k: None)
    model, weights = load_backbone(args.backbone, verbose=rank == 0)
    train_ds, test_ds, classes = make_datasets(args, weights.transforms())
    ddp = prepare_replica(model, args, len(classes), device)
    loader = train_loader(train_ds, args.batch_size, world, rank, args.seed, pin_memory=device.type == "cuda")
    trainable, total = count_parameters(ddp.module)
    reduced_bytes = getattr(ddp, "_get_ddp_logging_data", dict)().get("total_parameter_size_bytes")  # DDP's record
    element = next(p for p in ddp.module.parameters() if p.requires_grad).element_size()
    bn_train = sum(m.training for m in set_train_mode(ddp).modules() if isinstance(m, nn.modules.batchnorm._BatchNorm))
    say(f"{world} process(es), {dist.get_backend()} on {device.type}: global batch {args.batch_size} = "
        f"{world} x {loader.batch_size}; {len(train_ds)} training images, {len(loader.sampler)} per rank; "
        f"{trainable:,} of {total:,} parameters train; {bn_train} BatchNorm layers in train mode")
    history = train_epochs(ddp, loader, args, rank, device, say)
    test_loss, test_acc = evaluate_distributed(ddp.module, test_ds, rank, world, device)
    say(f"test accuracy {test_acc:.4f} on {len(test_ds)} images (all-reduced over {world} ranks)")
    info = dict(history=history, test_loss=test_loss, test_acc=test_acc, world_size=world, seed=args.seed,
                global_batch=args.batch_size, per_process_batch=loader.batch_size, backend=dist.get_backend(),
                train_images=len(train_ds), test_images=len(test_ds), trainable_params=trainable,
                bn_in_train_mode=bn_train, allreduced_params=reduced_bytes // element if reduced_bytes else None)
    if write_checkpoint(ddp.module, args.out, rank, classes, getattr(weights, "width", 64), **info):
        say(f"rank 0 saved {args.out}")
    dist.barrier()                                 # nobody leaves before the checkpoint is complete
    return info


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The script's command line (``--help`` lists it)."""
    p = argparse.ArgumentParser(prog="torchrun --standalone --nproc_per_node=2 -m tl_helpers.distributed",
                                description="Fine-tune the series' ResNet-50 with DDP (notebook 11).")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--batch-size", type=int, default=32, help="global batch, split evenly over the processes")
    p.add_argument("--lr", type=float, default=3e-4, help="learning rate of the unfrozen backbone stages")
    p.add_argument("--head-lr", type=float, default=3e-3, help="learning rate of the new head")
    p.add_argument("--unfreeze", default="layer4", help="first trainable stage: layer1..layer4, or fc")
    p.add_argument("--bn", choices=("frozen", "train", "sync"), default="frozen",
                   help="BatchNorm: pretrained statistics, per-process statistics, or SyncBatchNorm (GPU)")
    p.add_argument("--data", help="ImageFolder root with train/ and test/ (default: the bundled set)")
    p.add_argument("--train-splits", nargs="+", default=["train"], help="sub-folders pooled for training")
    p.add_argument("--per-class", type=int, help="use the first N training images of each class")
    p.add_argument("--test-per-class", type=int, help="use the first N test images of each class")
    p.add_argument("--backbone", default="bundled", help="bundled, imagenet or auto (load_backbone)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", type=Path, help="checkpoint file (default: runs/ddp_model.pt)")
    p.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    p.add_argument("--timeout-s", type=float, default=300.0, help="longest wait in one collective")
    p.add_argument("--fail-rank", type=int, help="tests only: this rank fails at the start of ...")
    p.add_argument("--fail-at-epoch", type=int, default=0, help="tests only: ... this epoch, by ...")
    p.add_argument("--fail-mode", choices=("raise", "hang"), default="raise", help="tests only: ... this")
    args = p.parse_args(argv)
    args.out = args.out or runs_dir() / "ddp_model.pt"
    return args


@record
def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``torchrun ... -m tl_helpers.distributed``: set up, train, and always shut down."""
    args = parse_args(argv)
    rank, world, device = init_distributed(args.timeout_s, args.device)
    try:
        run(args, rank, world, device)
    except BaseException as err:
        timed_out = any(word in str(err).lower() for word in ("timed out", "timeout"))
        why = " (a collective waited --timeout-s: another rank is stuck or gone)" if timed_out else ""
        print(f"[rank {rank} of {world}] failed: {type(err).__name__}: {err}{why}", file=sys.stderr, flush=True)
        raise
    finally:
        dist.destroy_process_group()
    return 0


def torchrun_command(nproc: int | str, args: Sequence[Any] = ()) -> list[str]:
    """``torchrun --standalone --nproc_per_node=N -m tl_helpers.distributed ARGS``, with this Python."""
    return [sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc_per_node={nproc}",
            "-m", "tl_helpers.distributed", *map(str, args)]


def launch(nproc: int, args: Sequence[Any] = (), threads: int = 1,
           timeout: float = 600.0) -> subprocess.CompletedProcess:
    """Run the script on ``nproc`` local processes (torchrun) and wait; stdout and stderr come back together.

    Each process computes with ``threads`` threads (``OMP_NUM_THREADS``; torchrun's own default for several
    processes is 1), so 2 processes on 2 cores do not oversubscribe them. gloo talks over the loopback
    interface only, and the workers import this very ``tl_helpers`` with this Python.
    """
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(Path(__file__).resolve().parent.parent),
                                                      os.environ.get("PYTHONPATH")]))
    names = [name for _, name in socket.if_nameindex()] if hasattr(socket, "if_nameindex") else []
    env.update({"GLOO_SOCKET_IFNAME": name for name in names if name in ("lo", "lo0")})
    return subprocess.run(torchrun_command(nproc, args), env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=timeout)


if __name__ == "__main__":
    sys.exit(main())
