"""Korean claim lines of notebooks/01_transfer_learning_idea.ipynb: English text of each ``tl.claim`` -> Korean."""
MESSAGES: dict[str, str] = {
    "on the seen classes every step from one stage to the next is a rise (lowest low end of the paired "
    "95 % intervals)":
        "본 클래스에서는 한 스테이지에서 다음 스테이지로 가는 모든 단계가 상승이다 (대응 95 % 구간의 하한 중 가장 낮은 값)",
    "the training loss falls (last epoch's over the first's)":
        "학습 손실이 줄어든다 (마지막 에폭 / 첫 에폭)",
    "the head predicts the test images above chance (lower end of the 95 % interval, minus chance)":
        "헤드가 테스트 이미지를 우연 수준보다 잘 예측한다 (95 % 구간의 하한에서 우연 수준을 뺀 값)",
    "tl.fit gives the plain loop's training losses (largest difference)":
        "tl.fit이 직접 쓴 루프와 같은 학습 손실을 낸다 (최대 차이)",
    "and its test accuracy":
        "테스트 정확도도 같다",
    "cached features give the plain loop's accuracy after the same epochs (difference; rounding only)":
        "캐시한 특징으로 같은 에폭 뒤에 직접 쓴 루프와 같은 정확도가 나온다 (차이; 반올림 오차뿐)",
    "feature extraction classifies about three in four unseen test images correctly":
        "특징 추출이 처음 보는 테스트 이미지의 약 4분의 3을 올바르게 분류한다",
    "random filters are about as rough as noise (about 1)":
        "무작위 필터는 잡음만큼 거칠다 (약 1)",
    "pretrained filters are much smoother (roughness relative to random)":
        "사전 학습된 필터는 훨씬 매끄럽다 (무작위 필터 대비 거칠기)",
    "the pretrained probe rises from the stem to layer4 (layer4's lower end minus the stem's upper end)":
        "사전 학습된 프로브는 스템에서 layer4까지 올라간다 (layer4의 하한에서 스템의 상한을 뺀 값)",
    "at least two of the four steps are clear rises, and none is a clear fall":
        "네 단계 중 적어도 두 단계가 뚜렷한 상승이고, 뚜렷한 하락은 없다",
    "pretrained layer4 beats random layer4 by over 10 points (difference minus its 95 % half-width)":
        "사전 학습된 layer4가 무작위 layer4보다 10포인트 넘게 높다 (차이에서 그 95 % 반폭을 뺀 값)",
    "random features gain less from depth (pretrained gain minus random gain, minus its half-width)":
        "무작위 특징은 깊이에서 얻는 것이 더 적다 (사전 학습 이득에서 무작위 이득과 그 반폭을 뺀 값)",
    "even random features are above chance at every stage (lowest lower end, minus chance)":
        "무작위 특징도 모든 스테이지에서 우연 수준보다 높다 (가장 낮은 하한에서 우연 수준을 뺀 값)",
    "on the new classes the pretrained probe peaks before layer4 (on the validation images)":
        "새 클래스에서 사전 학습된 프로브는 layer4 전에 정점에 이른다 (검증 이미지에서)",
    "and on the test images it falls from there to layer4 (lower end of the paired 95 % interval)":
        "그리고 테스트 이미지에서 거기서부터 layer4까지 떨어진다 (대응 95 % 구간의 하한)",
    "layer4's probe is better on the seen classes than on the new ones (difference minus its half-width)":
        "layer4의 프로브는 새 클래스보다 본 클래스에서 더 좋다 (차이에서 그 반폭을 뺀 값)",
    "most of layer4's gain over random is on the seen classes (seen gain minus new gain, minus half-width)":
        "layer4가 무작위보다 나은 몫은 대부분 본 클래스에서 나온다 (본 클래스 이득에서 새 클래스 이득과 반폭을 뺀 값)",
}
