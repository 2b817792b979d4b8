"""Korean of the exercise system (``tl_helpers/exercises/``): verdicts, checker messages, titles, hint tiers, progress.

Keys are the English templates exactly as written in the code; each translation names the same ``{fields}``. A
hint never gives the answer away, in Korean either (``tests/test_i18n.py`` checks it like the English).
"""

MESSAGES: dict[str, str] = {
    # tl_helpers/exercises/__init__.py
    "No exercise {id!r}; known: {known}.":
        "연습 문제 {id!r}은(는) 없습니다. 있는 연습 문제: {known}.",
    "the checker could not run your answer: {error}: {message}.":
        "채점기가 답을 실행하지 못했습니다: {error}: {message}.",
    "the function":
        "그 함수",
    "your answer is what calling {name}(...) returned, and it returned None. Pass the function itself, "
    "{name}, without parentheses (the checker calls it on a fresh model of its own).":
        "답은 {name}(...)을 호출해 돌려받은 값인데, 그 값이 None입니다. 괄호 없이 함수 자체({name})를 넘기세요 (채점기가 자기 새 모델에 직접 호출합니다).",
    "your answer is what calling {name}(...) returned, and it returned None: does it end with return ...?":
        "답은 {name}(...)을 호출해 돌려받은 값인데, 그 값이 None입니다. 함수가 return ...으로 끝나나요?",
    "Exercise {id} ({title})":
        "연습 문제 {id} ({title})",
    "{head}: not attempted yet.":
        "{head}: 아직 풀지 않았습니다.",
    "{head}: correct.":
        "{head}: 정답입니다.",
    '{head}: not yet. {problem} Hint: {hint} (More: tl.hint("{id}").)':
        '{head}: 아직 아닙니다. {problem} 힌트: {hint} (더 보기: tl.hint("{id}").)',
    "Hint {n} of {total} for {id}: {hint}":
        "{id}의 힌트 {n}/{total}: {hint}",
    "No more hints for {id}: you have seen all {total}. The reference solution is in solutions/nb{nb}.py "
    "(look on purpose, after trying).":
        "{id}의 힌트는 더 없습니다. {total}개를 모두 보았습니다. 참고 답안은 solutions/nb{nb}.py에 있습니다 (직접 풀어 본 뒤에 일부러 찾아보세요).",
    # tl_helpers/exercises/answers.py
    "your answer is {kind} {answer!r:.40}, not a number: give a number (of {unit}, e.g. 100 or '100 {unit}').":
        "답이 숫자가 아니라 {kind} {answer!r:.40}입니다. 숫자를 주세요 ({unit} 단위, 예: 100 또는 '100 {unit}').",
    "your answer is {kind} {answer!r:.40}, not a number: give a number, e.g. 100.":
        "답이 숫자가 아니라 {kind} {answer!r:.40}입니다. 숫자를 주세요 (예: 100).",
    "give a finite number.":
        "유한한 숫자를 주세요.",
    "{value:.12g} is not a whole number, and a count is a whole number: give an integer.":
        "{value:.12g}은(는) 정수가 아닌데, 개수는 정수입니다. 정수를 주세요.",
    "your answer is {kind} {answer!r:.40}: give the values as a list of numbers, e.g. [0.5, 2.0].":
        "답이 {kind} {answer!r:.40}입니다. 값들을 숫자의 리스트로 주세요 (예: [0.5, 2.0]).",
    "your answer is {kind} {answer!r:.40}: give a name, as a string in quotes.":
        "답이 {kind} {answer!r:.40}입니다. 이름을 따옴표로 감싼 문자열로 주세요.",
    "{answer!r} is not a stage's name: give one of the names the table uses ({names}; the paper's conv2_x ... "
    "conv5_x also work).":
        "{answer!r}은(는) 스테이지 이름이 아닙니다. 표에 쓰인 이름 중 하나를 주세요 ({names}; 논문의 conv2_x ... conv5_x도 됩니다).",
    "your answer is {kind} {answer!r:.40}: give {listing}, as a string in quotes.":
        "답이 {kind} {answer!r:.40}입니다. {listing} 중 하나를 따옴표로 감싼 문자열로 주세요.",
    "{answer!r:.40} is not one of the choices: give {listing}.":
        "{answer!r:.40}은(는) 선택지가 아닙니다. {listing} 중 하나를 주세요.",
    # tl_helpers/exercises/guard.py
    "your function raised {error}: {message}":
        "함수에서 예외가 발생했습니다: {error}: {message}",
    # tl_helpers/exercises/nb01.py
    "which stage's linear probe scores best on the new classes":
        "새 클래스에서 선형 프로브 (linear probe) 점수가 가장 높은 스테이지",
    "the table has one row per stage and two 'pretrained' columns: one for classes the backbone saw in "
    "pretraining, one for the new classes. Only the new classes count here.":
        "표에는 스테이지마다 행이 하나 있고 'pretrained'로 시작하는 열이 둘 있습니다. 'pretrained: seen'은 백본이 사전 학습에서 본 클래스, 'pretrained: new'는 새 클래스의 열입니다. 여기서는 새 "
        "클래스만 따집니다.",
    "read down the column 'pretrained: new' and find its largest value; answer with that row's stage name.":
        "'pretrained: new' 열을 위에서 아래로 읽으며 가장 큰 값을 찾고, 그 행의 스테이지 이름으로 답하세요.",
    "worked step: a stage's probe is a linear classifier on that stage's pooled features. Early stages give "
    "generic edges, the last stage features tuned to the pretraining classes; the best stage for new classes "
    "is often not the last one. Compare the 'new' column of the last two rows before you answer.":
        "풀이 단계: 스테이지의 프로브는 그 스테이지에서 풀링한 특징 위의 선형 분류기입니다. 앞쪽 스테이지는 일반적인 에지를, 마지막 스테이지는 사전 학습 클래스에 맞춰진 특징을 "
        "줍니다. 그래서 새 클래스에 가장 좋은 스테이지는 마지막 스테이지가 아닐 때가 많습니다. 답하기 전에 마지막 두 행의 'pretrained: new' 열을 비교해 보세요.",
    "another stage's probe scores higher on the new classes than {given}.":
        "새 클래스에서 {given}보다 점수가 높은 스테이지의 프로브가 있습니다.",
    "the model fails with the new head ({error}): it does not fit the features that reach it.":
        "새 헤드를 단 모델이 실행되지 않습니다 ({error}). 헤드가 자기에게 들어오는 특징과 맞지 않습니다.",
    "the model now outputs shape {shape} for 2 images, not one score per class for each.":
        "모델이 이미지 2장에 대해 {shape} 모양을 출력합니다. 이미지마다 클래스별 점수가 하나씩 있어야 합니다.",
    "the backbone's weights changed (e.g. {name}): only the head should be new.":
        "백본의 가중치가 바뀌었습니다 (예: {name}). 헤드만 새것이어야 합니다.",
    "the new head has no parameter that trains.":
        "새 헤드에 학습되는 매개변수가 없습니다.",
    "replace the head of the bundled backbone for 7 classes":
        "번들 백본의 헤드를 7개 클래스용으로 바꾸기",
    "the head is the model's last layer, model.fc. A new head is a fresh layer whose outputs are the new "
    "classes.":
        "헤드는 모델의 마지막 층 model.fc입니다. 새 헤드는 출력이 새 클래스들인 새 층입니다.",
    "read how many features reach the head from the old head itself (its in_features) rather than a number "
    "you remember; the number of outputs is the number of classes of the new task.":
        "헤드에 들어오는 특징의 수는 기억하는 숫자 대신 기존 헤드 자체(in_features)에서 읽으세요. 출력의 수는 새 작업의 클래스 수입니다.",
    "worked step: build a linear layer from the old head's in_features to the new task's class count, assign "
    "it to model.fc and return the model. A small stack ending in such a layer (dropout first, say) works "
    "too.":
        "풀이 단계: 기존 헤드의 in_features에서 새 작업의 클래스 수로 가는 선형 층을 만들어 model.fc에 대입하고 모델을 반환하세요. 그런 층으로 끝나는 작은 층 "
        "묶음(예: 드롭아웃을 먼저 두는 것)도 됩니다.",
    "your answer is a {kind}: give your function itself (answer_01_2 = new_head, no parentheses); the checker "
    "calls it on a fresh backbone.":
        "답이 {kind}입니다. 함수 자체를 주세요 (answer_01_2 = new_head, 괄호 없이). 채점기가 새 백본에 그 함수를 호출합니다.",
    "the body of your function is not written yet (it is still ...).":
        "함수 본문이 아직 작성되지 않았습니다 (아직 ...입니다).",
    "the model your function leaves has no head model.fc.":
        "함수를 거친 모델에 헤드 model.fc가 없습니다.",
    "parameters of a new 10-class head on the full-width ImageNet ResNet-50":
        "원래 너비의 ImageNet ResNet-50에 얹는 새 10-클래스 헤드의 매개변수 수",
    "a linear layer has one weight per (input feature, output) pair and one bias per output.":
        "선형 층에는 (입력 특징, 출력) 쌍마다 가중치가 하나, 출력마다 편향이 하나 있습니다.",
    "the inputs are the features the backbone hands to the head: "
    "torchvision.models.resnet50(weights=None).fc.in_features tells you how many (the full-width network, not "
    "the bundled one).":
        "입력은 백본이 헤드에 넘겨주는 특징입니다. 그 수는 torchvision.models.resnet50(weights=None).fc.in_features로 알 수 있습니다 "
        "(번들 네트워크가 아니라 원래 너비의 네트워크입니다).",
    "worked step: with F features in and C classes out the head has F·C weights plus C biases; put in the "
    "full-width network's F and C = 10, or build the layer and sum p.numel() over its parameters.":
        "풀이 단계: 입력 특징이 F개, 출력 클래스가 C개이면 헤드에는 가중치 F·C개와 편향 C개가 있습니다. 원래 너비 네트워크의 F와 C = 10을 넣거나, 층을 만들어 "
        "매개변수마다 p.numel()을 더하세요.",
    "almost: that counts the weights, but each of the 10 outputs also has a bias.":
        "거의 맞았습니다. 가중치는 셌지만, 출력 10개에는 각각 편향도 있습니다.",
    "that is not the number of parameters of the new head.":
        "새 헤드의 매개변수 수가 아닙니다.",
    # tl_helpers/exercises/nb02.py
    "an identity shortcut":
        "항등 숏컷을 쓰는",
    "a zero-padding shortcut (option A)":
        "0 채우기 숏컷(옵션 A)을 쓰는",
    "a projection shortcut (option B)":
        "프로젝션 숏컷(옵션 B)을 쓰는",
    "your function returned None: it should return the block's output tensor.":
        "함수가 None을 반환했습니다. 블록의 출력 텐서를 반환해야 합니다.",
    "for a block with {kind} the output is {shape}, not {want}: the shortcut must have the output's shape, "
    "and block.downsample (when it is not None) gives it that.":
        "{kind} 블록의 출력 모양은 {shape}이고, 올바른 모양은 {want}입니다. 숏컷은 출력과 같은 모양이어야 하며, (None이 아닐 때) "
        "block.downsample이 그 모양을 맞춰 줍니다.",
    "the addition is right, but the block's last step after it is missing.":
        "덧셈은 맞지만, 그 뒤에 오는 블록의 마지막 단계가 빠졌습니다.",
    "that is the plain block's output: the shortcut is missing.":
        "이것은 플레인 블록의 출력입니다. 숏컷이 빠졌습니다.",
    "the output differs from BasicBlock's for a block with {kind}.":
        "{kind} 블록에서 출력이 BasicBlock의 출력과 다릅니다.",
    "write BasicBlock's forward from its layers":
        "BasicBlock의 forward를 그 층들로 작성하기",
    "a residual block computes a small stack F(x) of layers and adds its input back: the output is built from "
    "F(x) and a shortcut of x, in the order the diagram shows.":
        "잔차 블록 (residual block)은 작은 층 묶음 F(x)를 계산하고 입력을 다시 더합니다. 출력은 그림에 나온 순서대로 F(x)와 x의 숏컷으로 만들어집니다.",
    "F(x) runs the block's layers in the order they are named (conv1, bn1, relu, conv2, bn2); the shortcut is "
    "x itself, or block.downsample(x) when the block changes the shape.":
        "F(x)는 블록의 층을 이름 순서대로 실행합니다 (conv1, bn1, relu, conv2, bn2). 숏컷은 x 자체이거나, 블록이 모양을 바꿀 때는 "
        "block.downsample(x)입니다.",
    "worked step: compute out from the five layers without the last activation, compute the shortcut, add the "
    "two, and apply one more ReLU to the sum before returning it. Use the block's layers; do not call the "
    "block.":
        "풀이 단계: 마지막 활성화 없이 다섯 층으로 out을 계산하고, 숏컷을 계산해 둘을 더한 다음, 반환하기 전에 그 합에 ReLU를 한 번 더 적용하세요. 블록의 층들을 "
        "쓰고, 블록 자체는 호출하지 마세요.",
    "give the function itself, not its result: answer_02_1 = basic_block_forward (no parentheses).":
        "함수의 결과가 아니라 함수 자체를 주세요: answer_02_1 = basic_block_forward (괄호 없이).",
    "your function calls the block itself (block(x) or block.forward): write the forward from its layers.":
        "함수가 블록 자체를 호출합니다 (block(x) 또는 block.forward). 블록의 층들로 순방향 계산을 직접 작성하세요.",
    "parameters that projection shortcuts (option B) add to the 20-layer residual net":
        "프로젝션 숏컷(옵션 B)이 20층 잔차 네트워크에 더하는 매개변수 수",
    "only blocks that change the shape (more channels, a smaller map) get a projection; every other block "
    "keeps its parameter-free identity shortcut.":
        "모양을 바꾸는 블록(채널이 늘고 맵이 작아지는 블록)만 프로젝션을 받습니다. 나머지 블록은 매개변수가 없는 항등 숏컷을 그대로 씁니다.",
    "a projection is a 1x1 convolution without bias (C_in·C_out weights) and a BatchNorm (a scale and a shift "
    "per output channel). Find, in tl.make_net's stages, which blocks change the channels and from what to "
    "what.":
        "프로젝션은 편향 없는 1x1 합성곱(가중치 C_in·C_out개)과 BatchNorm(출력 채널마다 스케일 하나, 시프트 하나)입니다. tl.make_net의 스테이지에서 어느 "
        "블록이 채널을 바꾸는지, 몇에서 몇으로 바꾸는지 찾아보세요.",
    "worked step: one projection from C_in to C_out channels adds C_in·C_out + 2·C_out parameters; add that "
    "over the blocks that change shape, then confirm with tl.count_parameters on both networks and subtract.":
        "풀이 단계: C_in 채널에서 C_out 채널로 가는 프로젝션 하나는 매개변수 C_in·C_out + 2·C_out개를 더합니다. 모양을 바꾸는 블록들에 대해 이것을 더한 "
        "다음, 두 네트워크에 tl.count_parameters를 써서 빼 보고 확인하세요.",
    "you counted the 1x1 convolutions only; each is followed by a BatchNorm with parameters of its own.":
        "1x1 합성곱만 셌습니다. 각 합성곱 뒤에는 자기 매개변수를 가진 BatchNorm이 옵니다.",
    "that is not the number of parameters the projections add.":
        "프로젝션이 더하는 매개변수 수가 아닙니다.",
    "smallest depth where the plain default-init net's first-layer gradient is below 1e-12":
        "기본 초기화한 플레인 네트워크에서 첫 층의 기울기가 1e-12보다 작아지는 가장 작은 깊이",
    "without shortcuts and BatchNorm each block scales the gradient by about the same factor, so the first "
    "layer's gradient shrinks geometrically as the network gets deeper.":
        "숏컷과 BatchNorm이 없으면 블록마다 기울기에 거의 같은 배율이 곱해지므로, 네트워크가 깊어질수록 첫 층의 기울기는 기하급수적으로 줄어듭니다.",
    "set shortcut and BatchNorm off and PyTorch's default init, then move the depth slider one step at a time "
    "and read the first layer's gradient in the summary line.":
        "'숏컷'과 '배치 정규화'를 끄고 '초기화'에서 'PyTorch 기본값'을 고른 다음, '깊이' 슬라이더를 한 칸씩 움직이며 요약 줄에서 1층의 "
        "기울기 노름을 읽으세요.",
    "worked step: from the 8-layer net's first-layer gradient g, it takes log(g / 1e-12) / log(7) blocks of a "
    "factor of about 7 to reach 1e-12; each slider step adds 3 blocks, so round up to a slider depth and "
    "confirm it with the widget (the one below must still be above 1e-12).":
        "풀이 단계: 8층 네트워크의 첫 층 기울기를 g라 하면, 배율이 약 7인 블록을 log(g / 1e-12) / log(7)개 지나야 1e-12에 이릅니다. 슬라이더 한 칸은 "
        "블록 3개를 더하므로, 슬라이더 깊이로 올림한 뒤 위젯으로 확인하세요 (바로 아래 깊이에서는 아직 1e-12보다 커야 합니다).",
    "that is not one of the slider's depths (8, 14, 20, ..., 56).":
        "슬라이더의 깊이(8, 14, 20, ..., 56) 중 하나가 아닙니다.",
    "at a smaller depth on the slider the first layer's gradient is already below 1e-12.":
        "슬라이더에서 더 얕은 깊이에서도 이미 첫 층의 기울기가 1e-12보다 작습니다.",
    "at that depth the first layer's gradient is still above 1e-12 (with shortcut and BatchNorm off and "
    "PyTorch's default init).":
        "그 깊이에서는 첫 층의 기울기가 아직 1e-12보다 큽니다 ('숏컷'과 '배치 정규화'를 끄고 'PyTorch 기본값' 초기화를 썼을 때).",
    # tl_helpers/exercises/nb03.py
    "conv weights of Bottleneck(1024, 256), ResNet-50's conv4_x block, by formula":
        "공식으로 구하는 ResNet-50 conv4_x 블록 Bottleneck(1024, 256)의 합성곱 가중치 수",
    "a bottleneck block has three convolutions on its main path; count each one's weights and add them up "
    "(BatchNorm's parameters are not conv weights).":
        "병목 블록 (bottleneck)의 주 경로에는 합성곱이 세 개 있습니다. 각각의 가중치를 세어 더하세요 (BatchNorm의 매개변수는 합성곱 가중치가 아닙니다).",
    "a k x k convolution from C_in to C_out channels without bias has k·k·C_in·C_out weights. Read k, C_in "
    "and C_out of each of the three convolutions from the exercise text.":
        "C_in 채널에서 C_out 채널로 가는 편향 없는 k x k 합성곱의 가중치는 k·k·C_in·C_out개입니다. 세 합성곱 각각의 k, C_in, C_out을 연습 문제 "
        "본문에서 읽으세요.",
    "worked step: the first term is the 1x1 reduction, 1·1·1024·256; write the 3x3 and the 1x1 expansion the "
    "same way and add the three products.":
        "풀이 단계: 첫 항은 1x1 축소 합성곱의 1·1·1024·256입니다. 3x3 합성곱과 1x1 확장 합성곱도 같은 방식으로 쓰고 세 곱을 더하세요.",
    "that count includes the BatchNorm parameters, which are not conv weights.":
        "그 수에는 BatchNorm의 매개변수가 들어 있는데, 이것은 합성곱 가중치가 아닙니다.",
    "that is not the number of the block's conv weights.":
        "블록의 합성곱 가중치 수가 아닙니다.",
    "FLOPs of a 1x1 convolution 256→64 on one 56x56 feature map":
        "56x56 특징 맵 하나에 대한 1x1 합성곱 256→64의 FLOPs",
    "a convolution does the same multiply-adds at every output pixel; FLOPs count a multiply-add as two "
    "operations (a multiply and an add).":
        "합성곱은 출력 픽셀마다 같은 곱셈-덧셈을 합니다. FLOPs는 곱셈-덧셈 하나를 연산 두 개(곱셈 하나, 덧셈 하나)로 셉니다.",
    "at one output pixel a k x k convolution from C_in to C_out channels does k·k·C_in·C_out multiply-adds; "
    "the map has H·W output pixels.":
        "C_in 채널에서 C_out 채널로 가는 k x k 합성곱은 출력 픽셀 하나에서 곱셈-덧셈을 k·k·C_in·C_out번 합니다. 맵에는 출력 픽셀이 H·W개 있습니다.",
    "worked step: multiply-adds = 1·1·256·64 per pixel times 56·56 pixels; the FLOPs are twice that. Any "
    "answer within {tolerance:.1%} of the exact count is accepted.":
        "풀이 단계: 곱셈-덧셈 수 = 픽셀당 1·1·256·64 곱하기 픽셀 56·56개이고, FLOPs는 그 두 배입니다. 정확한 값과 {tolerance:.1%} 이내로 차이 "
        "나는 답은 모두 정답으로 받습니다.",
    "that is the number of multiply-adds, and a multiply-add counts as 2 FLOPs.":
        "그것은 곱셈-덧셈의 수이고, 곱셈-덧셈 하나는 2 FLOPs로 셉니다.",
    "that is not the FLOP count (answers within {tolerance:.1%} of it count as right).":
        "FLOP 수가 아닙니다 (정확한 값과 {tolerance:.1%} 이내로 차이 나는 답은 정답으로 칩니다).",
    # tl_helpers/exercises/nb04.py
    "output side of a 3x3 stride-2 convolution with padding 1 on a 57 px input":
        "57 px 입력에 패딩 1, 스트라이드 2인 3x3 합성곱의 출력 변 길이",
    "a stride-2 convolution moves its kernel two pixels at a time, so the output side is about half the input "
    "side; padding widens the input on both borders, and the kernel must fit entirely.":
        "스트라이드 2 합성곱은 커널을 두 픽셀씩 옮기므로 출력 변은 입력 변의 절반쯤입니다. 패딩은 입력의 양쪽 가장자리를 넓히고, 커널은 입력 안에 완전히 들어가야 합니다.",
    "the output side is floor((n + 2p - k) / s) + 1 for input side n, kernel k, stride s and padding p.":
        "입력 변 n, 커널 k, 스트라이드 s, 패딩 p일 때 출력 변은 floor((n + 2p - k) / s) + 1입니다.",
    "worked step: n + 2p - k is how far the kernel can travel across the padded input; count the stride-s "
    "steps that fit into it (round down), then add 1 for the kernel's first position.":
        "풀이 단계: n + 2p - k는 커널이 패딩된 입력 위를 움직일 수 있는 거리입니다. 그 안에 들어가는 스트라이드 s 걸음 수를 세고(내림), 커널의 첫 위치 몫으로 1을 "
        "더하세요.",
    "a side is a whole number of pixels, and the formula rounds in its own way.":
        "변의 길이는 정수 픽셀이고, 공식에는 고유한 반올림 규칙이 있습니다.",
    "close, but the formula rounds differently for an odd side with this padding.":
        "가깝지만, 이 패딩에서 변이 홀수이면 공식이 다르게 반올림합니다.",
    "that is not the output side.":
        "출력 변의 길이가 아닙니다.",
    "a shortcut that makes Bottleneck(512, 256, stride=2) work (512→1024 channels, 28→14 px)":
        "Bottleneck(512, 256, stride=2)이 동작하게 하는 숏컷 (채널 512→1024, 28→14 px)",
    "the shortcut is added to F(x), so its output must have F(x)'s shape: more channels and a smaller map "
    "than x.":
        "숏컷은 F(x)에 더해지므로 출력이 F(x)와 같은 모양이어야 합니다. 즉 x보다 채널이 많고 맵이 작아야 합니다.",
    "a 1x1 convolution changes the number of channels; a stride of 2 takes every second pixel and halves the "
    "side.":
        "1x1 합성곱은 채널 수를 바꿉니다. 스트라이드 2는 픽셀을 하나 걸러 하나씩 취해 변을 절반으로 줄입니다.",
    "worked step: one 1x1 convolution from the input's channels to the output's, with stride 2, usually "
    "followed by a BatchNorm of the output's channels, both inside nn.Sequential, is ResNet's projection "
    "(option B).":
        "풀이 단계: 입력 채널에서 출력 채널로 가는 스트라이드 2의 1x1 합성곱 하나와, 보통 그 뒤에 오는 출력 채널 수의 BatchNorm을 함께 nn.Sequential에 "
        "넣은 것이 ResNet의 프로젝션(옵션 B)입니다.",
    "your answer is a {kind}: give a module, e.g. an nn.Sequential(...).":
        "답이 {kind}입니다. 모듈을 주세요 (예: nn.Sequential(...)).",
    "your shortcut fails on a 512x28x28 input: {error}.":
        "숏컷이 512x28x28 입력에서 실패합니다: {error}.",
    "your shortcut turns 512x28x28 into {shape}, but F(x) is 1024x14x14.":
        "숏컷이 512x28x28을 {shape}(으)로 바꾸지만, F(x)는 1024x14x14입니다.",
    "the block's output is {shape}, not 1024x14x14 per image.":
        "블록의 출력이 {shape}입니다. 이미지당 1024x14x14여야 합니다.",
    "no slider value gives layer4 a 3x3 map":
        "layer4에 3x3 맵을 남기는 슬라이더 값이 없습니다",
    "smallest input side on the explorer's slider that leaves layer4 a 3x3 map":
        "layer4에 3x3 맵을 남기는, 탐색기 슬라이더의 가장 작은 입력 변",
    "each stride-2 step halves the side, so layer4's map is the input side divided by 32, roughly; but an odd "
    "side rounds up at each step.":
        "스트라이드 2 단계마다 변이 절반이 되므로 layer4의 맵은 대략 입력 변을 32로 나눈 크기입니다. 다만 홀수 변은 단계마다 올림됩니다.",
    "choose layer4 in the explorer and move the slider one step (16 px) at a time, from small sides up, "
    "reading layer4's map size; or compute it with tl.resnet_sides(side)['layer4'].":
        "탐색기에서 layer4를 고르고, 작은 변부터 슬라이더를 한 칸(16 px)씩 올리며 layer4의 맵 크기를 읽으세요. 또는 "
        "tl.resnet_sides(side)['layer4']로 계산하세요.",
    "worked step: find the smallest side, on the slider's steps (32 to 448 by 16), where layer4 reaches 3x3 "
    "and check that the slider value just below it gives less.":
        "풀이 단계: 슬라이더 눈금(32부터 448까지 16씩) 가운데 layer4가 3x3에 이르는 가장 작은 변을 찾고, 바로 아래 슬라이더 값에서는 더 작아지는지 확인하세요.",
    "{side} px is below the explorer's smallest input side (32 px).":
        "{side} px는 탐색기의 가장 작은 입력 변(32 px)보다 작습니다.",
    "{side} px is too small: layer4's map is smaller than 3x3 there.":
        "{side} px는 너무 작습니다. 그 크기에서는 layer4의 맵이 3x3보다 작습니다.",
    "{side} px does give layer4 a 3x3 map (it is in fact the smallest such side), but it is not a slider "
    "value: the slider goes from 32 px in steps of 16.":
        "{side} px에서 layer4의 맵은 3x3이 되지만 (사실 그런 변 가운데 가장 작습니다), 슬라이더 값이 아닙니다. 슬라이더는 32 px부터 16씩 올라갑니다.",
    "{side} px works, but it is not a slider value (32 px, then steps of 16).":
        "{side} px로도 되지만, 슬라이더 값이 아닙니다 (32 px에서 시작해 16씩).",
    "{side} px gives layer4 at least 3x3, but a smaller slider value does too.":
        "{side} px에서 layer4는 3x3 이상이지만, 더 작은 슬라이더 값에서도 그렇습니다.",
    # tl_helpers/exercises/nb05.py
    "values nn.Dropout(0.25) can output for an input of ones in train mode":
        "학습 모드의 nn.Dropout(0.25)이 1로 채운 입력에 대해 출력할 수 있는 값",
    "in train mode dropout treats each value on its own: it is either dropped or kept, and a kept value is "
    "rescaled so that the average output stays what it would be without dropout.":
        "학습 모드에서 드롭아웃 (dropout)은 값을 하나씩 따로 다룹니다. 각 값은 드롭되거나 유지되며, 유지된 값은 평균 출력이 드롭아웃이 없을 때와 같아지도록 크기가 "
        "조정됩니다.",
    "a dropped value becomes zero. For the kept ones: if a fraction p is zeroed, by what factor must the "
    "survivors grow so the mean of many ones is still 1?":
        "드롭된 값은 0이 됩니다. 유지된 값은 어떨까요? 비율 p만큼이 0이 된다면, 많은 1의 평균이 여전히 1이 되려면 살아남은 값이 몇 배로 커져야 할까요?",
    "worked step: the mean output is (1 - p) · s, where s is a survivor's value; set it equal to 1 and solve "
    "for s with p = 0.25. Values rounded to 2 decimals (within {tolerance}) are accepted.":
        "풀이 단계: 살아남은 값을 s라 하면 평균 출력은 (1 - p) · s입니다. 이것을 1로 두고 p = 0.25에서 s를 구하세요. 소수 둘째 자리로 반올림한 "
        "값({tolerance} 이내)도 정답으로 받습니다.",
    "one value is missing: what does a dropped value become?":
        "값 하나가 빠졌습니다. 드롭된 값은 무엇이 되나요?",
    "a survivor is not left at 1: inverted dropout rescales the survivors.":
        "살아남은 값은 1로 남지 않습니다. 역 드롭아웃(inverted dropout)은 살아남은 값의 크기를 다시 조정합니다.",
    "you gave {n} value(s), but every input is the same, so each output is dropped or kept.":
        "값을 {n}개 주었지만, 입력이 모두 같으므로 각 출력은 드롭되거나 유지될 뿐입니다.",
    "the survivors' value is off.":
        "살아남은 값이 틀렸습니다.",
    "your function calls PyTorch's dropout (F.dropout, nn.Dropout or torch.dropout): the exercise is to write "
    "it from a random mask yourself.":
        "함수가 PyTorch의 드롭아웃(F.dropout, nn.Dropout 또는 torch.dropout)을 호출합니다. 이 연습 문제는 무작위 마스크로 드롭아웃을 직접 "
        "작성하는 것입니다.",
    "your function does not return a tensor of the input's shape.":
        "함수가 입력과 같은 모양의 텐서를 반환하지 않습니다.",
    "with p={p} your function zeroes {zeroed:.3f} of the values, nn.Dropout {ref:.3f}.":
        "p={p}일 때 0이 되는 값의 비율이 여러분의 함수는 {zeroed:.3f}, nn.Dropout은 {ref:.3f}입니다.",
    "the zeros are not spread evenly over the values: each value needs its own random draw.":
        "0이 값들에 고르게 퍼져 있지 않습니다. 값마다 따로 난수를 뽑아야 합니다.",
    "the kept values are not scaled like nn.Dropout's.":
        "유지된 값의 크기 조정이 nn.Dropout과 다릅니다.",
    "two calls give the same mask: a fresh random mask is needed on every call.":
        "두 번 호출해도 같은 마스크가 나옵니다. 호출할 때마다 새 무작위 마스크가 필요합니다.",
    "inverted dropout by hand, compared with nn.Dropout's statistics":
        "직접 구현한 역 드롭아웃, nn.Dropout의 통계와 비교",
    "dropout in training keeps each value with probability 1 - p, independently, and rescales what it keeps "
    "so the expected output equals the input; outside training it does nothing.":
        "학습 중 드롭아웃은 각 값을 독립적으로 확률 1 - p로 유지하고, 출력의 기댓값이 입력과 같아지도록 유지한 값의 크기를 조정합니다. 학습이 아닐 때는 아무것도 하지 "
        "않습니다.",
    "a mask of independent random numbers, one per value (torch.rand_like(x)), compared with p tells you "
    "which values to keep; the survivors need the inverted-dropout scale factor.":
        "값마다 하나씩 독립적인 난수로 만든 마스크(torch.rand_like(x))를 p와 비교하면 어떤 값을 유지할지 알 수 있습니다. 살아남은 값에는 역 드롭아웃의 배율이 "
        "필요합니다.",
    "worked step: build a float mask that is 1 where the random number is at least p and 0 elsewhere, "
    "multiply x by it and rescale the result; when training is False return x as it is. Do not call "
    "nn.Dropout or F.dropout.":
        "풀이 단계: 난수가 p 이상인 곳은 1, 나머지는 0인 float 마스크를 만들어 x에 곱하고 결과의 크기를 조정하세요. training이 False이면 x를 그대로 "
        "반환하세요. nn.Dropout이나 F.dropout은 호출하지 마세요.",
    "give a function my_dropout(x, p, training=True), written with def.":
        "def로 작성한 함수 my_dropout(x, p, training=True)를 주세요.",
    "with training=False the output differs from the input.":
        "training=False일 때 출력이 입력과 다릅니다.",
    "the dropout p you would choose for the head, judged on validation accuracy":
        "헤드에 고를 드롭아웃 p, 검증 정확도로 판단",
    "a choice made on validation data is only as sure as the noise between seeds allows: a p is a good choice "
    "when no other measured p is detectably better on validation, seed by seed (a 95 % interval of the "
    "difference that stays above 0). The test columns decide nothing here.":
        "검증 데이터로 내린 선택은 시드 사이의 잡음이 허용하는 만큼만 확실합니다. 측정한 다른 p 중에 검증에서 시드별로 검출될 만큼 나은 것(차이의 95 % 구간이 0보다 위에 "
        "있는 것)이 없으면 그 p는 좋은 선택입니다. 여기서 테스트 열로는 아무것도 정하지 않습니다.",
    "read the validation columns of the table: find the p with the highest mean validation accuracy, then ask "
    "for the p you like whether the seed-by-seed interval of (best minus it) still reaches 0. The 'validation "
    "change' column does this against the first p; the same rule applies against the best one.":
        "표의 검증 열을 읽으세요. 평균 검증 정확도가 가장 높은 p를 찾은 뒤, 마음에 드는 p에 대해 (가장 좋은 p 빼기 그 p)의 시드별 구간이 여전히 0에 닿는지 따져 "
        "보세요. 'p = 0.0 대비 검증 정확도 변화' 열은 첫 번째 p와 이렇게 비교합니다. 가장 좋은 p와 비교할 때도 같은 규칙이 적용됩니다.",
    "worked step: val = {p: [r.val_acc for r in runs[p]] for p in runs}; best = max(val, key=lambda p: "
    "sum(val[p])); low = tl.paired_interval(val[best], val[your_p])[1]. Your p is defensible when low <= 0. "
    "The checker trains the same runs itself (the first check takes a while) and applies this rule.":
        "풀이 단계: val = {p: [r.val_acc for r in runs[p]] for p in runs}; best = max(val, key=lambda p: "
        "sum(val[p])); low = tl.paired_interval(val[best], val[your_p])[1]. low <= 0이면 여러분의 p는 옹호할 수 있는 "
        "선택입니다. 채점기는 같은 실행을 직접 학습하고(첫 채점은 시간이 좀 걸립니다) 이 규칙을 적용합니다.",
    "{p:g} is not a dropout probability: p lies between 0 and 1 (0.1 drops a tenth of the values).":
        "{p:g}은(는) 드롭아웃 확률이 아닙니다. p는 0과 1 사이에 있습니다 (0.1이면 값의 10분의 1을 드롭합니다).",
    "p = {p:g} was not measured, so validation cannot back it: choose one of the measured values {choices}.":
        "p = {p:g}은(는) 측정하지 않았으므로 검증 데이터로 뒷받침할 수 없습니다. 측정한 값 {choices} 중 하나를 고르세요.",
    "on validation, p = {p:.1f} is detectably below another measured p: the seed-by-seed 95 % interval of "
    "that p's validation accuracy minus yours lies above 0. Compare the 'validation change' column and the "
    "validation accuracies in the table.":
        "검증 데이터에서 p = {p:.1f}은(는) 측정한 다른 p보다 검출될 만큼 낮습니다. 그 p의 검증 정확도에서 여러분 p의 검증 정확도를 뺀 값의 시드별 95 % 구간이 "
        "0보다 위에 있습니다. 표의 'p = 0.0 대비 검증 정확도 변화' 열과 검증 정확도를 비교해 보세요.",
    # tl_helpers/exercises/nb06.py
    "weighted layers on ResNet-101's main path":
        "ResNet-101의 주 경로에서 가중치를 가진 층의 수",
    "ResNet-50 gets its 50 from the layers with weights on the path a signal takes through the blocks: the "
    "stem's convolution, every convolution inside the blocks, and the head; shortcut projections do not "
    "count.":
        "ResNet-50의 50은 신호가 블록들을 지나가는 경로에서 가중치를 가진 층의 수입니다: 스템의 합성곱, 블록 안의 모든 합성곱, 그리고 헤드입니다. 숏컷의 프로젝션은 세지 "
        "않습니다.",
    "a bottleneck block has the same number of convolutions on its main path whatever its width; the list [3, "
    "4, 23, 3] says how many blocks each stage has.":
        "병목 블록은 너비와 상관없이 주 경로에 같은 수의 합성곱을 가집니다. 리스트 [3, 4, 23, 3]은 스테이지마다 블록이 몇 개인지 알려 줍니다.",
    "worked step: check the rule on ResNet-50 first, [3, 4, 6, 3]: 1 stem convolution + (convolutions per "
    "block) · (number of blocks) + 1 fc gives 50; then do the same with the deeper network's list.":
        "풀이 단계: 먼저 ResNet-50의 [3, 4, 6, 3]으로 규칙을 확인하세요: 스템 합성곱 1 + (블록당 합성곱 수) · (블록 수) + fc 1 = 50입니다. "
        "그다음 더 깊은 네트워크의 리스트로 같은 계산을 하세요.",
    "that counts the projection convolutions on the shortcuts too, which are not on the main path.":
        "숏컷의 프로젝션 합성곱까지 셌는데, 그것들은 주 경로에 있지 않습니다.",
    "that is not the number of weighted layers on the main path.":
        "주 경로에서 가중치를 가진 층의 수가 아닙니다.",
    "the stage of ResNet-50 that holds the most parameters":
        "ResNet-50에서 매개변수가 가장 많은 스테이지",
    "a convolution's weights grow with the product of its input and output channels, and the channels double "
    "from one stage to the next, while the number of blocks per stage differs.":
        "합성곱의 가중치 수는 입력 채널과 출력 채널의 곱에 따라 늘어나고, 채널은 스테이지마다 두 배가 됩니다. 한편 스테이지마다 블록 수는 다릅니다.",
    "compare stages by channels squared times blocks, from the layer table; or count: add p.numel() per "
    "tl.stage_of(name) over model.named_parameters().":
        "층 표에서 (채널 수의 제곱) × (블록 수)로 스테이지들을 비교하세요. 또는 직접 세세요: model.named_parameters()를 돌며 "
        "tl.stage_of(name)별로 p.numel()을 더합니다.",
    "worked step: counts = collections.Counter(); for each (name, p) in tl.resnet50().named_parameters() add "
    "p.numel() to counts[tl.stage_of(name)]; then look at counts.most_common().":
        "풀이 단계: counts = collections.Counter(); tl.resnet50().named_parameters()의 각 (name, p)에 대해 "
        "counts[tl.stage_of(name)]에 p.numel()을 더하고, counts.most_common()을 보세요.",
    "{given} is not the stage with the most parameters.":
        "{given}은(는) 매개변수가 가장 많은 스테이지가 아닙니다.",
    "the stage you would cut the backbone at for feature extraction, judged on validation":
        "특징 추출을 위해 백본을 자를 스테이지, 검증 데이터로 판단",
    "a choice made on validation data is only as sure as its noise allows: a stage is a good cut when no "
    "other stage's probe is detectably better on the same validation images (a 95 % interval of the "
    "difference, image by image, that stays above 0).":
        "검증 데이터로 내린 선택은 그 잡음이 허용하는 만큼만 확실합니다. 같은 검증 이미지에서 다른 어떤 스테이지의 프로브도 검출될 만큼 낫지 않으면(이미지별 차이의 95 % "
        "구간이 0보다 위에 있지 않으면) 그 스테이지는 좋은 자르는 지점입니다.",
    "train a linear probe (tl.linear_probe, notebook 01) on each stage's pooled output for the training "
    "images and score it on the validation images; .hits() gives 1 or 0 per validation image, in the same "
    "order for every stage, so two stages can be compared image by image.":
        "각 스테이지의 풀링한 출력으로 학습 이미지에서 선형 프로브(tl.linear_probe, 노트북 01)를 학습하고 검증 이미지에서 점수를 매기세요. .hits()는 검증 "
        "이미지마다 1 또는 0을 모든 스테이지에서 같은 순서로 주므로, 두 스테이지를 이미지별로 비교할 수 있습니다.",
    "worked step: hits = {s: tl.linear_probe(*task.pooled_output(s, 'train'), *task.pooled_output(s, "
    "'val')).hits() for s in the three stages}; best = the stage with the highest mean; low = "
    "tl.paired_interval(hits[best], hits[yours])[1]. Your stage is defensible when low <= 0; the checker "
    "measures the same probes itself.":
        "풀이 단계: hits = {s: tl.linear_probe(*task.pooled_output(s, 'train'), *task.pooled_output(s, "
        "'val')).hits() for s in the three stages}; best = 평균이 가장 높은 스테이지; low = "
        "tl.paired_interval(hits[best], hits[yours])[1]. low <= 0이면 여러분의 스테이지는 옹호할 수 있는 선택입니다. 채점기는 같은 "
        "프로브를 직접 측정합니다.",
    "{given} was not measured here: choose one of {stages}.":
        "{given}은(는) 여기서 측정하지 않았습니다. {stages} 중 하나를 고르세요.",
    "on validation, the probe on {given} is detectably below another stage's: the image-by-image 95 % "
    "interval of that stage's accuracy minus yours lies above 0.":
        "검증 데이터에서 {given}의 프로브는 다른 스테이지의 프로브보다 검출될 만큼 낮습니다. 그 스테이지의 정확도에서 여러분 스테이지의 정확도를 뺀 값의 이미지별 95 % "
        "구간이 0보다 위에 있습니다.",
    # tl_helpers/exercises/nb07.py
    "trainable parameters when only layer3 and the new head train":
        "layer3과 새 헤드만 학습할 때 학습되는 매개변수 수",
    "only parameters with requires_grad switched on train; the number that train is the sum of their sizes.":
        "requires_grad가 켜진 매개변수만 학습됩니다. 학습되는 매개변수의 수는 그것들의 크기를 더한 값입니다.",
    "on a fresh model (task.new_model()) switch requires_grad on for the parameters of layer3 and of the head "
    "fc and off for all others, then count the trainable ones with tl.count_parameters(model).":
        "새 모델(task.new_model())에서 layer3과 헤드 fc의 매개변수는 requires_grad를 켜고 나머지는 모두 끈 다음, "
        "tl.count_parameters(model)로 학습되는 매개변수를 세세요.",
    "worked step: a parameter's stage is the start of its name (tl.stage_of(name) gives it); loop over "
    "model.named_parameters(), set each flag to whether its stage is one of the two that train, and read the "
    "first number tl.count_parameters returns (trainable, total).":
        "풀이 단계: 매개변수의 스테이지는 이름의 앞부분입니다 (tl.stage_of(name)이 알려 줍니다). model.named_parameters()를 돌며 각 플래그를 그 "
        "스테이지가 학습하는 두 곳 중 하나인지로 설정하고, tl.count_parameters가 반환하는 (학습되는 수, 전체 수) 중 첫 번째 수를 읽으세요.",
    "that also counts layer4, which stays frozen here (it is the widget's 'layer3-4').":
        "layer4까지 셌는데, 여기서 layer4는 동결된 채로 있습니다 (그것은 위젯의 'layer3-4'입니다).",
    "the new head trains too, and its parameters are missing from your count.":
        "새 헤드도 학습되는데, 그 매개변수가 셈에서 빠졌습니다.",
    "that is not the number of trainable parameters.":
        "학습되는 매개변수의 수가 아닙니다.",
    "the model has no head model.fc.":
        "모델에 헤드 model.fc가 없습니다.",
    "your function changed weights; freezing only switches gradients off.":
        "함수가 가중치를 바꿨습니다. 동결은 기울기만 끕니다.",
    "every parameter still trains: nothing was frozen (is the body of your function still ...?).":
        "모든 매개변수가 여전히 학습됩니다. 아무것도 동결되지 않았습니다 (함수 본문이 아직 ...인가요?).",
    "the new head fc is frozen too, so nothing would learn.":
        "새 헤드 fc까지 동결되어, 아무것도 학습되지 않습니다.",
    "{n} backbone tensors still train (e.g. {name}; kinds: {kinds}): some kinds of layer were left out of the "
    "loop.":
        "백본 텐서 {n}개가 아직 학습됩니다 (예: {name}; 종류: {kinds}). 루프에서 빠진 층 종류가 있습니다.",
    "write the freeze loop of feature extraction":
        "특징 추출 (feature extraction)의 동결 루프 작성하기",
    "freezing switches learning off per parameter (its requires_grad flag); it changes no weight. Feature "
    "extraction freezes the whole backbone and leaves the new head learning.":
        "동결은 매개변수마다 학습을 끄는 것(requires_grad 플래그)이며, 가중치는 바꾸지 않습니다. 특징 추출은 백본 전체를 동결하고 새 헤드는 계속 학습하게 둡니다.",
    "loop over model.named_parameters(): the name tells you whether a parameter belongs to the head (the "
    "names of the head's parameters start with 'fc.'). Every kind of parameter counts: convolutions, "
    "BatchNorm.":
        "model.named_parameters()를 도세요. 이름을 보면 매개변수가 헤드에 속하는지 알 수 있습니다 (헤드 매개변수의 이름은 'fc.'로 시작합니다). 합성곱, "
        "BatchNorm 등 모든 종류의 매개변수가 대상입니다.",
    "worked step: for every (name, p), set p.requires_grad to True for the head's parameters and to False for "
    "all others; the function may change the model in place or return it.":
        "풀이 단계: 모든 (name, p)에 대해 헤드의 매개변수는 p.requires_grad를 True로, 나머지는 모두 False로 설정하세요. 함수는 모델을 제자리에서 "
        "바꿔도 되고 반환해도 됩니다.",
    "your answer is a {kind}: give the function itself (answer_07_2 = freeze, no parentheses), or a model "
    "after your function ran on it.":
        "답이 {kind}입니다. 함수 자체(answer_07_2 = freeze, 괄호 없이)나, 함수를 실행한 뒤의 모델을 주세요.",
    "your function calls the series' own freezing helper: the exercise is to write the loop yourself.":
        "함수가 시리즈의 동결 도우미 함수를 호출합니다. 이 연습 문제는 루프를 직접 작성하는 것입니다.",
    "the strategy you would pick for 100 images, judged on validation accuracy":
        "이미지 100장에 고를 전략, 검증 정확도로 판단",
    "a choice made on validation data is only as sure as the noise between seeds allows: a strategy is a good "
    "pick when no other one is detectably better on validation, seed by seed (a 95 % interval of the "
    "difference that stays above 0). The test images decide nothing here.":
        "검증 데이터로 내린 선택은 시드 사이의 잡음이 허용하는 만큼만 확실합니다. 다른 전략 중에 검증에서 시드별로 검출될 만큼 나은 것(차이의 95 % 구간이 0보다 위에 있는 "
        "것)이 없으면 그 전략은 좋은 선택입니다. 여기서 테스트 이미지로는 아무것도 정하지 않습니다.",
    "val = {{s: [r.val_acc for r in results[s]] for s in tl.STRATEGIES}} holds each strategy's validation "
    "accuracy per seed: find the strategy with the highest mean, then compare the one you like with it, seed "
    "by seed.":
        "val = {{s: [r.val_acc for r in results[s]] for s in tl.STRATEGIES}}에는 전략마다 시드별 검증 정확도가 들어 있습니다. "
        "평균이 가장 높은 전략을 찾은 뒤, 마음에 드는 전략을 그것과 시드별로 비교하세요.",
    "worked step: low = tl.paired_interval(val[best], val[yours])[1] is the low end of the 95 % interval of "
    "best minus yours; your pick is defensible when low <= 0. The checker trains its own runs (5 seeds, quick "
    "mode's {epochs} whole-network epochs; the first check takes a few minutes) and applies this rule.":
        "풀이 단계: low = tl.paired_interval(val[best], val[yours])[1]은 (가장 좋은 전략 빼기 여러분의 전략)의 95 % 구간의 아래 "
        "끝입니다. low <= 0이면 여러분의 선택은 옹호할 수 있습니다. 채점기는 자체 실행을 학습하고(시드 5개, 빠른 모드의 네트워크 전체 {epochs} 에폭. 첫 채점은 "
        "몇 분 걸립니다) 이 규칙을 적용합니다.",
    "'scratch', 'frozen' or 'finetune'":
        "'scratch', 'frozen' 또는 'finetune'",
    "on validation, {strategy} is detectably below the best strategy: the seed-by-seed 95 % interval of the "
    "best one's validation accuracy minus its lies above 0.":
        "검증 데이터에서 {strategy}은(는) 가장 좋은 전략보다 검출될 만큼 낮습니다. 가장 좋은 전략의 검증 정확도에서 이 전략의 검증 정확도를 뺀 값의 시드별 95 % "
        "구간이 0보다 위에 있습니다.",
    # tl_helpers/exercises/nb08.py
    "your function should return a tensor (or list) of numbers, one accuracy per class.":
        "함수는 클래스마다 정확도 하나씩, 숫자로 된 텐서(또는 리스트)를 반환해야 합니다.",
    "for a {k}x{k} matrix you return {n} value, not one per class.":
        "{k}x{k} 행렬에 대해 값을 {n}개 반환했습니다. 클래스마다 하나씩이어야 합니다.",
    "for a {k}x{k} matrix you return {n} values, not one per class.":
        "{k}x{k} 행렬에 대해 값을 {n}개 반환했습니다. 클래스마다 하나씩이어야 합니다.",
    "you divide by the column sums, but columns are predictions, not true classes.":
        "열 합으로 나누었는데, 열은 실제 클래스가 아니라 예측입니다.",
    "these are counts, not fractions.":
        "이것은 비율이 아니라 개수입니다.",
    "the values are off.":
        "값이 틀렸습니다.",
    "per-class accuracy from a confusion matrix":
        "혼동 행렬에서 구하는 클래스별 정확도",
    "a class's accuracy is the fraction of its test images that the model got right. In cm, row i holds the "
    "test images whose true class is i, spread over the predicted classes.":
        "클래스의 정확도는 그 클래스의 테스트 이미지 중 모델이 맞힌 비율입니다. cm에서 행 i에는 실제 클래스가 i인 테스트 이미지가 예측된 클래스별로 나뉘어 들어 있습니다.",
    "the right answers of class i sit where the true and the predicted class agree, on the diagonal; the "
    "number of test images of class i is its whole row.":
        "클래스 i의 정답은 실제 클래스와 예측 클래스가 같은 곳, 즉 대각선에 있습니다. 클래스 i의 테스트 이미지 수는 그 행 전체입니다.",
    "worked step: take the diagonal (cm.diag()) as floats and divide it element by element by the sums along "
    "the right dimension of cm; the result has one value per class.":
        "풀이 단계: 대각선(cm.diag())을 float로 바꾸고, cm의 알맞은 차원을 따라 구한 합으로 원소별로 나누세요. 결과에는 클래스마다 값이 하나 있습니다.",
    "give a function per_class(cm), written with def, returning one accuracy per class.":
        "def로 작성한 함수 per_class(cm)를 주세요. 클래스마다 정확도 하나씩을 반환해야 합니다.",
    "the second item is not a matrix: pass (class name, cm) with the notebook's cm.":
        "두 번째 항목이 행렬이 아닙니다. 노트북의 cm으로 (클래스 이름, cm)을 넘기세요.",
    "cm should be {n}x{n}, one row per class: pass the notebook's cm.":
        "cm은 클래스마다 한 행씩, {n}x{n}이어야 합니다. 노트북의 cm을 넘기세요.",
    "cm should hold counts of test images (whole numbers), as tl.confusion_matrix gives them.":
        "cm에는 tl.confusion_matrix가 주는 것처럼 테스트 이미지의 개수(정수)가 들어 있어야 합니다.",
    "cm's rows do not add up to the test images of each class: pass the confusion matrix of the whole test "
    "set (the notebook's cm), or the model itself (baseline.model).":
        "cm의 행 합이 각 클래스의 테스트 이미지 수와 맞지 않습니다. 테스트 세트 전체의 혼동 행렬(노트북의 cm)이나 모델 자체(baseline.model)를 넘기세요.",
    "the class the test shirts are most often mistaken for (read from the matrix you pass)":
        "테스트 이미지의 셔츠가 가장 자주 잘못 분류되는 클래스 (넘겨준 행렬에서 읽기)",
    "in a confusion matrix, row i holds the test images whose true class is i; a mistake is any cell off the "
    "diagonal.":
        "혼동 행렬에서 행 i에는 실제 클래스가 i인 테스트 이미지가 있습니다. 대각선 밖의 칸은 모두 실수입니다.",
    "find the row of shirt (its index in task.classes) and ignore its diagonal cell, the right answers.":
        "shirt의 행(task.classes에서의 인덱스)을 찾고, 정답이 있는 대각선 칸은 무시하세요.",
    "worked step: copy the shirt row, set its own (diagonal) cell aside, e.g. to -1, and find the column of "
    "the largest remaining count; that column's name in task.classes is the class the shirts are taken for.":
        "풀이 단계: shirt 행을 복사해 자기 자신의(대각선) 칸을 -1 등으로 치워 두고, 남은 개수 중 가장 큰 열을 찾으세요. task.classes에서 그 열의 이름이 "
        "셔츠가 잘못 분류되는 클래스입니다.",
    'pass a pair (class name, cm): tl.check("08.2", (most_confused, cm)).':
        '(클래스 이름, cm) 쌍을 넘기세요: tl.check("08.2", (most_confused, cm)).',
    "that is the diagonal: shirts taken for shirts are right answers.":
        "그것은 대각선입니다. 셔츠를 셔츠로 본 것은 정답입니다.",
    "{name!r} is not one of the classes in task.classes.":
        "{name!r}은(는) task.classes에 있는 클래스가 아닙니다.",
    "that class is most often mistaken *for* a shirt (the shirt column), not the other way round.":
        "방향이 거꾸로입니다. 그 클래스가 셔츠*로* 가장 자주 잘못 분류됩니다 (셔츠 열).",
    "the shirt row has more mistakes elsewhere than in {given!r}.":
        "셔츠 행에는 {given!r}보다 실수가 더 많은 곳이 있습니다.",
    "head first or all together for layer4 + head, judged on validation accuracy":
        "layer4 + 헤드를 헤드 먼저 학습할까, 모두 함께 학습할까: 검증 정확도로 판단",
    "both schedules get the same number of optimiser steps, so the question is only which one validation "
    "prefers beyond the noise between seeds: a schedule is a good pick when the other is not detectably "
    "better, seed by seed (a 95 % interval of the difference that stays above 0). The test images decide "
    "nothing here.":
        "두 스케줄은 옵티마이저 스텝 수가 같으므로, 물음은 검증 데이터가 시드 사이의 잡음을 넘어 어느 쪽을 선호하느냐뿐입니다. 다른 스케줄이 시드별로 검출될 만큼 낫지 "
        "않으면(차이의 95 % 구간이 0보다 위에 있지 않으면) 그 스케줄은 좋은 선택입니다. 여기서 테스트 이미지로는 아무것도 정하지 않습니다.",
    "in the comparison table, the row 'layer4 waits: validation at the best epoch' is the seed-by-seed change "
    "of validation accuracy from training both together to training the head first, with its 95 % interval.":
        "비교 표의 'layer4 waits: validation at the best epoch' 행은 둘을 함께 학습하다가 헤드를 먼저 학습하는 쪽으로 바꿀 때 검증 정확도의 "
        "시드별 변화와 그 95 % 구간입니다.",
    "worked step: if that interval contains 0, validation cannot tell the schedules apart and either is "
    "defensible; if it lies wholly above 0, pick the schedule whose accuracy comes first in the difference; "
    "if wholly below, the other one. The checker trains both arms itself (the first check takes a while).":
        "풀이 단계: 그 구간이 0을 포함하면 검증 데이터로는 두 스케줄을 구별할 수 없으므로 어느 쪽이든 옹호할 수 있습니다. 구간이 완전히 0보다 위에 있으면 차이에서 앞에 오는 "
        "정확도의 스케줄을, 완전히 아래에 있으면 다른 쪽을 고르세요. 채점기는 두 비교군을 직접 학습합니다(첫 채점은 시간이 좀 걸립니다).",
    "'two-stage' (head first) or 'one-stage' (together)":
        "'two-stage'(헤드 먼저) 또는 'one-stage'(함께)",
    "on validation, that schedule is detectably below the other one: the seed-by-seed 95 % interval of the "
    "other's validation accuracy minus its lies above 0.":
        "검증 데이터에서 그 스케줄은 다른 스케줄보다 검출될 만큼 낮습니다. 다른 스케줄의 검증 정확도에서 이 스케줄의 검증 정확도를 뺀 값의 시드별 95 % 구간이 0보다 위에 "
        "있습니다.",
    # tl_helpers/exercises/nb09.py
    "for {accs} your epoch is one too small: are you counting from 0?":
        "{accs}에 대해 에폭이 하나 작습니다. 0부터 세고 있나요?",
    "for {accs} you picked another epoch with the same best accuracy than the one KeepBest keeps.":
        "{accs}에 대해, KeepBest가 남기는 에폭이 아니라 같은 최고 정확도를 가진 다른 에폭을 골랐습니다.",
    "for validation accuracies {accs} you return {got!r}, not the epoch KeepBest keeps.":
        "검증 정확도 {accs}에 대해 {got!r}을(를) 반환했는데, KeepBest가 남기는 에폭이 아닙니다.",
    "which epoch does KeepBest keep?":
        "KeepBest는 어느 에폭을 남길까?",
    "KeepBest keeps the model of one epoch: think about when, during training, it saves a checkpoint, and "
    "what happens when a later epoch only equals the best accuracy so far.":
        "KeepBest는 한 에폭의 모델을 남깁니다. 학습 중 언제 체크포인트를 저장하는지, 그리고 나중 에폭이 지금까지의 최고 정확도와 같기만 할 때 어떻게 되는지 생각해 "
        "보세요.",
    "read its comparison: tl.KeepBest?? shows the source. Does a tie count as an improvement there? Also, "
    "epochs are counted from 1 while list indices start at 0.":
        "비교하는 부분을 읽어 보세요: tl.KeepBest??가 소스를 보여 줍니다. 거기서 동점도 향상으로 치나요? 또한 에폭은 1부터 세지만 리스트 인덱스는 0부터 시작합니다.",
    "worked step: find the best accuracy with max(val_accs), use KeepBest's comparison to decide which of the "
    "epochs reaching it is the one kept, and turn that list index into an epoch number.":
        "풀이 단계: max(val_accs)로 최고 정확도를 찾고, KeepBest의 비교 방식으로 그 정확도에 이른 에폭 중 어느 것이 남는지 정한 다음, 그 리스트 인덱스를 "
        "에폭 번호로 바꾸세요.",
    "give a function kept_epoch(val_accs), written with def, that returns an epoch number.":
        "에폭 번호를 반환하는, def로 작성한 함수 kept_epoch(val_accs)를 주세요.",
    "your function returned {got!r:.60}, not a pair (class name, probability).":
        "함수가 (클래스 이름, 확률) 쌍이 아니라 {got!r:.60}을(를) 반환했습니다.",
    "on the checker's checkpoint your top-1 class is {name!r}, not the model's: is the model rebuilt from the "
    "checkpoint file itself?":
        "채점기의 체크포인트에서 여러분의 top-1 클래스는 {name!r}인데, 모델의 것과 다릅니다. 모델을 체크포인트 파일 자체에서 다시 만들었나요?",
    "that looks like a percentage: give the probability as a number between 0 and 1.":
        "백분율처럼 보입니다. 확률을 0과 1 사이의 숫자로 주세요.",
    "the class is right but the probability {p:.4g} is off (rounding to 2 decimals, within {tolerance}, is "
    "fine).":
        "클래스는 맞지만 확률 {p:.4g}이(가) 틀렸습니다 (소수 둘째 자리까지 반올림한 값, 즉 {tolerance} 이내는 괜찮습니다).",
    "reload a checkpoint and classify one image":
        "체크포인트를 다시 불러와 이미지 한 장 분류하기",
    "a checkpoint file holds the weights and what it takes to rebuild the model; predicting one image means "
    "the model in eval mode, the same preprocessing, and a softmax over the logits.":
        "체크포인트 파일에는 가중치와 모델을 다시 만드는 데 필요한 정보가 들어 있습니다. 이미지 한 장을 예측하려면 평가(eval) 모드의 모델, 같은 전처리, 로짓 "
        "(logits)에 대한 소프트맥스 (softmax)가 필요합니다.",
    "tl.load_checkpoint(path) gives back the model and its class names; tl.predict_image(model, image_path, "
    "preprocess, classes, k=...) returns the top classes with their probabilities.":
        "tl.load_checkpoint(path)는 모델과 그 클래스 이름을 돌려줍니다. tl.predict_image(model, image_path, preprocess, "
        "classes, k=...)는 상위 클래스들을 확률과 함께 반환합니다.",
    "worked step: rebuild the model and the classes from the file, ask predict_image for the single most "
    "probable class, and return its (name, probability) pair as it comes.":
        "풀이 단계: 파일에서 모델과 클래스를 다시 만들고, predict_image에 가장 확률이 높은 클래스 하나를 요청한 다음, 그 (이름, 확률) 쌍을 받은 그대로 "
        "반환하세요.",
    "give a function top1(checkpoint_path, image_path, preprocess), written with def.":
        "def로 작성한 함수 top1(checkpoint_path, image_path, preprocess)를 주세요.",
    "constant learning rate or a cosine schedule, judged on validation":
        "일정한 학습률인가 코사인 스케줄인가, 검증 데이터로 판단",
    "a choice made on validation data is only as sure as the noise between seeds allows: a schedule is a good "
    "pick when the other one is not detectably better on validation, seed by seed.":
        "검증 데이터로 내린 선택은 시드 사이의 잡음이 허용하는 만큼만 확실합니다. 다른 스케줄이 검증에서 시드별로 검출될 만큼 낫지 않으면 그 스케줄은 좋은 선택입니다.",
    "section 7 printed the validation accuracy of both, per seed, and the 95 % interval of the difference: "
    "does it lie above 0, below 0, or does it reach 0?":
        "7절은 두 스케줄의 시드별 검증 정확도와 그 차이의 95 % 구간을 출력했습니다. 그 구간은 0보다 위에 있나요, 아래에 있나요, 아니면 0에 닿나요?",
    "worked step: low = tl.paired_interval(val[best], val[yours])[1], where best has the higher mean; your "
    "pick is defensible when low <= 0. The checker trains its own runs (5 seeds, 5 fine-tuning epochs; the "
    "first check takes a few minutes) and applies this rule.":
        "풀이 단계: low = tl.paired_interval(val[best], val[yours])[1]이고, 여기서 best는 평균이 더 높은 쪽입니다. low <= 0이면 "
        "여러분의 선택은 옹호할 수 있습니다. 채점기는 자체 실행을 학습하고(시드 5개, 미세 조정 5 에폭. 첫 채점은 몇 분 걸립니다) 이 규칙을 적용합니다.",
    "'constant' or 'cosine'":
        "'constant' 또는 'cosine'",
    "on validation, {chosen} is detectably below the other schedule: the seed-by-seed 95 % interval of the "
    "other's validation accuracy minus yours lies above 0.":
        "검증 데이터에서 {chosen}은(는) 다른 스케줄보다 검출될 만큼 낮습니다. 다른 스케줄의 검증 정확도에서 여러분 스케줄의 검증 정확도를 뺀 값의 시드별 95 % 구간이 "
        "0보다 위에 있습니다.",
    # tl_helpers/exercises/nb10.py
    "the folder is not a valid dataset yet: {error} (the message says what to change).":
        "폴더가 아직 올바른 데이터셋이 아닙니다: {error} (무엇을 바꿔야 하는지 메시지에 나와 있습니다).",
    "train/ has classes {train}, test/ has {test}: every split needs the same class folders.":
        "train/의 클래스는 {train}, test/의 클래스는 {test}입니다. 모든 분할에 같은 클래스 폴더가 있어야 합니다.",
    "train/ should still hold all {n} images; missing {missing}: the images are to be moved, not deleted.":
        "train/에는 이미지 {n}장이 모두 그대로 있어야 합니다. 빠진 것: {missing}. 이미지는 지우지 말고 옮겨야 합니다.",
    "{wrong} are in the wrong class folder (the file names say which class each image shows).":
        "{wrong}이(가) 잘못된 클래스 폴더에 있습니다 (파일 이름이 각 이미지의 클래스를 알려 줍니다).",
    "make this folder a valid dataset":
        "이 폴더를 올바른 데이터셋으로 만들기",
    "a dataset folder has one subfolder per class in each split, each holding at least one image; the class "
    "of an image is the folder it sits in.":
        "데이터셋 폴더에는 분할마다 클래스별 하위 폴더가 하나씩 있고, 각 폴더에는 이미지가 적어도 한 장 있습니다. 이미지의 클래스는 그 이미지가 들어 있는 폴더입니다.",
    "list the broken folder (sorted(root.rglob('*'))): which images have no class folder, which folder is "
    "empty, which file is not an image? The start of each file name says the class.":
        "망가진 폴더의 목록을 보세요 (sorted(root.rglob('*'))). 어느 이미지에 클래스 폴더가 없고, 어느 폴더가 비어 있으며, 어느 파일이 이미지가 아닌가요? "
        "각 파일 이름의 앞부분이 클래스를 알려 줍니다.",
    "worked step: for each loose image in train/, make the folder named after the start of its file name "
    "(Path.mkdir with exist_ok=True) and move the image into it (shutil.move); then remove the empty folder "
    "(Path.rmdir). Delete no image.":
        "풀이 단계: train/에 흩어진 이미지마다 파일 이름의 앞부분을 딴 폴더를 만들고(Path.mkdir, exist_ok=True) 이미지를 그 안으로 "
        "옮기세요(shutil.move). 그다음 빈 폴더를 지우세요(Path.rmdir). 이미지는 하나도 지우지 마세요.",
    "give a function fix(root), written with def, that repairs the folder in place.":
        "폴더를 제자리에서 고치는, def로 작성한 함수 fix(root)를 주세요.",
    "rename the folder":
        "폴더 이름을 바꾸기",
    "add images to it or delete the folder":
        "폴더에 이미지를 추가하거나 폴더를 지우기",
    "convert the images to RGB":
        "이미지를 RGB로 변환하기",
    "move the images into train/":
        "이미지를 train/으로 옮기기",
    "{answer!r} is not one of the choices: answer with one letter, {letters}, as a string.":
        "{answer!r}은(는) 선택지가 아닙니다. {letters} 중 한 글자를 문자열로 답하세요.",
    "an empty class folder raised no error":
        "빈 클래스 폴더에서 오류가 나지 않았습니다",
    "what does the error say when a class folder is empty?":
        "클래스 폴더가 비어 있으면 오류 메시지는 무엇이라고 할까?",
    "an empty class folder would give a class without a single training example; the error says how to get "
    "out of that.":
        "빈 클래스 폴더가 있으면 학습 예제가 하나도 없는 클래스가 생깁니다. 오류 메시지는 거기서 벗어나는 방법을 알려 줍니다.",
    "run the empty-folder cell above (or tl.scan_image_folder on a folder with an empty class) and read the "
    "last sentence of the error.":
        "위의 빈 폴더 셀을 실행하고(또는 빈 클래스가 있는 폴더에 tl.scan_image_folder를 실행하고) 오류의 마지막 문장을 읽으세요.",
    "worked step: make a folder with two class folders, put one image in one of them, call "
    "tl.scan_image_folder on it, and compare the error's advice with the four choices word by word.":
        "풀이 단계: 클래스 폴더 두 개가 있는 폴더를 만들어 그중 하나에 이미지 한 장을 넣고, 그 폴더에 tl.scan_image_folder를 호출한 다음, 오류의 조언을 네 "
        "선택지와 한 단어씩 비교하세요.",
    "that is not what the message asks for.":
        "메시지가 요구하는 것이 아닙니다.",
    "how many epochs to train the head, judged on validation":
        "헤드를 몇 에폭 학습할까, 검증 데이터로 판단",
    "more epochs cost more time and are only worth it when validation accuracy is detectably higher; a budget "
    "is a good pick when no other budget is detectably better on validation, seed by seed.":
        "에폭이 많을수록 시간이 더 들고, 검증 정확도가 검출될 만큼 높을 때만 그럴 가치가 있습니다. 다른 어떤 예산도 검증에서 시드별로 검출될 만큼 낫지 않으면 그 예산은 좋은 "
        "선택입니다.",
    "train the head with tl.train(task, 'frozen', seed, num_epochs=<the largest budget>, select='val') for "
    "several seeds: its history['val_acc'] holds the validation accuracy after every epoch, so one run gives "
    "all three budgets.":
        "여러 시드로 tl.train(task, 'frozen', seed, num_epochs=<the largest budget>, select='val')을 실행해 헤드를 "
        "학습하세요(<the largest budget>: 가장 큰 예산). history['val_acc']에는 에폭마다의 검증 정확도가 들어 있으므로, 실행 한 번으로 세 예산을 "
        "모두 얻습니다.",
    "worked step: val = {n: [r.history['val_acc'][n - 1] for r in runs] for n in budgets}; best = the budget "
    "with the highest mean; your budget is defensible when tl.paired_interval(val[best], val[yours])[1] <= 0. "
    "The checker measures the same way (5 seeds) on the bundled images.":
        "풀이 단계: val = {n: [r.history['val_acc'][n - 1] for r in runs] for n in budgets}; best = 평균이 가장 높은 "
        "예산; tl.paired_interval(val[best], val[yours])[1] <= 0이면 여러분의 예산은 옹호할 수 있습니다. 채점기는 번들 이미지에서 같은 "
        "방식으로(시드 5개) 측정합니다.",
    "{n} epochs were not measured: choose one of {choices}.":
        "{n} 에폭은 측정하지 않았습니다. {choices} 중 하나를 고르세요.",
    "on validation, {n} epochs are detectably below another budget: the seed-by-seed 95 % interval of that "
    "budget's validation accuracy minus yours lies above 0.":
        "검증 데이터에서 {n} 에폭은 다른 예산보다 검출될 만큼 낮습니다. 그 예산의 검증 정확도에서 여러분 예산의 검증 정확도를 뺀 값의 시드별 95 % 구간이 0보다 위에 "
        "있습니다.",
    # tl_helpers/exercises/nb11.py
    "per-process batch for a global batch of 64 on 8 GPUs":
        "GPU 8개에서 전역 배치가 64일 때 프로세스당 배치",
    "with data parallelism every process runs the same model on its own slice of each global batch.":
        "데이터 병렬화에서는 모든 프로세스가 같은 모델을, 각 전역 배치 중 자기 몫의 조각에 실행합니다.",
    "the global batch is what all processes see together in one step: per-process batch times the number of "
    "processes.":
        "전역 배치는 한 스텝에서 모든 프로세스가 함께 보는 양입니다: 프로세스당 배치 × 프로세스 수.",
    "worked step: solve global = per_process x processes for per_process, with the numbers of the question.":
        "풀이 단계: global = per_process x processes를 문제의 숫자로 per_process에 대해 푸세요.",
    "that is 64 per GPU, a global batch of 512: the processes share the global batch of 64.":
        "그것은 GPU당 64, 즉 전역 배치 512입니다. 프로세스들은 전역 배치 64를 나눠 가집니다.",
    "that is not the share of one process.":
        "프로세스 하나의 몫이 아닙니다.",
    "learning rate by the linear scaling rule on 4 GPUs":
        "GPU 4개에서 선형 스케일링 규칙으로 구한 학습률",
    "the linear scaling rule keeps the learning rate in step with the global batch: the larger the batch, the "
    "larger the learning rate, in proportion.":
        "선형 스케일링 규칙은 학습률을 전역 배치에 맞춰 움직입니다. 배치가 클수록 학습률도 비례해서 커집니다.",
    "first find the new global batch (per-GPU batch times GPUs) and its ratio to the old one.":
        "먼저 새 전역 배치(GPU당 배치 × GPU 수)와, 그것과 이전 전역 배치의 비율을 구하세요.",
    "worked step: new learning rate = old learning rate x (new global batch / old global batch); tl.scaled_lr "
    "computes the same.":
        "풀이 단계: 새 학습률 = 이전 학습률 x (새 전역 배치 / 이전 전역 배치). tl.scaled_lr도 같은 값을 계산합니다.",
    "that keeps the learning rate of one GPU, but the global batch grew.":
        "그것은 GPU 하나일 때의 학습률 그대로인데, 전역 배치가 커졌습니다.",
    "that is not the learning rate the linear scaling rule gives.":
        "선형 스케일링 규칙이 주는 학습률이 아닙니다.",
    "samples per rank and epoch from DistributedSampler: 1,000 images, 3 processes":
        "DistributedSampler에서 rank당, 에폭당 샘플 수: 이미지 1,000장, 프로세스 3개",
    "every rank gets the same number of samples, and together they cover the whole dataset at least once.":
        "모든 rank는 같은 수의 샘플을 받고, 모든 rank를 합치면 데이터셋 전체를 적어도 한 번 덮습니다.",
    "1,000 does not split evenly into 3: DistributedSampler (drop_last=False) pads the dataset by repeating a "
    "few samples until it does.":
        "1,000은 3으로 나누어떨어지지 않습니다. DistributedSampler(drop_last=False)는 나누어떨어질 때까지 샘플 몇 개를 반복해 데이터셋을 채웁니다.",
    "worked step: round the dataset size up to the next multiple of the number of processes, then divide; "
    "len(DistributedSampler(range(1000), num_replicas=3, rank=0)) confirms it.":
        "풀이 단계: 데이터셋 크기를 프로세스 수의 다음 배수로 올림한 뒤 나누세요. len(DistributedSampler(range(1000), num_replicas=3, "
        "rank=0))으로 확인할 수 있습니다.",
    "1,000 does not split evenly into 3, and DistributedSampler drops no image.":
        "1,000은 3으로 나누어떨어지지 않고, DistributedSampler는 이미지를 하나도 버리지 않습니다.",
    "that is not the number of samples of one rank.":
        "rank 하나의 샘플 수가 아닙니다.",
    "keep the learning rate or scale it 4x for a 4x larger batch (Adam), judged on validation":
        "Adam에서 배치가 4배로 커질 때 학습률을 그대로 둘까 4배로 키울까, 검증 데이터로 판단",
    "the linear scaling rule (11.2) was derived for SGD: with 4x fewer, 4x larger steps per epoch, each step "
    "is made 4x larger. Adam divides every step by a running estimate of the gradient's size, so whether the "
    "rule carries over is a question for validation data.":
        "선형 스케일링 규칙(11.2)은 SGD에 대해 유도되었습니다. 배치가 4배 커지면 에폭당 스텝 수가 4분의 1로 줄어드므로, 이 규칙은 "
        "스텝 하나하나를 4배 크게 만듭니다. Adam은 모든 스텝을 기울기 크기의 이동 추정치로 나누므로, 이 규칙이 그대로 통하는지는 "
        "검증 데이터로 답할 물음입니다.",
    "train a new head on the cached features (task.activations('fc', 'train')) with batches of 128 at "
    "tl.HEAD_LR and at 4 * tl.HEAD_LR, for several seeds, and score each epoch on the validation features.":
        "캐시된 특징(task.activations('fc', 'train'))으로 새 헤드를 배치 128로, tl.HEAD_LR과 4 * tl.HEAD_LR에서 각각 여러 시드로 "
        "학습하고, 에폭마다 검증 특징에서 점수를 매기세요.",
    "worked step: keep each run's best validation accuracy; best = the rate with the higher mean; your pick "
    "is defensible when tl.paired_interval(val[best], val[yours])[1] <= 0. The checker measures it itself (5 "
    "seeds, the default head epochs).":
        "풀이 단계: 실행마다 가장 좋은 검증 정확도를 남기세요. best = 평균이 더 높은 학습률; tl.paired_interval(val[best], "
        "val[yours])[1] <= 0이면 여러분의 선택은 옹호할 수 있습니다. 채점기는 이것을 직접 측정합니다(시드 5개, 기본 헤드 에폭).",
    "'same' or 'scaled'":
        "'same' 또는 'scaled'",
    "on validation, the {chosen} learning rate is detectably below the other one: the seed-by-seed 95 % "
    "interval of the other's validation accuracy minus yours lies above 0.":
        "검증 데이터에서 '{chosen}' 학습률은 다른 쪽보다 검출될 만큼 낮습니다. 다른 쪽의 검증 정확도에서 여러분 쪽의 검증 정확도를 뺀 값의 시드별 95 % 구간이 0보다 "
        "위에 있습니다.",
    # tl_helpers/exercises/passes.py
    "The progress file {path} could not be read ({error}); it is kept as {kept} and the record starts afresh.":
        "진행 기록 파일 {path}을(를) 읽을 수 없습니다 ({error}). 그 파일은 {kept}(으)로 보관하고 기록을 새로 시작합니다.",
    "(The pass could not be recorded for tl.progress(): {error}: {message}.)":
        "(tl.progress()용 통과 기록을 저장하지 못했습니다: {error}: {message}.)",
    "No exercise passed yet (0 of {total}).":
        "아직 통과한 연습 문제가 없습니다 ({total}개 중 0개).",
    "{done} of {total} exercises passed (✔ passed, ○ not yet):":
        "연습 문제 {total}개 중 {done}개 통과 (✔ 통과, ○ 아직):",
}
