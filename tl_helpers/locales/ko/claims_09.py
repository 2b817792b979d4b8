"""Korean claim lines of notebook 09 (ResNet-50 fine-tuning end to end): English text of each ``tl.claim`` -> Korean.
Two claims are shared with notebook 10 (``claims_10.py``): their translations must stay identical."""
MESSAGES: dict[str, str] = {
    "the reloaded checkpoint scores exactly the kept epoch's validation accuracy":
        "다시 불러온 체크포인트가 남긴 에폭의 검증 정확도를 정확히 그대로 낸다",
    "the rolled-back model and the reloaded one predict bit-for-bit the same probabilities":
        "되돌린 모델과 다시 불러온 모델이 비트 하나까지 같은 확률을 예측한다",
    "the kept checkpoint classifies most test images correctly":
        "남긴 체크포인트가 테스트 이미지 대부분을 올바르게 분류한다",
    "the kept checkpoint classifies most test images correctly (lower end of the 95 % interval)":
        "남긴 체크포인트가 테스트 이미지 대부분을 올바르게 분류한다 (95 % 구간의 하한)",
    "predict_image gives the top-1 class of the batched prediction":
        "predict_image가 배치 예측과 같은 top-1 클래스를 준다",
    "and its probability, up to float rounding":
        "그 확률도 부동소수점 반올림 오차 범위에서 같다",
    "the surest tenth is more often right than the least sure tenth (lower end of the 95 % interval)":
        "가장 확신하는 10분의 1이 가장 덜 확신하는 10분의 1보다 더 자주 맞힌다 (95 % 구간의 하한)",
}
