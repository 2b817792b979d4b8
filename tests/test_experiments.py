import math
from types import SimpleNamespace

import pytest
import torch
from torchvision import transforms as T

from tl_helpers import HEAD_EPOCHS, seed_everything
from tl_helpers import ImageFolderDataset
from tl_helpers import (TRAIN_BATCH_SIZE, TargetTask, label_count_curve, load_task, plot_label_curve, seed_list,
                        subset_task, train, train_seeds)
from tl_helpers import resnet50
from tl_helpers import FINETUNE_LR, fit_stage, make_loader, train_transforms, unfreeze, with_transform


@pytest.fixture
def tiny_task(tmp_path):
    """A 2-class task of random 20x20 images (4 per class) on a width-8 ResNet-50 'backbone'."""
    from imagefolders import write_image_folder
    for split in ("train", "test", "val"):
        write_image_folder(tmp_path / split, n=4)
    torch.manual_seed(0)
    backbone = resnet50(width=8, num_classes=3).eval()
    weights = SimpleNamespace(width=8, meta={"categories": ["a", "x", "y"]}, crop_size=20,
                              mean=(0.5,) * 3, std=(0.25,) * 3)
    weights.transforms = lambda: T.Compose([T.ToTensor(), T.Normalize(weights.mean, weights.std)])
    tf = weights.transforms()
    train_ds = ImageFolderDataset(tmp_path / "train", tf)
    return TargetTask(backbone, weights, train_ds, ImageFolderDataset(tmp_path / "test", tf), train_ds.classes,
                      ImageFolderDataset(tmp_path / "val", tf))


def test_augmented_frozen_run_scores_test_on_the_cache(tiny_task):
    aug = train_transforms(tiny_task.weights)
    r = train(tiny_task, "frozen", seed=0, num_epochs=3, train_transform=aug, track_test=True)
    accs = r.history["test_acc"]
    assert len(accs) == 3 and not any(math.isnan(a) for a in accs)
    assert math.isclose(accs[-1], r.test_acc, abs_tol=1e-6)     # cached scoring == full-image predict
    assert r.trainable == tiny_task.backbone.fc.in_features * 2 + 2


def test_augmented_finetuning_trains_what_the_whole_network_would(tiny_task):
    """With augmentation the frozen part runs inside the loader, without gradients: the trained weights come out
    bit for bit as when the whole network trains on the augmented images (the path before)."""
    aug = train_transforms(tiny_task.weights)
    r = train(tiny_task, "finetune", seed=0, num_epochs=2, head_epochs=0, unfreeze_from="layer4", train_transform=aug)
    seed_everything(0)
    model = unfreeze(tiny_task.new_model(), "layer4")
    images = make_loader(with_transform(tiny_task.train_ds, aug), TRAIN_BATCH_SIZE, shuffle=True, seed=0)
    fit_stage((model, images, None), 2, FINETUNE_LR, head=model.fc, progress=False)
    trained = model.state_dict()
    assert all(torch.equal(v, trained[k]) for k, v in r.model.state_dict().items())
    assert not torch.equal(model.layer4[0].conv1.weight, tiny_task.backbone.layer4[0].conv1.weight)   # it trained


def test_track_test_off_leaves_nan_but_scores_at_the_end(tiny_task):
    r = train(tiny_task, "scratch", seed=0, num_epochs=2, track_test=False)
    assert all(math.isnan(a) for a in r.history["test_acc"]) and 0.0 <= r.test_acc <= 1.0


def test_head_lr_gives_the_head_its_own_learning_rate(tiny_task):
    r = train(tiny_task, "finetune", seed=0, num_epochs=2, lr=1e-2, head_lr=0.0, head_first=False,
              unfreeze_from="layer4")
    seed_everything(0)
    start = tiny_task.new_model()                              # the same seeded random head
    assert torch.equal(r.model.fc.weight, start.fc.weight)     # lr 0: the head did not move
    assert not torch.equal(r.model.layer4[0].conv1.weight, start.layer4[0].conv1.weight)
    assert torch.equal(r.model.layer3[0].conv1.weight, start.layer3[0].conv1.weight)   # frozen


