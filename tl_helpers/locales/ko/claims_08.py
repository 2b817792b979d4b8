"""Korean claim lines of notebook 08 (evaluate and improve): English text of each ``tl.claim`` -> Korean."""
MESSAGES: dict[str, str] = {
    "the baseline classifies over 70 % of the test images correctly (low end of its 95 % interval)":
        "기준 모델이 테스트 이미지의 70 % 넘게 올바르게 분류한다 (95 % 구간의 하한)",
    "the most frequent mistake confuses two garments of one family (tops, or footwear)":
        "가장 흔한 실수는 같은 계열의 두 옷을 헷갈린 것이다 (상의끼리, 또는 신발끼리)",
    "seen classes are better than new ones, by over 2 standard errors of the test images' sampling "
    "(difference minus 2 s.e.)":
        "사전 학습에서 본 클래스가 새 클래스보다 정확도가 높고, 그 차이가 테스트 이미지 표본 추출의 표준 오차 2배를 "
        "넘는다 (차이에서 2 s.e.를 뺀 값)",
    "the model is less confident when wrong, by over 2 standard errors (difference minus 2 s.e.)":
        "모델은 틀릴 때 덜 확신하고, 그 차이가 표준 오차의 2배를 넘는다 (차이에서 2 s.e.를 뺀 값)",
    "yet some mistakes come with over 90 % confidence (how many)":
        "그래도 일부 실수는 90 %가 넘는 확신도로 나온다 (개수)",
    "no gain from augmentation detected on validation (low end of the change's 95 % interval)":
        "검증 데이터에서 데이터 증강의 이득이 검출되지 않는다 (변화의 95 % 구간의 하한)",
    "full mode: every augmentation run's best validation epoch comes before the last tenth of its budget (latest)":
        "전체 모드: 모든 증강 실행의 가장 좋은 검증 에폭이 예산의 마지막 10분의 1 전에 온다 (가장 늦은 것)",
    "a random head sends a larger gradient into layer4 than a trained one, on every seed (smallest ratio)":
        "무작위 헤드가 학습된 헤드보다 layer4로 더 큰 기울기를 보낸다, 모든 시드에서 (가장 작은 비율)",
    "the 10x head learning rate is ahead on validation after the first epoch (low end)":
        "헤드 학습률 10배가 첫 에폭 뒤 검증 정확도에서 앞선다 (하한)",
    "training the head first keeps layer4 closer to its pretrained weights, with layer4's steps equal "
    "(high end of the change)":
        "헤드를 먼저 학습하면 layer4가 사전 학습된 가중치에 더 가깝게 머문다, layer4의 스텝 수가 같을 때 (변화의 상한)",
    "a head phase added in front is not detectably worse on validation (high end of the change)":
        "앞에 더한 헤드 단계가 검증 데이터에서 검출될 만큼 나쁘지 않다 (변화의 상한)",
    "the ResNet-50 from scratch fits its own training images (median over seeds, worst count): its budget is "
    "not too short":
        "처음부터 학습한 ResNet-50이 자기 학습 이미지에 맞춰진다 (시드 중앙값, 가장 나쁜 개수): 예산이 너무 짧지 않다",
    "transfer beats the ResNet-50 from scratch at every count both ran (lowest low end of the 95 % intervals)":
        "둘 다 실행한 모든 개수에서 전이 학습이 처음부터 학습한 ResNet-50을 앞선다 (95 % 구간 하한 중 가장 낮은 값)",
    "with few labels (5 per class), also on the new classes alone (low end)":
        "레이블이 적을 때(클래스당 5장) 새 클래스만 보아도 그렇다 (하한)",
    "quick mode: with at least 2x fewer labels than the ResNet-50 from scratch, all classes":
        "빠른 모드: 처음부터 학습한 ResNet-50보다 레이블이 적어도 2배 적어도 그렇다, 전체 클래스에서",
    "with at least 5x fewer labels than the ResNet-50 from scratch, all classes (its largest count over "
    "transfer's fewest)":
        "처음부터 학습한 ResNet-50보다 레이블이 적어도 5배 적어도 그렇다, 전체 클래스에서 (그 모델의 가장 큰 개수 ÷ "
        "전이 학습의 가장 작은 개수)",
    "with few labels (5 per class), the small CNN beats the ResNet-50 from scratch (low end)":
        "레이블이 적을 때(클래스당 5장) 작은 CNN이 처음부터 학습한 ResNet-50을 앞선다 (하한)",
    "transfer beats the small CNN too, on all classes at every count (lowest low end)":
        "전이 학습은 작은 CNN도 앞선다, 모든 개수에서 전체 클래스 기준 (가장 낮은 하한)",
    "transfer's lead over the small CNN is larger on the seen classes than on the new ones, with few labels "
    "(5 per class; low end)":
        "작은 CNN에 대한 전이 학습의 우위는 새 클래스보다 사전 학습에서 본 클래스에서 더 크다, 레이블이 적을 때 "
        "(클래스당 5장; 하한)",
}
