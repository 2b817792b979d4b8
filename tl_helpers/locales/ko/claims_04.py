"""Korean claim lines of notebook 04 (downsampling): English text of each ``tl.claim`` -> Korean."""
MESSAGES: dict[str, str] = {
    "layer2, layer3 and layer4 each halve the side and double the channels":
        "layer2, layer3, layer4는 각각 한 변을 절반으로 줄이고 채널을 두 배로 늘린다",
    "the whole network divides the side by 32 (224 px / layer4's side)":
        "네트워크 전체는 한 변을 32로 나눈다 (224 px / layer4의 한 변)",
    "the formula predicts every side the hooks measured, at all three sizes":
        "세 크기 모두에서 공식이 훅으로 잰 모든 변을 예측한다",
    "exactly four projection shortcuts, one in the first block of each stage":
        "프로젝션 숏컷은 정확히 네 개이며, 각 스테이지의 첫 블록에 하나씩 있다",
    "the stride-2 1x1 convolution equals a 1x1 convolution on the even pixels (largest difference)":
        "스트라이드 2인 1x1 합성곱은 짝수 위치 픽셀에 적용한 1x1 합성곱과 같다 (최대 차이)",
    "a 160 px input leaves layer4 a 5x5 map":
        "160 px 입력은 layer4에 5x5 맵을 남긴다",
    "a 100 px input a 4x4 map (odd sides round up)":
        "100 px 입력은 4x4 맵을 남긴다 (홀수 변은 올림)",
}