def test_subset_task_picks_like_load_task_and_shares_test_cache():
    full = load_task(train_splits=("train", "extra"), verbose=False)
    direct = load_task(n_per_class=5, train_splits=("train", "extra"), seed=3, verbose=False)
    full._cache[("fc", "test")] = marker = (torch.zeros(1), torch.zeros(1))
    sub = subset_task(full, 5, seed=3)
    assert sub.train_ds.indices == direct.train_ds.indices and len(sub.train_ds) == 50
    assert sub.activations("fc", "test") is marker and sub.test_ds is full.test_ds
    assert ("fc", "train") not in sub._cache


def test_label_count_curve_and_plot(tiny_task):
    runs = label_count_curve(tiny_task, counts=(1, 4), seeds=(0, 1), num_epochs=1, track_test=False)
    assert set(runs) == {"scratch", "frozen"} and set(runs["frozen"]) == {1, 4}
    assert all(len(v) == 2 and all(0 <= r["test"] <= 1 and 0 <= r["train"] <= 1 for r in v)
               for s in runs.values() for v in s.values())
    assert runs["scratch"][4][0]["steps"] == 1 * 1          # 8 images: one batch, one epoch
    seen = torch.tensor(tiny_task.seen_classes())
    k = seen.sum().item()
    for r in runs["frozen"][1] + runs["scratch"][4]:        # equal test images per class: test = the classes' mean
        assert math.isclose(r["test"], (k * r["seen"] + (len(seen) - k) * r["new"]) / len(seen), abs_tol=1e-6)
    curve = {s: {n: [r["test"] for r in v] for n, v in by_n.items()} for s, by_n in runs.items()}
    fig = plot_label_curve(curve)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and len(ax.lines) == 2
    assert list(ax.lines[1].get_xdata()) == [1, 4]
    assert math.isclose(ax.lines[1].get_ydata()[0], sum(curve["frozen"][1]) / 2)


def test_label_count_curve_gives_every_count_the_same_step_budget(tiny_task):
    runs = label_count_curve(tiny_task, counts=(1, 4), strategies=("frozen",), seeds=(0,), steps=5,
                             track_test=False)
    steps = {n: v[0]["steps"] for n, v in runs["frozen"].items()}
    assert steps == {1: 5, 4: 5}                            # 2 or 8 images: one batch per epoch, 5 epochs
    model = tiny_task.new_model()
    loader = tiny_task.stage_data(model, "fc", 0)[1]
    assert len(loader) == math.ceil(len(tiny_task.train_ds) / TRAIN_BATCH_SIZE)


def test_train_seeds_gives_each_seeds_own_run_bit_for_bit(tiny_task):
    together = train_seeds(tiny_task, "finetune", [3, 1], num_epochs=1, unfreeze_from="layer4")
    alone = [train(tiny_task, "finetune", seed, num_epochs=1, unfreeze_from="layer4") for seed in (3, 1)]
    assert [r.seed for r in together] == [3, 1]
    for a, b in zip(together, alone):
        assert a.history["train_loss"] == b.history["train_loss"] and torch.equal(a.preds, b.preds)
        assert all(torch.equal(p, q) for p, q in zip(a.model.state_dict().values(), b.model.state_dict().values()))
    assert together[0].history["train_loss"] != together[1].history["train_loss"]     # the seeds differ


def test_seed_counts_and_lists():
    assert seed_list(5) == [0, 1, 2, 3, 4] and seed_list((7, 2)) == [7, 2]
    for bad in (0, [], [1, 1]):
        with pytest.raises(ValueError, match="seeds"):
            seed_list(bad)


def test_the_test_set_is_scored_once_unless_a_curve_asks(tiny_task, monkeypatch):
    import tl_helpers.engine as engine
    calls = []
    real = engine.evaluate
    monkeypatch.setattr(engine, "evaluate", lambda *a, **k: calls.append(1) or real(*a, **k))
    r = train(tiny_task, "frozen", seed=0, num_epochs=3)
    assert calls == [] and all(math.isnan(a) for a in r.history["test_acc"]) and 0 <= r.test_acc <= 1
    curve = train(tiny_task, "frozen", seed=0, num_epochs=3, track_test=True)
    assert len(calls) == 3 and curve.test_acc == r.test_acc and curve.history["train_loss"] == r.history["train_loss"]


def test_a_fine_tuning_curve_covers_both_phases(tiny_task):
    r = train(tiny_task, "finetune", seed=0, num_epochs=2, unfreeze_from="layer4", track_test=True)
    assert not any(math.isnan(a) for a in r.history["test_acc"])     # the head-first phase is scored too


