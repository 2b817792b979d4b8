import pytest
import torch
import torchvision
from torch import nn

from tl_helpers import (conv_output_side, dropout_layers, accuracy, layer_table,
                                 main_path_layers, mc_dropout_accuracy, resnet_sides, shortcut_table,
                                 source_head_accuracy, source_head_predictions, stage_shapes)
from tl_helpers import replace_head
from tl_helpers import resnet18, resnet50


def test_conv_output_side_formula():
    assert conv_output_side(224, 7, 2, 3) == 112
    assert conv_output_side(112, 3, 2, 1) == 56
    assert conv_output_side(7, 3, 2, 1) == 4
    assert conv_output_side(5, 1, 1, 0) == 5


@pytest.mark.parametrize("size, expected", [(224, (112, 56, 28, 14, 7)), (160, (80, 40, 20, 10, 5)),
                                            (100, (50, 25, 13, 7, 4))])
def test_resnet_sides_match_hooks(size, expected):
    sides = resnet_sides(size)
    assert (sides["conv1"], sides["layer1"], sides["layer2"], sides["layer3"], sides["layer4"]) == expected
    model = resnet18(width=4, num_classes=2)
    shapes = stage_shapes(model, size, ("conv1", "stem", "layer1", "layer2", "layer3", "layer4"))
    assert {k: v[1] for k, v in shapes.items()} == sides


def test_shortcut_table_resnet50_has_four_projections():
    rows = shortcut_table(resnet50(width=8))
    assert len(rows) == 16
    proj = [r for r in rows if r["projection"]]
    assert [r["block"] for r in proj] == ["layer1.0", "layer2.0", "layer3.0", "layer4.0"]
    assert (proj[0]["stride"], proj[0]["in"], proj[0]["out"]) == (1, 8, 32)
    assert [r["stride"] for r in proj[1:]] == [2, 2, 2]
    assert all(r["in"] == r["out"] and r["stride"] == 1 for r in rows if not r["projection"])


def test_shortcut_table_resnet18_projects_only_where_size_changes():
    rows = shortcut_table(resnet18(width=8))
    assert [r["block"] for r in rows if r["projection"]] == ["layer2.0", "layer3.0", "layer4.0"]


def test_layer_table_reproduces_the_paper_rows():
    rows = layer_table(resnet50(width=8, num_classes=7), size=224)
    assert [r["stage"] for r in rows] == ["conv1", "conv2_x", "conv3_x", "conv4_x", "conv5_x", "pool + fc"]
    assert rows[0] == {"stage": "conv1", "output": "112x112", "structure": "7x7, 8, stride 2", "blocks": 0}
    assert rows[1]["output"] == "56x56" and rows[1]["structure"].endswith("[1x1, 8; 3x3, 8; 1x1, 32] x 3")
    assert rows[4] == {"stage": "conv5_x", "output": "7x7", "structure": "[1x1, 64; 3x3, 64; 1x1, 256] x 3",
                       "blocks": 3}
    assert [r["blocks"] for r in rows[1:5]] == [3, 4, 6, 3]
    assert rows[5]["structure"] == "average pool, 7-d fc"


def test_main_path_layers_resnet50():
    assert main_path_layers(resnet50(width=8)) == (50, 4)


def test_dropout_layers():
    assert dropout_layers(torchvision.models.resnet50(weights=None)) == []
    model = replace_head(resnet18(width=4), 3, dropout=0.5)
    assert dropout_layers(model) == ["fc.0"]
    assert dropout_layers(nn.Sequential(nn.Dropout2d(0.1), nn.ReLU(), nn.AlphaDropout(0.2))) == ["0", "2"]


def test_accuracy_uses_eval_mode():
    torch.manual_seed(0)
    head = nn.Sequential(nn.Dropout(0.9), nn.Linear(4, 2))
    with torch.no_grad():
        head[1].weight.copy_(torch.tensor([[1.0, 0, 0, 0], [0, 1.0, 0, 0]]))
        head[1].bias.zero_()
    x = torch.tensor([[2.0, 1.0, 0, 0], [1.0, 2.0, 0, 0], [3.0, 0.0, 0, 0]])
    y = torch.tensor([0, 1, 1])
    head.train()
    assert accuracy(head, x, y) == pytest.approx(2 / 3)
    assert head.training  # mode restored


def test_mc_dropout_accuracy_shapes_and_limits():
    torch.manual_seed(0)
    x = torch.randn(200, 16)
    y = (x[:, 0] > 0).long()
    head = nn.Sequential(nn.Dropout(0.5), nn.Linear(16, 2))
    with torch.no_grad():
        head[1].weight.zero_()
        head[1].weight[1, 0], head[1].weight[0, 0] = 1.0, -1.0
        head[1].bias.zero_()
    res = mc_dropout_accuracy(head, x, y, num_samples=20)
    assert res["eval"] == 1.0
    assert len(res["single"]) == len(res["averaged"]) == 20
    # A single pass drops feature 0 half the time, so it is wrong on many images; averaging recovers.
    assert max(res["single"]) < 0.9
    assert res["averaged"][-1] == 1.0
    assert res == mc_dropout_accuracy(head, x, y, num_samples=20)  # seeded


def test_source_accuracy_maps_folders_to_categories(tmp_path):
    from imagefolders import write_image_folder
    write_image_folder(tmp_path / "test", classes=("bag", "coat", "tshirt_top"), n=2)

    class Fixed(nn.Module):  # always predicts category 1 ("Coat")
        def forward(self, x):
            return torch.tensor([[0.0, 1.0]]).repeat(len(x), 1)

    acc = source_head_accuracy(Fixed(), ["T-shirt/top", "Coat"], torchvision.transforms.ToTensor(),
                               root=tmp_path)
    assert acc == pytest.approx(0.5)   # 2 coat + 2 T-shirt images considered, bag ignored
    preds, labels = source_head_predictions(Fixed(), ["T-shirt/top", "Coat"], torchvision.transforms.ToTensor(),
                                            root=tmp_path)
    assert preds.tolist() == [1, 1, 1, 1] and labels.tolist() == [1, 1, 0, 0]  # folders sorted: coat, tshirt_top
    with pytest.raises(ValueError):
        source_head_accuracy(Fixed(), ["Sandal"], torchvision.transforms.ToTensor(), root=tmp_path)
