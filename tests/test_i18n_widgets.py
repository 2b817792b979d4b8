"""The widgets, tables and notes of the helpers in Korean: labels, descriptions and result lines speak Korean, while
every control's ``.value`` (what the code and the notebooks' assert cells read) stays the English value."""
from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
import torch
from PIL import Image
from torch.utils.data import TensorDataset

import tl_helpers as tl
from tl_helpers import downsampling, engine, transfer_widget
from test_dropout import tiny_task  # noqa: F401  (fixture)
from test_transfer_widget import _png_info, task  # noqa: F401  (fixture)

HANGUL = re.compile(r"[\uac00-\ud7a3]")
OWNED = [p for p in sorted((Path(tl.__file__).parent).glob("*.py")) if p.stem not in ("claims", "i18n")]


def korean_text(text: str) -> bool:
    return bool(HANGUL.search(str(text)))


@pytest.fixture
def korean(monkeypatch):
    """The helpers speak Korean, and a text without a Korean translation raises (as under the tests and the book)."""
    monkeypatch.setenv("TL_STRICT_CLAIMS", "1")
    tl.set_language("ko")
    yield
    tl.set_language("en")


def _specs(template: str) -> list[tuple[str, str]]:
    return sorted((name, spec) for _, name, spec, _ in string.Formatter().parse(template) if name)


def test_every_text_of_the_helpers_has_a_korean_translation_with_the_same_fields():
    catalogue, found = tl.catalogue("ko"), set()
    for path in OWNED:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("tr", "N_") and node.args \
                    and isinstance(node.args[0], ast.Constant):
                found.add((path.name, node.args[0].value))
    assert len(found) > 60, "the helpers' texts are written as tr(\"...\") / N_(\"...\") literals"
    missing = sorted(f"{name}: {text!r}" for name, text in found if text not in catalogue)
    assert not missing, "\n".join(missing)
    for _, text in found:
        assert _specs(catalogue[text]) == _specs(text), (text, catalogue[text])
        assert korean_text(catalogue[text]) or text in ("Kaiming (He)",), text


def test_transfer_trainer_labels_speak_korean_and_values_stay_english(task, korean):  # noqa: F811
    w = transfer_widget.TransferTrainer(task)
    assert [v for _, v in w.mode.options] == list(tl.MODES) and w.mode.value == tl.FREEZE
    assert w.mode._options_labels == ("특징 추출 (백본 동결)", "미세 조정 (동결 해제한 스테이지)")
    assert all(korean_text(t) for t in w.mode.tooltips)
    assert [v for _, v in w.unfreeze.options] == list(tl.UNFREEZE_CHOICES)
    labels = dict((v, label) for label, v in w.unfreeze.options)
    assert (labels[tl.HEAD_ONLY], labels[tl.ALL], labels["layer4"], labels["layer3-4"]) == ("없음 (헤드만)", "전체",
                                                                                            "layer4", "layer3-4")
    assert [c.description for c in (w.unfreeze, w.lr, w.epochs, w.button)] == ["동결 해제", "학습률", "에폭", "학습"]
    assert w.result.value == "'학습'을 누르면 검증 정확도가 나옵니다."
    total = w.counts[tl.ALL][1]
    assert w.trainable.value == f"학습되는 매개변수: {total:,}개 중 99개 ({tl.share_text(99, total)}): 새 헤드 fc만"
    w.mode.value = tl.FINETUNE                        # the same effect as in English (test_transfer_widget)
    assert (w.unfreeze.value, w.lr.value, w.epochs.value) == (tl.ALL, tl.FINETUNE_LR, tl.FINETUNE_EPOCHS)
    assert w.unfreeze.label == "전체" and w.trainable.value.endswith("stem, layer1, layer2, layer3, layer4 + 새 헤드 fc")
    w.unfreeze.value = "layer4"
    assert w.mode.value == tl.FINETUNE and w.trainable.value.endswith(": layer4 + 새 헤드 fc")
    w.mode.value = tl.FREEZE
    assert w.unfreeze.value == tl.HEAD_ONLY and w.lr.value == tl.HEAD_LR and w.mode.label == "특징 추출 (백본 동결)"
    w.unfreeze.value = "layer2-4"
    assert w.mode.value == tl.FINETUNE and w.settings() == {"strategy": "finetune", "unfreeze_from": "layer2",
                                                            "lr": tl.FINETUNE_LR, "num_epochs": tl.FINETUNE_EPOCHS,
                                                            "seed": 0}