def test_select_val_returns_the_best_validation_epoch_and_scores_test_once(tiny_task):
    r = train(tiny_task, "finetune", seed=0, num_epochs=4, unfreeze_from="layer4", select="val")
    val = r.history["val_acc"]
    assert len(val) == HEAD_EPOCHS + 4 and r.val_acc == max(val) and r.best_epoch == val.index(max(val)) + 1
    preds, targets = tiny_task.predict(r.model, "layer4", "val")
    assert (preds == targets).float().mean().item() == pytest.approx(r.val_acc)    # the returned model is that epoch's
    assert "test_acc" not in r.history                                            # the test set was not tracked


def test_select_val_needs_validation_images_and_says_how(tiny_task):
    tiny_task.val_ds = None
    with pytest.raises(ValueError, match="val_split"):
        train(tiny_task, "frozen", seed=0, num_epochs=1, select="val")
    with pytest.raises(ValueError, match="select"):
        train(tiny_task, "frozen", seed=0, num_epochs=1, select="test")


@pytest.mark.parametrize("strategy, kw", [("frozen", {"dropout": 0.5}), ("scratch", {}),
                                          ("finetune", {"unfreeze_from": "layer4", "head_epochs": 2})])
def test_track_val_draws_a_validation_curve_and_trains_the_same_weights(tiny_task, strategy, kw):
    plain = train(tiny_task, strategy, seed=0, num_epochs=2, **kw)
    tracked = train(tiny_task, strategy, seed=0, num_epochs=2, track_val=True, **kw)
    val = tracked.history["val_acc"]
    assert len(val) == len(tracked.history["train_loss"]) and not any(math.isnan(a) for a in val)
    assert tracked.best_epoch is None and val[-1] == pytest.approx(tracked.val_acc)   # the last epoch's model
    assert "val_acc" not in plain.history and plain.history["train_loss"] == tracked.history["train_loss"]
    a, b = plain.model.state_dict(), tracked.model.state_dict()
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)          # scoring changes nothing
    assert torch.equal(plain.preds, tracked.preds) and (plain.val_acc, plain.test_acc) == (tracked.val_acc,
                                                                                            tracked.test_acc)


def test_track_val_needs_validation_images_and_says_how(tiny_task):
    tiny_task.val_ds = None
    with pytest.raises(ValueError, match=r"track_val=True needs validation images.*val_split='extra'"):
        train(tiny_task, "frozen", seed=0, num_epochs=1, track_val=True)


def test_load_task_holds_out_extra_for_validation_unless_it_is_trained_on():
    task = load_task(verbose=False)
    assert len(task.val_ds) == 400 and len(task.train_ds) == 100
    assert load_task(train_splits=("train", "extra"), verbose=False).val_ds is None
    with pytest.raises(ValueError, match="training split"):
        load_task(train_splits=("train", "extra"), val_split="extra", verbose=False)


def test_optimiser_is_adam_without_weight_decay_and_adamw_with_it():
    from tl_helpers import make_optimizer
    params = [torch.nn.Parameter(torch.ones(3))]
    assert type(make_optimizer([{"params": params, "lr": 0.1}])) is torch.optim.Adam
    opt = make_optimizer([{"params": params, "lr": 0.1}], weight_decay=0.05)
    assert type(opt) is torch.optim.AdamW and opt.param_groups[0]["weight_decay"] == 0.05
    with pytest.raises(ValueError, match="weight_decay"):
        make_optimizer([{"params": params, "lr": 0.1}], weight_decay=-1)


def test_cosine_schedule_falls_to_zero_over_the_epochs_for_every_group():
    from tl_helpers import make_optimizer, make_scheduler
    a, b = torch.nn.Parameter(torch.ones(2)), torch.nn.Parameter(torch.ones(2))
    opt = make_optimizer([{"params": [a], "lr": 3e-4}, {"params": [b], "lr": 3e-3}])
    assert make_scheduler(opt, None, 5) is None
    scheduler = make_scheduler(opt, "cosine", 4)
    lrs = []
    for _ in range(4):
        lrs.append([g["lr"] for g in opt.param_groups])
        opt.step()
        scheduler.step()
    assert lrs[0] == [3e-4, 3e-3] and all(x > y for x, y in zip(lrs[1], lrs[2]))        # falls, both groups
    assert [g["lr"] for g in opt.param_groups] == pytest.approx([0.0, 0.0], abs=1e-12)   # 0 after its epochs
    assert lrs[2][1] / lrs[2][0] == pytest.approx(10)                                  # the ratio is kept
    with pytest.raises(ValueError, match="schedule"):
        make_scheduler(opt, "linear", 4)


