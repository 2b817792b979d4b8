"""Korean claim lines of notebook 10 (your own images): English text of each ``tl.claim`` -> Korean.
Two claims are shared with notebook 09 (``claims_09.py``): their translations must stay identical."""
MESSAGES: dict[str, str] = {
    "the reloaded checkpoint scores exactly the kept epoch's validation accuracy":
        "다시 불러온 체크포인트가 남긴 에폭의 검증 정확도를 정확히 그대로 낸다",
    "the kept checkpoint classifies most test images correctly":
        "남긴 체크포인트가 테스트 이미지 대부분을 올바르게 분류한다",
    "the kept checkpoint classifies most test images correctly (lower end of the 95 % interval)":
        "남긴 체크포인트가 테스트 이미지 대부분을 올바르게 분류한다 (95 % 구간의 하한)",
    "the RGBA file gets the picture's prediction":
        "RGBA 파일이 원래 그림과 같은 예측을 받는다",
    "the 16-bit grayscale file gets the 8-bit one's":
        "16비트 그레이스케일 파일이 8비트 파일과 같은 예측을 받는다",
    "the picture gets the class its batched prediction gave it (or the two best were within 1e-3: see 09)":
        "그림이 배치 예측에서 받은 클래스를 그대로 받는다 (또는 가장 높은 두 확률의 차이가 1e-3 이내: 09 참고)",
    "transparent pixels become white":
        "투명한 픽셀이 흰색이 된다",
    "tl.load_image shows the phone photo upright (difference to the picture: JPEG noise only)":
        "tl.load_image가 휴대폰 사진을 똑바로 세워 보여 준다 (그림과의 차이: JPEG 잡음뿐)",
    "Image.open leaves it sideways":
        "Image.open은 사진을 옆으로 누운 채 둔다",
}