def test_transfer_trainer_result_and_details_in_korean(task, korean):  # noqa: F811
    w = transfer_widget.TransferTrainer(task, redraw_every_s=0.0)
    w.mode.value = tl.FINETUNE
    w.unfreeze.value, w.epochs.value = "layer4", 1
    seen, titles = [], []
    w.result.observe(lambda c: seen.append(c["new"]), names="value")
    w.curve.observe(lambda c: titles.append(_png_info(c["new"])["title"]), names="value")
    w.button.click()
    assert seen == ["학습 중...", f"검증 정확도: {w.last.val_acc:.3f} (1번째 실행)"]
    assert w.details.value == (f"&nbsp;&nbsp;헤드를 먼저 {tl.HEAD_EPOCHS} 에폭 학습한 뒤 layer4 + 새 헤드 fc를 1 에폭 동안 "
                               f"미세 조정했습니다 (학습률 {tl.FINETUNE_LR:g}); 학습된 매개변수 {w.last.trainable:,}개; "
                               f"{w.last.seconds:.1f}초")
    assert not any(korean_text(t) for t in titles)    # the figure's text stays English (no CJK font needed)
    assert tl.train(task, **w.settings()).val_acc == w.last.val_acc


def test_a_click_ignored_during_a_run_is_noted_once_in_korean(task, korean, monkeypatch):  # noqa: F811
    w = transfer_widget.TransferTrainer(task, redraw_every_s=10.0)
    real_train = transfer_widget.train

    def train_and_click_twice(*args, **kwargs):
        w.button.click()
        w.button.click()
        return real_train(*args, **kwargs)

    monkeypatch.setattr(transfer_widget, "train", train_and_click_twice)
    w.button.click()
    assert w.runs == 1 and w.ignored == 2 and w.result.value.endswith("(1번째 실행)")
    assert w.details.value.startswith(f"&nbsp;&nbsp;새 헤드를 {tl.HEAD_EPOCHS} 에폭 동안 학습했습니다 (학습률 ")
    assert w.details.value.endswith("초 (학습 중에 누른 클릭 2번은 무시했습니다)") and w.details.value.count("클릭") == 1


def test_gradient_flow_explorer_in_korean(korean):
    torch.manual_seed(0)
    x, y = torch.randn(4, 3, 28, 28), torch.arange(4)
    ex = tl.GradientFlowExplorer(x, y, depth=8)
    assert [c.description for c in (ex.depth, ex.init, ex.batchnorm, ex.shortcut)] == ["깊이", "초기화", "배치 정규화",
                                                                                          "숏컷"]
    assert ex.init.options == (("PyTorch 기본값", "default"), ("Kaiming (He)", "kaiming"))
    assert ex.summary.value.startswith("<b>플레인-8, 기본 초기화, 배치 정규화 없음</b>: 기울기 노름은 1층 ")
    assert ex.state["label"] == "plain-8, default init, no BatchNorm"        # the figure's legend stays English
    ex.init.value, ex.shortcut.value = "kaiming", True
    assert (ex.state["init"], ex.state["residual"]) == ("kaiming", True)
    assert ex.summary.value.startswith("<b>잔차-8, Kaiming 초기화, 배치 정규화 없음</b>:") and "초)" in ex.summary.value


def test_shape_explorer_and_its_table_in_korean(korean, monkeypatch):
    shown = []
    monkeypatch.setattr(downsampling, "display", lambda obj: shown.append(obj.data))
    torch.manual_seed(0)
    ex = tl.ShapeExplorer(tl.resnet50(width=4), size=224, stage="layer4", plot=False)
    assert (ex.size.description, ex.stage.description) == ("입력 px", "스테이지")
    assert ex.stage.options == tl.SHAPE_STAGES
    assert shown[-1].startswith("<b>입력 224 px &rarr; layer4: 128 x 7 x 7</b><table><tr><th>스테이지</th><th>채널</th>"
                                "<th>높이</th><th>너비</th><th>이미지당 값 개수</th></tr>")
    ex.size.value = 160
    assert ex.state["selected"] == (128, 5, 5) and shown[-1].startswith("<b>입력 160 px &rarr; layer4: 128 x 5 x 5</b>")


def test_dropout_explorer_in_korean(tiny_task, korean):  # noqa: F811
    ex = tl.DropoutExplorer(tiny_task, p=0.0, num_epochs=2)
    assert ex.p.description == "드롭아웃 p"
    ex.p.value = 0.5
    assert ex.state["p"] == 0.5 and ex.state["dropout_layers"] == ["fc.0"]


