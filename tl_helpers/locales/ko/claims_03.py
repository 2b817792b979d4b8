"""Korean claim lines of notebooks/03_bottleneck.ipynb: English text of each ``tl.claim`` -> Korean."""
MESSAGES: dict[str, str] = {
    "the modules' conv weights and FLOPs equal the formulas, for both blocks":
        "두 블록 모두 모듈의 합성곱 가중치와 FLOPs가 공식과 같다",
    "the basic block has 18p² conv weights and the bottleneck 17p²":
        "기본 블록의 합성곱 가중치는 18p², 병목 블록은 17p²이다",
    "ours and torchvision's block have exactly the same number of parameters":
        "우리 블록과 torchvision 블록의 매개변수 수가 정확히 같다",
    "ours and torchvision's block compute the same output (largest difference)":
        "우리 블록과 torchvision 블록이 같은 출력을 계산한다 (최대 차이)",
    "v1.5: ResNet-50 costs about 12% more multiply-adds than ResNet-34 (our count)":
        "v1.5: ResNet-50의 곱셈-덧셈이 ResNet-34보다 약 12% 많다 (우리 계산)",
    "and so says torchvision's metadata (difference from our count)":
        "torchvision의 메타데이터도 그렇게 말한다 (우리 계산과의 차이)",
    "v1: about 5% more by our count":
        "v1: 우리 계산으로 약 5% 많다",
    "v1: about 6% by the paper's rounded figures, 3.8 / 3.6 (within half a point of our count)":
        "v1: 논문의 반올림된 수치 3.8 / 3.6으로는 약 6% (우리 계산과 0.5포인트 이내)",
    "ResNet-50 has more parameters than ResNet-34 (difference)":
        "ResNet-50의 매개변수가 ResNet-34보다 많다 (차이)",
    "ResNet-50's block convolutions hold slightly fewer parameters than ResNet-34's (ratio)":
        "ResNet-50의 블록 합성곱은 ResNet-34보다 매개변수가 약간 적다 (비율)",
    "the projections and fc add more than the whole difference (their share of it)":
        "프로젝션과 fc가 더하는 매개변수가 전체 차이보다 많다 (차이에서 차지하는 몫)",
    "one ReLU per convolution plus the stem's: 2 per basic block, 3 per bottleneck, 33 and 49 in all":
        "합성곱마다 ReLU 하나, 그리고 스템의 ReLU: 기본 블록마다 2개, 병목 블록마다 3개, 전체 33개와 49개",
}
