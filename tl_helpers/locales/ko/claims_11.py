"""Korean claim lines of notebook 11 (scaling out with DDP): English text of each ``tl.claim`` -> Korean."""
MESSAGES: dict[str, str] = {
    "1 and 2 processes end with the same weights up to TOL: tensor by tensor, the runs differ by under 10 % of "
    "how far fine-tuning moved layer4's convolutions (largest ratio of norms)":
        "프로세스 1개와 2개가 TOL 이내에서 같은 가중치로 끝난다: 텐서별로 두 실행의 차이는 미세 조정이 layer4의 합성곱을 "
        "움직인 거리의 10 % 미만이다 (노름 비율의 최댓값)",
    "the average of the two ranks' gradients is the one-process gradient (largest difference)":
        "두 rank의 기울기 평균이 한 프로세스의 기울기와 같다 (가장 큰 차이)",
    "one rank's gradient alone is not (largest difference)":
        "rank 하나의 기울기만으로는 같지 않다 (가장 큰 차이)",
    "every global batch of one process is exactly rank 0's batch plus rank 1's, with no sample in both":
        "한 프로세스의 모든 전역 배치가 정확히 rank 0의 배치와 rank 1의 배치를 합친 것이고, 양쪽에 다 든 샘플은 없다",
    "without set_epoch, the next epoch repeats the first one's order":
        "set_epoch를 빠뜨리면 다음 에폭이 첫 에폭의 순서를 되풀이한다",
    "after set_epoch(1), the order changes":
        "set_epoch(1) 뒤에는 순서가 바뀐다",
    "train mode (batch statistics): splitting the batch changes the outputs (largest change)":
        "학습 모드(배치 통계): 배치를 나누면 출력이 바뀐다 (가장 큰 변화)",
    "eval mode (stored statistics): it does not, up to float rounding":
        "평가 모드(저장된 통계): 부동소수점 반올림 오차를 빼면 바뀌지 않는다",
    "float addition is not associative: the two orders differ":
        "부동소수점 덧셈은 결합 법칙이 성립하지 않는다: 두 순서의 결과가 다르다",
    "1 and 2 processes classify the training images alike in every epoch (images that differ)":
        "프로세스 1개와 2개가 모든 에폭에서 학습 이미지를 똑같이 분류한다 (다르게 분류된 이미지 수)",
    "and the test images (images that differ)":
        "테스트 이미지도 마찬가지다 (다르게 분류된 이미지 수)",
    "the reloaded checkpoint scores the accuracy the ranks all-reduced (images that differ)":
        "다시 불러온 체크포인트가 rank들이 all-reduce한 정확도를 낸다 (다르게 분류된 이미지 수)",
    "DDP all-reduced exactly the trainable parameters":
        "DDP가 학습 가능한 매개변수를 정확히 그만큼 all-reduce했다",
    "no BatchNorm layer was in train mode":
        "학습 모드인 BatchNorm 층이 하나도 없었다",
    "rank 1 reported its failure and torchrun exited with an error":
        "rank 1이 실패를 보고했고 torchrun이 오류로 끝났다",
    "no checkpoint was written":
        "체크포인트가 쓰이지 않았다",
}
