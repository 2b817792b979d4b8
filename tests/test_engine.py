import math

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from tl_helpers import seed_everything
from tl_helpers import (evaluate, extract_features, feature_loader, fit, per_class_accuracy,
                               predict, train_one_epoch)
from tl_helpers import freeze_backbone, replace_head


def _loader(n=24, classes=3, size=32, seed=0):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 3, size, size, generator=g) + 2.0      # shifted: BN stats must move if updated
    y = torch.arange(n) % classes
    return DataLoader(TensorDataset(x, y), batch_size=8, shuffle=False)


def test_frozen_backbone_running_stats_unchanged(tiny_resnet):
    freeze_backbone(tiny_resnet)
    before = {k: v.clone() for k, v in tiny_resnet.state_dict().items() if not k.startswith("fc.")}
    fc_before = tiny_resnet.fc.weight.clone()
    opt = torch.optim.SGD([p for p in tiny_resnet.parameters() if p.requires_grad], lr=0.1)
    train_one_epoch(tiny_resnet, _loader(), nn.CrossEntropyLoss(), opt)
    after = tiny_resnet.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before), "frozen backbone changed"
    assert not torch.equal(fc_before, tiny_resnet.fc.weight), "head did not train"


def test_plain_train_mode_would_move_running_stats(tiny_resnet):
    # The pitfall the helpers avoid: model.train() updates BN statistics even with frozen weights.
    freeze_backbone(tiny_resnet)
    mean_before = tiny_resnet.bn1.running_mean.clone()
    tiny_resnet.train()
    with torch.no_grad():
        tiny_resnet(next(iter(_loader()))[0])
    assert not torch.equal(mean_before, tiny_resnet.bn1.running_mean)


def test_fit_history_and_learning(tiny_resnet):
    seed_everything(0)
    loader = _loader()
    opt = torch.optim.Adam(tiny_resnet.parameters(), lr=1e-2)
    calls = []
    hist = fit(tiny_resnet, loader, loader, opt, num_epochs=4, callbacks=lambda e, h: calls.append(e))
    assert set(hist) == {"train_loss", "train_acc", "test_loss", "test_acc", "seconds"}
    assert all(len(v) == 4 for v in hist.values()) and calls == [0, 1, 2, 3]
    assert hist["train_loss"][-1] < hist["train_loss"][0]
    loss, acc = evaluate(tiny_resnet, loader)
    assert math.isclose(loss, hist["test_loss"][-1], rel_tol=1e-6) and acc == hist["test_acc"][-1]


def test_fit_without_test_loader(tiny_resnet):
    opt = torch.optim.SGD(tiny_resnet.parameters(), lr=0.01)
    hist = fit(tiny_resnet, _loader(), None, opt, num_epochs=1)
    assert math.isnan(hist["test_acc"][0])


def test_progress_bar_shows_only_the_splits_it_scores(tiny_resnet, capsys):
    """The bar's readout names the splits that are scored: no ``test_acc=nan`` when no test loader is given."""
    opt = torch.optim.SGD(tiny_resnet.parameters(), lr=0.01)
    fit(tiny_resnet, _loader(), None, opt, num_epochs=2, progress=True)
    fit(tiny_resnet, _loader(), {"val": _loader()}, opt, num_epochs=2, progress=True)
    err = capsys.readouterr().err
    assert "loss=" in err and "val_acc=" in err and "test_acc" not in err and "nan" not in err


def test_extract_features_matches_forward(tiny_resnet):
    loader = _loader()
    feats, labels = extract_features(tiny_resnet, loader)
    assert feats.shape == (24, tiny_resnet.fc.in_features) and labels.tolist() == [i % 3 for i in range(24)]
    tiny_resnet.eval()
    with torch.no_grad():
        logits = tiny_resnet(next(iter(loader))[0])
    assert torch.allclose(tiny_resnet.fc(feats[:8]), logits, atol=1e-5)
    assert isinstance(tiny_resnet.fc, nn.Linear)          # the model is not changed by extraction


def test_feature_loader_and_predict(tiny_resnet):
    feats, labels = extract_features(tiny_resnet, _loader())
    fl = feature_loader(feats, labels, batch_size=5, shuffle=True, seed=1)
    assert sum(len(y) for _, y in fl) == 24
    preds, probs, targets = predict(tiny_resnet, _loader())
    assert preds.shape == (24,) and probs.shape == (24, 3)
    assert torch.allclose(probs.sum(1), torch.ones(24), atol=1e-5) and torch.equal(targets, labels)


def test_per_class_accuracy():
    acc = per_class_accuracy(torch.tensor([0, 1, 1, 2]), torch.tensor([0, 1, 2, 2]), 4)
    assert acc[:3].tolist() == [1.0, 1.0, 0.5] and math.isnan(acc[3])


def test_same_seed_same_metrics(tiny_resnet):
    def run():
        seed_everything(3)
        model = replace_head(type(tiny_resnet)(type(tiny_resnet.layer1[0]), [2, 2, 2, 2], width=8), 3)
        opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
        train_loader = DataLoader(_loader().dataset, batch_size=8, shuffle=True,
                                  generator=torch.Generator().manual_seed(3))
        return fit(model, train_loader, _loader(), opt, num_epochs=2)
    a, b = run(), run()
    assert a["train_loss"] == b["train_loss"] and a["test_acc"] == b["test_acc"]