def test_schedule_and_weight_decay_change_only_the_fine_tuning_phase(tiny_task):
    kw = {"num_epochs": 3, "unfreeze_from": "layer4", "head_epochs": 2}
    plain = train(tiny_task, "finetune", seed=0, **kw)
    again = train(tiny_task, "finetune", seed=0, weight_decay=0.0, schedule=None, **kw)
    assert all(torch.equal(p, q) for p, q in zip(plain.model.state_dict().values(), again.model.state_dict().values()))
    for other in ({"schedule": "cosine"}, {"weight_decay": 0.5}):
        run = train(tiny_task, "finetune", seed=0, **kw, **other)
        assert run.history["train_loss"][:2] == plain.history["train_loss"][:2]     # the head's phase: unchanged
        assert not torch.equal(run.model.layer4[0].conv1.weight, plain.model.layer4[0].conv1.weight)


# --------------------------------------------------------------------------- 08's small-CNN contender

def test_small_cnn_halves_the_side_first_and_has_the_stated_weights():
    from tl_helpers import SmallCNN, count_parameters
    model = SmallCNN(10).eval()
    assert model(torch.randn(2, 3, 64, 64)).shape == (2, 10)
    assert model.conv1(torch.zeros(1, 3, 64, 64)).shape[-1] == 32            # stride 2: 64 -> 32 px
    convs = [(3, 32), (32, 64), (64, 128)]
    expected = sum(9 * i * o + 2 * o for i, o in convs) + 128 * 10 + 10      # 3x3 kernels, BatchNorm, head
    assert count_parameters(model) == (expected, expected)


def test_scratch_run_trains_a_small_cnn_when_asked(tiny_task):
    from tl_helpers import SmallCNN
    r = train(tiny_task, "scratch", seed=0, num_epochs=2, arch="small_cnn")
    assert isinstance(r.model, SmallCNN) and r.trainable == r.total
    assert r.total < sum(p.numel() for p in tiny_task.new_model(pretrained=False).parameters())
    again = train(tiny_task, "scratch", seed=0, num_epochs=2, arch="small_cnn")
    assert again.history["train_loss"] == r.history["train_loss"]              # seeded: the same run


@pytest.mark.parametrize("kwargs", [{"strategy": "frozen", "arch": "small_cnn"},
                                    {"strategy": "finetune", "arch": "small_cnn"},
                                    {"strategy": "scratch", "arch": "small_cnn", "dropout": 0.5},
                                    {"strategy": "scratch", "arch": "vgg"}])
def test_small_cnn_only_where_it_means_something(tiny_task, kwargs):
    with pytest.raises(ValueError, match="arch must be one of"):
        train(tiny_task, seed=0, num_epochs=1, **kwargs)


def test_tune_lr_scores_each_rate_on_validation_with_the_curves_step_budget(tiny_task):
    from tl_helpers import epochs_for, tune_lr
    val = tune_lr(tiny_task, (1e-3, 1e-2), seeds=(0, 1), steps=3, arch="small_cnn")
    assert list(val) == [1e-3, 1e-2] and all(len(v) == 2 for v in val.values())
    assert epochs_for(len(tiny_task.train_ds), 3) == 3                        # 8 images: one batch per epoch
    alone = train(tiny_task, "scratch", seed=1, num_epochs=3, lr=1e-2, arch="small_cnn")
    assert val[1e-2][1] == alone.val_acc
    no_val = TargetTask(tiny_task.backbone, tiny_task.weights, tiny_task.train_ds, tiny_task.test_ds,
                        tiny_task.classes)
    with pytest.raises(ValueError, match="validation"):
        tune_lr(no_val, (1e-3,), seeds=(0,), steps=1)


def test_keep_last_keeps_the_last_epochs_weights_beside_the_selected_ones(tiny_task):
    kw = {"num_epochs": 3, "unfreeze_from": "layer4", "head_epochs": 2}
    selected = train(tiny_task, "finetune", seed=0, select="val", keep_last=True, **kw)
    plain = train(tiny_task, "finetune", seed=0, **kw)                    # no selection: the last epoch
    assert plain.last_state is None
    assert all(torch.equal(selected.last_state[k], v) for k, v in plain.model.state_dict().items())
    assert selected.history["train_loss"] == plain.history["train_loss"]  # scoring validation changes no step
