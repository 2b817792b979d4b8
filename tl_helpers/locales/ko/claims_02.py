"""Korean claim lines of notebooks/02_residual_blocks.ipynb: English text of each ``tl.claim`` -> Korean."""
MESSAGES: dict[str, str] = {
    "BasicBlock computes relu(F(x) + x) (largest difference)":
        "BasicBlock은 relu(F(x) + x)를 계산한다 (최대 차이)",
    "the block's Jacobian is J_F + I (largest difference)":
        "블록의 야코비안은 J_F + I이다 (최대 차이)",
    "BasicBlock's Jacobian is D (J_F + I) (largest difference)":
        "BasicBlock의 야코비안은 D (J_F + I)이다 (최대 차이)",
    "and not J_F + I: the ReLU after the addition changes it (largest difference)":
        "J_F + I는 아니다: 덧셈 뒤의 ReLU가 이를 바꾼다 (최대 차이)",
    "PyTorch's default draws with variance 1/(3 fan_in) (sample / formula)":
        "PyTorch 기본 초기화는 분산 1/(3 fan_in)으로 뽑는다 (표본 / 공식)",
    "Kaiming's fan_out mode at 64 -> 128 channels: 3 times the default (sample ratio)":
        "채널 64 -> 128에서 Kaiming의 fan_out 모드: 기본값의 3배 (표본 비율)",
    "default init, plain: the RMS shrinks by a factor of about 7 per block (each seed within 5 to 9)":
        "기본 초기화, 플레인: RMS가 블록마다 약 7배씩 줄어든다 (시드마다 5에서 9 사이)",
    "every layer's gradient is below 10⁻¹² (largest of any layer and seed)":
        "모든 층의 기울기가 10⁻¹²보다 작다 (모든 층과 시드 중 최댓값)",
    "with shortcuts, more than a million times larger (smallest with / largest without)":
        "숏컷이 있으면 백만 배 넘게 크다 (숏컷이 있을 때의 최솟값 / 없을 때의 최댓값)",
    "Kaiming init lifts the plain network's gradients by over ten orders of magnitude (smallest / arm 1's largest)":
        "Kaiming 초기화가 플레인 네트워크의 기울기를 10¹⁰배 넘게 끌어올린다 (최솟값 / 조건 1의 최댓값)",
    "its last block's output stays over a million times larger than in arm 1 (smallest / largest)":
        "마지막 블록의 출력이 조건 1보다 백만 배 넘게 큰 상태를 유지한다 (최솟값 / 최댓값)",
    "with shortcuts the signal explodes: the last block's RMS over 100 times the stem's (smaller seed)":
        "숏컷이 있으면 신호가 폭발한다: 마지막 블록의 RMS가 스템의 100배 이상 (두 시드 중 작은 값)",
    "BatchNorm, plain: no layer's gradient vanishes (smallest of any layer and seed)":
        "BatchNorm, 플레인: 어느 층의 기울기도 소실되지 않는다 (모든 층과 시드 중 최솟값)",
    "they grow towards the input: the first layer's over 100 times the last one's (smaller seed)":
        "기울기가 입력 쪽으로 커진다: 첫 층의 기울기가 마지막 층의 100배 이상 (두 시드 중 작은 값)",
    "default init: 36 more layers (8 -> 44) shrink the largest gradient by over 5¹⁸ (5 per added block)":
        "기본 초기화: 층 36개를 더하면(8 -> 44) 가장 큰 기울기가 5¹⁸배 넘게 줄어든다 (더한 블록마다 5배)",
    "near 56 layers the gradients fall below 10⁻²⁰ (largest)":
        "56층 근처에서 기울기가 10⁻²⁰ 아래로 떨어진다 (최댓값)",
    "the shortcut keeps them alive (smallest with / largest without, 44 layers)":
        "숏컷이 기울기를 살려 둔다 (숏컷이 있을 때의 최솟값 / 없을 때의 최댓값, 44층)",
    "Kaiming init + shortcut, no BatchNorm: the signal explodes (last block / stem)":
        "Kaiming 초기화 + 숏컷, BatchNorm 없음: 신호가 폭발한다 (마지막 블록 / 스템)",
    "Kaiming init alone: alive (smallest / default init's largest)":
        "Kaiming 초기화만: 기울기가 살아 있다 (최솟값 / 기본 초기화의 최댓값)",
    "BatchNorm alone: alive, growing towards the input (layer 1 / layer 44)":
        "BatchNorm만: 기울기가 살아 있고, 입력 쪽으로 커진다 (층 1 / 층 44)",
    "plain-44: the first layer's gradient is over 10 times the last layer's (smallest seed)":
        "plain-44: 첫 층의 기울기가 마지막 층의 10배 이상 (시드 중 최솟값)",
    "the growth compounds with depth: plain-44's ratio is over 3 times plain-20's (smallest seed)":
        "증가는 깊이에 따라 누적된다: plain-44의 비율이 plain-20의 3배 이상 (시드 중 최솟값)",
    "residual-44: the first layer's gradient is smaller than the last layer's (largest seed)":
        "residual-44: 첫 층의 기울기가 마지막 층보다 작다 (시드 중 최댓값)",
    "at 20 and at 44 layers, plain and residual have the same parameters and the same initial values":
        "20층과 44층 모두에서 플레인 네트워크와 잔차 네트워크의 매개변수와 초깃값이 같다",
    # built at run time by above() (cell c71a0bf3): f"{text} (low end of ...)", four calls
    "plain-44 ends above plain-20 (low end of the seed-by-seed 95 % interval)":
        "plain-44가 plain-20보다 높게 끝난다 (시드별 95 % 구간의 하한)",
    "shortcuts: plain-44 ends above residual-44 (low end of the seed-by-seed 95 % interval)":
        "숏컷: plain-44가 residual-44보다 높게 끝난다 (시드별 95 % 구간의 하한)",
    "depth helps with shortcuts: residual-44 ends below residual-20 (low end of the seed-by-seed 95 % interval)":
        "숏컷이 있으면 깊이가 도움이 된다: residual-44가 residual-20보다 낮게 끝난다 (시드별 95 % 구간의 하한)",
    "and below plain-20 (low end of the seed-by-seed 95 % interval)":
        "plain-20보다도 낮게 끝난다 (시드별 95 % 구간의 하한)",
    "plain-20 has not converged: its loss still fell in the last third of the epochs (low end of the mean "
    "drop's 95 % interval)":
        "plain-20은 수렴하지 않았다: 마지막 3분의 1 에폭 동안에도 손실이 떨어졌다 (평균 감소량의 95 % 구간 하한)",
    "quick mode: plain-44 has barely left the loss of guessing, ln 10 = 2.303 (mean last-epoch loss)":
        "빠른 모드: plain-44는 찍기 수준의 손실(ln 10 = 2.303)에서 거의 벗어나지 못했다 (마지막 에폭 손실의 평균)",
    "full mode: nor has plain-44 (low end)":
        "전체 모드: plain-44도 수렴하지 않았다 (하한)",
    "full mode: residual-44 comes close to fitting its training images (largest last-epoch loss)":
        "전체 모드: residual-44가 학습 이미지에 거의 맞춰진다 (마지막 에폭 손실의 최댓값)",
}