def _table_rows() -> tuple[list[dict], list[dict]]:
    runs = [{"strategy": "frozen", "val": (0.71, 0.01), "test": (0.7, 0.02), "test_ci": (0.7, 0.68, 0.72),
             "seen": (0.8, 0.01), "new": (0.6, 0.03), "trainable": 20_490, "seconds": 1.25}]
    dropout = [{"p": p, "epoch": (10.0, 1.0), "train": (0.9, 0.01), "val": (0.7, 0.01), "test": (0.7, 0.02),
                "gap": (0.2, 0.02), "val_change": (0.0, -0.01, 0.01), "change": (0.01, -0.01, 0.03)} for p in (0.0, 0.5)]
    return runs, dropout


def test_the_tables_headers_speak_korean_and_their_numbers_do_not_change(korean):
    runs, dropout = _table_rows()
    tables = {"format_table": tl.format_table(runs), "format_dropout_table": tl.format_dropout_table(dropout)}
    tl.set_language("en")
    english = {"format_table": tl.format_table(runs), "format_dropout_table": tl.format_dropout_table(dropout)}
    tl.set_language("ko")
    for name, table in tables.items():
        header, rule, *rows = table.splitlines()
        en_header, en_rule, *en_rows = english[name].splitlines()
        assert korean_text(header) and not korean_text(en_header), name
        assert header.count("|") == en_header.count("|") and (rule, rows) == (en_rule, en_rows), name
    assert tables["format_table"].startswith("| 전략 | 검증 정확도 | 테스트 정확도 | 테스트: 평균의 95 % 신뢰 구간 |")
    assert "| p = 0.0 대비 테스트 정확도 변화 [95 % 신뢰 구간] |" in tables["format_dropout_table"]


def test_printed_notes_speak_korean(korean, tmp_path, capsys, monkeypatch):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        Image.new("RGB", (8, 8), (200, 30, 30)).save(tmp_path / name / "1.png")
    (tmp_path / "a" / "notes.txt").write_text("not an image")
    scan = tl.scan_image_folder(tmp_path)
    assert capsys.readouterr().out.strip() == f"참고: {tmp_path}에서 이미지가 아닌 파일 1개를 건너뛰었습니다: notes.txt"
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "readme.txt").write_text("no images here")
    with pytest.raises(tl.DatasetLayoutError, match=r"Found only 1 non-image file\(s\) in "):   # errors: English
        tl.scan_image_folder(tmp_path, verbose=False)
    note = tl.colour_note(tl.BundledWeights(), [p for p, _ in scan.samples])
    assert note.startswith("참고: 컬러 이미지인데") and tl.imagenet_weights().name in note
    monkeypatch.setattr("tl_helpers.weights._load_bundled", lambda weights: None)    # the line, not the loading
    tl.load_backbone("bundled")
    assert capsys.readouterr().out.strip() == ("백본: 요청한 대로 번들 ResNet-50 (너비 16), Fashion-MNIST 5개 클래스로 "
                                               "사전 학습됨.")
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch"))
    monkeypatch.delenv("TL_ALLOW_DOWNLOAD", raising=False)
    tl.load_backbone("auto")
    out = capsys.readouterr().out.strip()
    assert out.startswith("백본: 번들 ResNet-50 (너비 16, Fashion-MNIST로 사전 학습): ImageNet 가중치가 ")
    assert str(tl.imagenet_cache_path()) in out and out.endswith("(TL_ALLOW_DOWNLOAD=1이면 허용).")


def test_progress_bars_are_described_in_korean(task, korean, monkeypatch):  # noqa: F811
    descriptions = []

    def fake_tqdm(iterable, **kw):
        descriptions.append(kw["desc"])
        return iterable

    monkeypatch.setattr(engine, "tqdm", fake_tqdm)
    torch.manual_seed(0)
    data = TensorDataset(torch.randn(8, 4), torch.arange(8) % 2)
    model = torch.nn.Linear(4, 2)
    loader = torch.utils.data.DataLoader(data, batch_size=4)
    engine.fit(model, loader, loader, torch.optim.SGD(model.parameters(), lr=0.1), 1, progress=True)
    engine.train_one_epoch(model, loader, torch.nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1),
                           progress=True)
    engine.evaluate(model, loader, progress=True)
    tl.train_seeds(task, "frozen", seeds=[0], progress=True, num_epochs=1)
    assert descriptions == ["에폭", "학습", "평가", "frozen: 시드"]


def test_english_is_unchanged_and_the_default(task):  # noqa: F811
    assert tl.language() == "en"
    w = transfer_widget.TransferTrainer(task)
    assert w.mode.options == tuple(tl.MODES) and w.unfreeze.options == tuple(tl.UNFREEZE_CHOICES)
    assert w.button.description == "Train" and w.result.value == "Press Train to see the validation accuracy."
    assert tl.format_table(_table_rows()[0]).startswith("| strategy | validation accuracy | test accuracy |")
