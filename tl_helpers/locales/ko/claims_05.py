"""Korean claim lines of notebook 05 (dropout): English text of each ``tl.claim`` -> Korean."""
MESSAGES: dict[str, str] = {
    "on validation, the data the choice may use, no gain detected either (highest low end)":
        "선택에 써도 되는 데이터인 검증 데이터에서도 이득이 검출되지 않았다 (가장 높은 하한)",
    "without dropout the head does not fit all of its training images (best seed's training accuracy)":
        "드롭아웃이 없으면 헤드는 학습 이미지를 다 맞히지 못한다 (가장 좋은 시드의 학습 정확도)",
    "without dropout the train-test gap is over ten points in every seed (smallest)":
        "드롭아웃이 없으면 모든 시드에서 학습-테스트 격차가 10포인트를 넘는다 (가장 작은 값)",
    "no gain from dropout detected: every 95 % interval of the test change reaches 0 (highest low end)":
        "드롭아웃의 이득은 검출되지 않았다: 테스트 변화의 95 % 구간이 모두 0에 닿는다 (가장 높은 하한)",
    "no loss detected either: every interval reaches 0 from above (lowest high end)":
        "손해도 검출되지 않았다: 모든 구간이 위쪽에서 0에 닿는다 (가장 낮은 상한)",
    "p = 0.8 stops later than p = 0 on average (mean difference of the chosen epochs)":
        "p = 0.8은 평균적으로 p = 0보다 늦게 멈춘다 (선택된 에폭 차이의 평균)",
    "full mode: later beyond the 95 % interval (its low end)":
        "전체 모드: 95 % 구간을 넘어서 늦다 (구간의 하한)",
    "one stochastic pass is clearly worse than eval mode (difference in passes' standard deviations)":
        "확률적 통과 한 번은 평가 모드보다 확실히 나쁘다 (통과들의 표준편차 단위로 잰 차이)",
    "averaging the passes recovers it (difference in the same units)":
        "통과들을 평균하면 이를 되찾는다 (같은 단위로 잰 차이)",
    "but does not beat eval mode: images gained minus lost, against 2 s.e. of that paired count (ratio)":
        "하지만 평가 모드를 넘어서지는 못한다: 얻은 이미지 수 빼기 잃은 이미지 수를 그 짝지은 개수의 표준 오차 2배와 비교 (비율)",
    "the mean of the passes' logits closes in on eval mode's like 1/sqrt(passes) (ratio to that rate, 3x slack)":
        "통과들의 로짓 평균은 1/sqrt(passes)처럼 평가 모드의 로짓에 다가간다 (그 속도에 대한 비율, 3배 여유)",
    "full mode: every run's best validation epoch comes before the last tenth of its budget (latest)":
        "전체 모드: 모든 실행의 최고 검증 에폭이 예산의 마지막 10분의 1 전에 온다 (가장 늦은 것)",
}
