"""Korean labels, options and result lines of the widgets: ``TransferTrainer`` (07), ``GradientFlowExplorer`` (02),
``ShapeExplorer`` and its table (04), ``DropoutExplorer`` (05)."""
MESSAGES: dict[str, str] = {
    # transfer_widget.TransferTrainer (notebook 07): modes, stage selector, controls
    "feature extraction (frozen backbone)": "특징 추출 (백본 동결)",
    "fine-tuning (unfrozen stages)": "미세 조정 (동결 해제한 스테이지)",
    "train only the new head on the frozen backbone's features": "동결된 백본의 특징으로 새 헤드만 학습합니다",
    "also train the pretrained stages chosen in 'unfreeze'": "'동결 해제'에서 고른 사전 학습된 스테이지도 함께 학습합니다",
    "none (head only)": "없음 (헤드만)",
    "all": "전체",
    "unfreeze": "동결 해제",
    "learning rate": "학습률",
    "epochs": "에폭",
    "Train": "학습",
    # transfer_widget: count line, result line, details
    "Trainable parameters: {n:,} of {total:,} ({share}): {what}": "학습되는 매개변수: {total:,}개 중 {n:,}개 ({share}): {what}",
    "{stages} + the new head fc": "{stages} + 새 헤드 fc",
    "the new head fc only": "새 헤드 fc만",
    "Press Train to see the validation accuracy.": "'학습'을 누르면 검증 정확도가 나옵니다.",
    "Training...": "학습 중...",
    "Training failed: {kind}: {error}": "학습 실패: {kind}: {error}",
    "Validation accuracy: {acc:.3f} (run {run})": "검증 정확도: {acc:.3f} ({run}번째 실행)",
    "trained head first ({head} epochs), then fine-tuned {stages} for {epochs} epochs at lr {lr:g}; "
    "{trainable:,} trainable; {seconds:.1f} s":
        "헤드를 먼저 {head} 에폭 학습한 뒤 {stages}를 {epochs} 에폭 동안 미세 조정했습니다 (학습률 {lr:g}); "
        "학습된 매개변수 {trainable:,}개; {seconds:.1f}초",
    "trained the new head for {epochs} epochs at lr {lr:g}; {trainable:,} trainable; {seconds:.1f} s":
        "새 헤드를 {epochs} 에폭 동안 학습했습니다 (학습률 {lr:g}); 학습된 매개변수 {trainable:,}개; {seconds:.1f}초",
    "(ignored {n} click(s) made while it trained)": "(학습 중에 누른 클릭 {n}번은 무시했습니다)",
    # residual.GradientFlowExplorer (notebook 02)
    "depth": "깊이",
    "init": "초기화",
    "PyTorch default": "PyTorch 기본값",
    "Kaiming (He)": "Kaiming (He)",
    "BatchNorm": "배치 정규화",
    "shortcut": "숏컷",
    "residual-{depth}": "잔차-{depth}",
    "plain-{depth}": "플레인-{depth}",
    "default init": "기본 초기화",
    "kaiming init": "Kaiming 초기화",
    "no BatchNorm": "배치 정규화 없음",
    "<b>{label}</b>: gradient norm of layer 1 {first:.1e}, of layer {n} {last:.1e}; activation scale stem "
    "{stem:.1e}, last block {block:.1e} (measured and drawn in {seconds:.2f} s)":
        "<b>{label}</b>: 기울기 노름은 1층 {first:.1e}, {n}층 {last:.1e}; 활성값 크기는 스템 {stem:.1e}, "
        "마지막 블록 {block:.1e} (측정하고 그리는 데 {seconds:.2f}초)",
    # downsampling.ShapeExplorer and shapes_html (notebook 04)
    "input px": "입력 px",
    "stage": "스테이지",
    "{size} px input &rarr; {stage}: {c} x {h} x {w}": "입력 {size} px &rarr; {stage}: {c} x {h} x {w}",
    "channels": "채널",
    "height": "높이",
    "width": "너비",
    "values per image": "이미지당 값 개수",
    # dropout.DropoutExplorer (notebook 05; also the first column of format_dropout_table)
    "dropout p": "드롭아웃 p",
}
