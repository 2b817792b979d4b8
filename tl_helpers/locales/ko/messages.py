"""Korean notes, printed lines, progress bars and table headers of the helpers (everything but the widgets,
exercises and claims): ``load_backbone``'s line, a folder scan's notes, ``colour_note``, the ``tqdm`` bars,
``format_table`` and ``format_dropout_table``."""
MESSAGES: dict[str, str] = {
    # weights.load_backbone: the line saying which backbone is used and why
    "Backbone: torchvision ResNet-50, ImageNet weights ({weights}), as requested{verified}.":
        "백본: 요청한 대로 torchvision ResNet-50, ImageNet 가중치 ({weights}){verified}.",
    "Backbone: bundled ResNet-50 (width {width}) pretrained on {n} Fashion-MNIST classes, as requested.":
        "백본: 요청한 대로 번들 ResNet-50 (너비 {width}), Fashion-MNIST {n}개 클래스로 사전 학습됨.",
    "Backbone: torchvision ResNet-50 with ImageNet weights ({why}: {path}){verified}.":
        "백본: ImageNet 가중치를 쓰는 torchvision ResNet-50 ({why}: {path}){verified}.",
    "Backbone: bundled ResNet-50 (width {width}, Fashion-MNIST pretrained): {reason}.":
        "백본: 번들 ResNet-50 (너비 {width}, Fashion-MNIST로 사전 학습): {reason}.",
    "found in the cache": "캐시에 있음",
    "downloaded": "내려받음",
    "; sha256 verified": "; sha256 검증 완료",
    "; NOT verified: not torchvision's published file": "; 검증되지 않음: torchvision이 공개한 파일이 아닙니다",
    "ImageNet weights unavailable ({error}...)": "ImageNet 가중치를 쓸 수 없음 ({error}...)",
    "ImageNet weights not cached at {path} and downloads are off (TL_ALLOW_DOWNLOAD=1 allows them)":
        "ImageNet 가중치가 {path}에 캐시되어 있지 않고 다운로드가 꺼져 있음 (TL_ALLOW_DOWNLOAD=1이면 허용)",
    # images/data: what a folder scan prints about the files it skips
    "Note: skipped {n} non-image file(s) in {root}: {names}":
        "참고: {root}에서 이미지가 아닌 파일 {n}개를 건너뛰었습니다: {names}",
    "Note: skipped {n} image(s) without an image file ending in {root}: {names} (rename them, e.g. to .jpg)":
        "참고: {root}에서 이미지 파일 확장자가 없는 이미지 {n}개를 건너뛰었습니다: {names} (이름을 바꾸세요, 예: .jpg로)",
    "Note: skipped {n} image(s) in a format the loaders do not read in {root}: {names} "
    "(convert them to JPEG or PNG)":
        "참고: {root}에서 로더가 읽지 못하는 형식의 이미지 {n}개를 건너뛰었습니다: {names} (JPEG나 PNG로 변환하세요)",
    # workflow.colour_note (notebook 10)
    "Note: these are colour images, but the backbone is the bundled one, pretrained on 64 px grayscale "
    "Fashion-MNIST: expect poor accuracy. For ImageNet weights, run once with network "
    "`python -c \"import torchvision; torchvision.models.resnet50(weights='{name}')\"` "
    "(it fills torchvision's cache, {cache}), or start JupyterLab with TL_ALLOW_DOWNLOAD=1; then restart the kernel.":
        "참고: 컬러 이미지인데 백본은 64 px 흑백 Fashion-MNIST로 사전 학습된 번들 백본이라 정확도가 낮을 것입니다. "
        "ImageNet 가중치를 쓰려면 네트워크에 연결된 곳에서 "
        "`python -c \"import torchvision; torchvision.models.resnet50(weights='{name}')\"`를 한 번 실행하거나 "
        "(torchvision의 캐시 {cache}를 채웁니다) TL_ALLOW_DOWNLOAD=1로 JupyterLab을 시작한 뒤, 커널을 다시 시작하세요.",
    # engine / experiments: tqdm progress bars
    "train": "학습",
    "eval": "평가",
    "features": "특징",
    "{strategy}: seeds": "{strategy}: 시드",
    # experiments.format_table (notebook 07)
    "strategy": "전략",
    "validation accuracy": "검증 정확도",
    "test accuracy": "테스트 정확도",
    "test: 95 % CI of the mean": "테스트: 평균의 95 % 신뢰 구간",
    "test: seen classes": "테스트: 사전 학습에서 본 클래스",
    "test: new classes": "테스트: 새 클래스",
    "trainable params": "학습되는 매개변수",
    "s per run": "실행당 초",
    # dropout.format_dropout_table (notebook 05; its first column, "dropout p", is in widgets.py)
    "epoch chosen on validation": "검증 데이터로 고른 에폭",
    "train acc": "학습 정확도",
    "validation acc": "검증 정확도",
    "test acc": "테스트 정확도",
    "gap = train - test": "차이 = 학습 - 테스트",
    "validation change from {base} [95 % CI]": "{base} 대비 검증 정확도 변화 [95 % 신뢰 구간]",
    "test change from {base} [95 % CI]": "{base} 대비 테스트 정확도 변화 [95 % 신뢰 구간]",
}
