"""Korean claim lines of notebook 06 (ResNet-50 anatomy): English text of each ``tl.claim`` -> Korean."""
MESSAGES: dict[str, str] = {
    "the table read from our model is the 50-layer column of the paper's Table 1":
        "우리 모델에서 읽은 표는 논문 Table 1의 50-layer 열과 같다",
    "torchvision's ResNet-50 gives the same table":
        "torchvision의 ResNet-50도 같은 표를 낸다",
    "the model has 50 weighted layers on its main path, and 4 projection convs beside it":
        "모델의 주 경로에는 가중치를 가진 층이 50개 있고, 그 옆에 프로젝션 합성곱이 4개 있다",
    "our ResNet-50 has the parameter count torchvision records":
        "우리 ResNet-50의 매개변수 개수는 torchvision이 기록한 값과 같다",
    "and its multiply-adds, up to torchvision's rounding to 3 decimals (difference, G)":
        "곱셈-덧셈 수도 torchvision의 소수점 셋째 자리 반올림 범위 안에서 같다 (차이, G)",
    "v1 is within 0.1 G of the paper's 3.8 G (which has 2 digits)":
        "v1은 논문의 3.8 G(유효숫자 2자리)에서 0.1 G 이내다",
    "v1.5 costs about 6% more than v1":
        "v1.5는 v1보다 약 6% 더 많은 연산이 든다",
    "our model and torchvision's compute the same outputs (largest difference)":
        "우리 모델과 torchvision의 모델은 같은 출력을 계산한다 (최대 차이)",
    "with Normalize, the backbone's own head is right on over 90% of the images":
        "Normalize가 있으면 백본 자신의 헤드가 이미지의 90% 넘게 맞힌다",
    "without it, accuracy falls to chance level (within 5 points of chance)":
        "Normalize가 없으면 정확도가 우연 수준으로 떨어진다 (우연 수준과 5포인트 이내)",
    "and one or two classes get nearly all predictions (their share)":
        "그리고 한두 개의 클래스가 거의 모든 예측을 차지한다 (그 비율)",
}
