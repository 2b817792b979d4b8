"""Korean claim lines of notebook 07 (feature extraction vs fine-tuning): English text of each ``tl.claim`` -> Korean."""
MESSAGES: dict[str, str] = {
    "feature extraction beats scratch by at least 20 points (low end of the 95 % interval)":
        "특징 추출이 처음부터 학습보다 20포인트 이상 높다 (95 % 구간의 하한)",
    "so does fine-tuning (low end)":
        "미세 조정도 마찬가지다 (하한)",
    "overall, fine-tuning ends within 5 points of feature extraction (the interval's farther end from 0)":
        "전체적으로 미세 조정은 특징 추출과 5포인트 이내에서 끝난다 (구간에서 0에서 더 먼 쪽 끝)",
    "on validation, too, feature extraction beats scratch (low end)":
        "검증 데이터에서도 특징 추출이 처음부터 학습보다 높다 (하한)",
    "fine-tuning's phase 1 is the feature-extraction run (identical test curves)":
        "미세 조정의 1단계는 특징 추출 실행 그 자체다 (테스트 곡선이 똑같다)",
    "feature extraction after 3 epochs beats scratch after all its epochs (low end of the 95 % interval, 5 seeds)":
        "3 에폭 뒤의 특징 추출이 모든 에폭을 마친 처음부터 학습보다 높다 (95 % 구간의 하한, 시드 5개)",
    "fine-tuning gains on the new classes (all of phase 2; low end of the 95 % interval)":
        "미세 조정은 새 클래스에서 이득을 낸다 (2단계 전체; 95 % 구간의 하한)",
    "more head epochs alone: no change detected on the new classes (the 95 % interval contains 0)":
        "헤드 에폭을 늘리는 것만으로는 새 클래스에서 변화가 검출되지 않는다 (95 % 구간이 0을 포함)",
    "re-estimated BatchNorm statistics alone lower the new classes (high end)":
        "배치 정규화 통계를 다시 추정하는 것만으로 새 클래스의 정확도가 떨어진다 (상한)",
    "the backbone's weight updates gain on the new classes, beyond that (low end)":
        "백본의 가중치 업데이트는 그것을 넘어 새 클래스에서 이득을 낸다 (하한)",
    "feature extraction is better on the seen classes than on the new ones by over 5 points (seen minus new, "
    "low end)":
        "특징 추출은 새 클래스보다 사전 학습에서 본 클래스에서 5포인트 넘게 더 좋다 (본 클래스 빼기 새 클래스, 하한)",
    "on the new classes it still beats scratch by over 10 points (low end)":
        "새 클래스에서도 여전히 처음부터 학습보다 10포인트 넘게 높다 (하한)",
    "cached features make a head epoch over 100x cheaper (ratio of FLOPs)":
        "캐시된 특징을 쓰면 헤드 에폭 한 번의 비용이 100배 넘게 줄어든다 (FLOPs 비율)",
    "a whole feature-extraction run costs fewer FLOPs than one epoch through the backbone (ratio)":
        "특징 추출 실행 전체가 백본을 거치는 에폭 한 번보다 FLOPs가 적게 든다 (비율)",
    "yet the running statistics moved (largest change)":
        "그런데도 이동 통계는 움직였다 (최대 변화)",
    "the features drift after one epoch of forward passes":
        "순방향 계산 한 에폭 만에 특징이 이동한다",
    "and further with more epochs (drift of the last epoch over the first's)":
        "에폭이 늘수록 더 이동한다 (첫 에폭 대비 마지막 에폭의 이동)",
    "the trained head loses accuracy (points lost)":
        "학습된 헤드의 정확도가 떨어진다 (잃은 포인트)",
    "set_train_mode leaves the running statistics untouched":
        "set_train_mode는 이동 통계를 건드리지 않는다",
    "so does a real training epoch":
        "실제 학습 에폭도 마찬가지다",
    "which trains the head":
        "그 에폭은 헤드를 학습시킨다",
    "a step fine-tuning layer4 on cached inputs costs under half of one through every layer (ratio of FLOPs)":
        "캐시된 입력으로 layer4를 미세 조정하는 스텝은 모든 층을 거치는 스텝 비용의 절반이 안 된다 (FLOPs 비율)",
    "layer4 alone holds over half of the parameters":
        "layer4 하나가 매개변수의 절반 넘게 가진다",
    "full mode: the backbone's weight updates lower the seen classes (high end)":
        "전체 모드: 백본의 가중치 업데이트가 본 클래스의 정확도를 떨어뜨린다 (상한)",
    "and so does phase 2 as a whole (high end)":
        "2단계 전체도 마찬가지다 (상한)",
}
