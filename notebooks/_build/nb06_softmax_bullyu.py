"""06 소프트맥스와 분류 (seeds 002, 003)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from nbtools import build, code, exercise, intro, md, plot_setup  # noqa: E402
from nbtools import CS231N, LECTURE, book, further_reading  # noqa: E402

NAME = "06_softmax_bullyu"

CELLS = [
    intro(r"""
    # 06. 소프트맥스와 분류

    분류 문제에서는 선형 모델(또는 신경망)의 출력 $\mathbf{z}$ 를 **확률 벡터** 로 바꿔서 해석합니다
    이 노트북의 내용:

    1. 소프트맥스와 최댓값 빼기 기법: NumPy 로 쓴 소프트맥스가 출력한 배열(아래에 옮겨 둔 출력)을 그대로
       재현하고, 최댓값을 빼지 않으면 넘침(overflow)이 일어나는 것을 봅니다.
    2. 원-핫(one-hot) 인코딩과 `argmax`.
    3. 교차 엔트로피 오차(cross-entropy)와 평균 제곱 오차(MSE): 분류에 왜 교차 엔트로피 오차를 쓰는가.
    4. 다층 퍼셉트론 분류기를 학습하고 결정 경계를 그립니다.
    """),
    plot_setup(
        """
        import numpy as np

        from micrograd_kr import DomainError, Value
        from micrograd_kr.data import make_spiral
        from micrograd_kr.functional import argmax, cross_entropy, mse_loss, one_hot, softmax
        from micrograd_kr.nn import MLP
        from micrograd_kr.plot import decision_boundary, loss_curve
        from micrograd_kr.train import accuracy, fit
        """,
    ),
    md(r"""
    ## 1. 소프트맥스

    $$\mathrm{softmax}(\mathbf{z})_i = \frac{e^{z_i}}{\sum_{j} e^{z_j}}$$

    모든 성분이 0과 1 사이이고 합이 1이므로 확률로 읽을 수 있습니다. 분자와 분모에 같은 수 $e^{-c}$ 를
    곱해도 값은 그대로입니다.

    $$\frac{e^{z_i}}{\sum_j e^{z_j}} = \frac{e^{z_i - c}}{\sum_j e^{z_j - c}}$$

    $c = \max_j z_j$ 로 잡으면 지수가 모두 0 이하가 되어 $e^{z_i - c} \le 1$, 넘칠 수가 없습니다.
    NumPy 로 쓰면 `np.exp(vec - np.max(vec, axis=-1, keepdims=True))` 입니다(`axis=-1` 은
    "마지막 축", 곧 각 행마다 따로 계산하라는 뜻). `micrograd_kr.functional.softmax` 도 같은 방식이며,
    벡터들의 목록을 주면 각 행에 따로 적용합니다.

    ### NumPy 소프트맥스의 출력 재현

    참고한 학습 노트 하나가 위의 NumPy 식으로 세 점수 벡터 `[[1, 2, 0], [-1, 0, 1], [-10, 0, 10]]` 의
    소프트맥스를 계산해 아래 배열을 출력했습니다(아래 셀의 `SEED_OUTPUT`). 엔진의 `softmax` 로 같은 배열을
    만들어 봅니다.
    """),
    code("""
    SEED_OUTPUT = \"\"\"\\
    array([[2.44728471e-01, 6.65240956e-01, 9.00305732e-02],
           [9.00305732e-02, 2.44728471e-01, 6.65240956e-01],
           [2.06106005e-09, 4.53978686e-05, 9.99954600e-01]])\"\"\"

    vec = [[1, 2, 0], [-1, 0, 1], [-10, 0, 10]]
    probs = softmax(vec)  # one list of Values per row
    result = np.array([[p.data for p in row] for row in probs])
    print(repr(result))
    assert repr(result) == SEED_OUTPUT
    assert all(abs(sum(p.data for p in row) - 1) < 1e-15 for row in probs)
    """),
    md(r"""
    글자 하나까지 같습니다. 세 번째 행 $[-10, 0, 10]$ 에서는 가장 큰 점수가 확률을 거의 다 가져갑니다
    ($0.99995$). 소프트맥스는 점수의 **차이** 에만 반응하기 때문입니다.

    ### 최댓값을 빼지 않으면

    점수가 $[1000, 0, -1000]$ 이면 $e^{1000}$ 은 부동소수점의 최댓값($\approx 1.8\times 10^{308}$)을 넘습니다.
    엔진으로 그대로 계산하면 `exp` 가 넘침을 알리는 `DomainError` 를 내고, numpy 로 계산하면 `inf / inf = nan`
    이 됩니다(아래에서는 넘침을 오류로 바꿔서 잡았습니다).
    """),
    code("""
    big = [1000.0, 0.0, -1000.0]


    def naive_softmax(zs):
        exps = [Value(z).exp() for z in zs]
        total = sum(exps)
        return [e / total for e in exps]


    try:
        naive_softmax(big)
    except DomainError as err:
        print("엔진, 최댓값을 빼지 않으면:", err)

    with np.errstate(over="raise"):
        try:
            np.exp(np.array(big)) / np.exp(np.array(big)).sum()
        except FloatingPointError as err:
            print("NumPy, 최댓값을 빼지 않으면 (FloatingPointError):", err)

    stable = [p.data for p in softmax(big)]
    print("최댓값을 빼면:", stable)
    assert stable == [1.0, 0.0, 0.0]
    """),
    md(r"""
    ## 2. 원-핫 인코딩과 argmax

    분류 문제의 정답은 보통 **원-핫 벡터** 로 씁니다: 정답 클래스 자리만 1이고 나머지는 0입니다.
    예측할 때는 확률이 가장 큰 자리(`argmax`)를 고릅니다. `argmax` 로 각 행의 자리를 고른 뒤 `one_hot` 으로
    그 자리만 1인 벡터로 바꿉니다.
    """),
    code("""
    labels = argmax(probs)
    encoded = one_hot(labels, 3)
    print("행마다 argmax:", labels)
    print("원-핫 (one-hot):", encoded)
    assert labels == [1, 2, 2]
    assert encoded == [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 1.0]]
    assert np.array_equal(encoded, np.eye(3)[np.argmax(np.array(vec), axis=-1)])
    """),
    md(r"""
    ## 3. 교차 엔트로피 오차와 평균 제곱 오차

    정답 클래스가 $y$ 이고 예측 확률이 $\mathbf{p} = \mathrm{softmax}(\mathbf{z})$ 일 때

    $$
    L_{\text{교차 엔트로피 오차}} = -\sum_i t_i \log p_i = -\log p_y, \qquad
    L_{\text{평균 제곱 오차}} = \frac{1}{K}\sum_i (p_i - t_i)^2
    $$

    ($\mathbf{t}$ 는 원-핫 정답, $K$ 는 클래스 수). 교차 엔트로피 오차의 점수 $\mathbf{z}$ 에 대한 기울기는 놀랍도록
    단순합니다.

    $$\frac{\partial L_{\text{교차 엔트로피 오차}}}{\partial z_i} = p_i - t_i$$

    먼저 엔진으로 이 식을 확인합니다.
    """),
    code("""
    z = [Value(0.3), Value(-1.2), Value(2.0)]
    target = 1
    loss = cross_entropy(z, target)
    loss.backward()
    p = [q.data for q in softmax([v.data for v in z])]
    t = one_hot(target, 3)
    print("역전파 backward():", [round(v.grad, 6) for v in z])
    print("p - t            :", [round(pi - ti, 6) for pi, ti in zip(p, t)])
    assert all(abs(v.grad - (pi - ti)) < 1e-12 for v, pi, ti in zip(z, p, t))
    """),
    md(r"""
    이제 두 클래스, 점수 $\mathbf{z} = [s, 0]$, 정답은 클래스 0 인 경우를 봅시다. $s$ 가 아주 작으면 모델이
    **확신을 갖고 틀린** 상태입니다. 이때 배울 것이 가장 많아야 하는데,

    - 교차 엔트로피 오차의 기울기는 $p_0 - 1 \approx -1$ 로 크게 남고,
    - 소프트맥스 위의 평균 제곱 오차는 $\partial/\partial s\,(1-p_0)^2 = -2(1-p_0)\,p_0(1-p_0)$ 로, $p_0 \to 0$ 이면 기울기도 0이 되어
      거의 배우지 못합니다.
    """),
    code("""
    def ce_and_mse(s):
        a, b = Value(s), Value(s)
        ce = cross_entropy([a, Value(0.0)], 0)
        mse = mse_loss(softmax([b, Value(0.0)]), one_hot(0, 2))
        ce.backward()
        mse.backward()
        return ce.data, mse.data, a.grad, b.grad


    scores = np.linspace(-10, 10, 201)
    rows = np.array([ce_and_mse(s) for s in scores])
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 3.8))
    ax1.plot(scores, rows[:, 0], label="교차 엔트로피 오차")
    ax1.plot(scores, rows[:, 1], label="소프트맥스 + 평균 제곱 오차")
    ax1.set_xlabel("정답 클래스의 점수 s (로짓 [s, 0])")
    ax1.set_ylabel("손실")
    ax1.set_title("손실")
    ax1.legend()
    ax2.plot(scores, np.abs(rows[:, 2]), label="교차 엔트로피 오차")
    ax2.plot(scores, np.abs(rows[:, 3]), label="소프트맥스 + 평균 제곱 오차")
    ax2.set_xlabel("정답 클래스의 점수 s (로짓 [s, 0])")
    ax2.set_ylabel("기울기의 크기 |d 손실 / d s|")
    ax2.set_title("기울기 크기: 왼쪽은 자신 있게 틀린 경우")
    ax2.legend()
    plt.tight_layout()
    plt.show()

    _, _, g_ce, g_mse = ce_and_mse(-8.0)
    print(f"s = -8 에서 |기울기|: 교차 엔트로피 오차 {abs(g_ce):.4f}, 평균 제곱 오차 {abs(g_mse):.6f}")
    assert abs(g_ce) > 0.99 and abs(g_mse) < 0.001
    """),
    md(r"""
    그래서 분류에는 소프트맥스 + 교차 엔트로피 오차를 씁니다. 참고로 `cross_entropy` 는 확률을 거치지 않고 점수에서
    바로 $\log\sum_j e^{z_j} - z_y$ 로 계산하므로 $\log 0$ 이 생기지 않습니다. 그래서 모델의 마지막 층에는
    소프트맥스를 붙이지 않고 점수(logit)를 그대로 넘깁니다.

    ## 4. 다층 퍼셉트론 분류기

    세 갈래 나선(spiral) 데이터는 직선으로 나눌 수 없습니다. 입력 2 → 은닉 16 → 16 → 출력 3 (ReLU)의
    신경망을 교차 엔트로피 오차와 Adam 으로 학습합니다. 출력 3개가 세 클래스의 점수입니다.
    """),
    code("""
    X, y = make_spiral(30, classes=3, noise=0.03, seed=0)
    model = MLP(2, [16, 16, 3], activation="relu", seed=0)
    history = fit(
        model, X, y, loss="cross_entropy", optimizer="adam", lr=0.03, epochs=100, progress=False
    )
    acc = accuracy(model, X, y)
    print(f"{len(history.loss)} 에폭 동안 손실 {history.loss[0]:.3f} -> {history.loss[-1]:.4f}")
    print(f"학습 데이터 정확도 (accuracy): {acc:.3f}")
    assert acc >= 0.9 and history.loss[-1] < history.loss[0] / 5
    """),
    code("""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    loss_curve(history, ax=ax1, title="교차 엔트로피 오차 손실과 정확도")
    decision_boundary(model, X, y, ax=ax2, resolution=50, title="결정 경계 (클래스 3개)")
    plt.tight_layout()
    plt.show()
    """),
    md(r"""
    학습된 모델의 예측 확률은 소프트맥스로 얻습니다. 한 점을 골라 확인해 봅시다.
    """),
    code("""
    point, label = X[0], y[0]
    p = [q.data for q in softmax(model(point))]
    print(f"x = {[round(v, 3) for v in point]}, 정답 클래스 {label}")
    print("확률:", [round(v, 4) for v in p], " 예측한 클래스:", argmax(p))
    assert argmax(p) == label and abs(sum(p) - 1) < 1e-12
    """),
    md(r"""
    ## 요약

    - 소프트맥스 $e^{z_i}/\sum_j e^{z_j}$ 는 점수를 확률로 바꿉니다. 최댓값을 먼저 빼도 결과는 같고 넘침이
      없습니다. NumPy 소프트맥스의 출력 배열을 그대로 재현했고, 빼지 않으면 $e^{1000}$ 에서 넘치는 것을 봤습니다.
    - 정답은 원-핫 벡터로, 예측은 `argmax` 로 나타냅니다.
    - 교차 엔트로피 오차의 기울기는 $\mathbf{p} - \mathbf{t}$ 로, 확신을 갖고 틀렸을 때 크게 남습니다. 소프트맥스 위의
      평균 제곱 오차는 이때 기울기가 사라져서 분류에 잘 맞지 않습니다.
    - 다층 퍼셉트론 + 교차 엔트로피 오차로 나선 데이터를 90% 이상 맞히게 학습했습니다.

    ## 연습 문제

    답은 각 문제 아래 셀의 `None` 을 바꿔 쓰고, 그다음 셀로 채점합니다. 풀이는 접힌 칸(「풀이 보기」)에 있습니다.

    **1.** `softmax([2.0, 1.0, 0.1])` 과 `softmax([102.0, 101.0, 100.1])` 을 계산해서 같은지 확인하세요. 왜 같나요?
    """),
    *exercise(
        answer="""
        # 두 확률 벡터가 같으면 True, 다르면 False
        same_probabilities = None
        """,
        expected="True",
        hint="모든 점수에 같은 수 c 를 더하면 분자와 분모에 무엇이 똑같이 곱해지나요? (최댓값 빼기와 같은 이유)",
        solution="""
        # adding the same number to every score changes nothing (it cancels in the ratio)
        import math

        a = [p.data for p in softmax([2.0, 1.0, 0.1])]
        b = [p.data for p in softmax([102.0, 101.0, 100.1])]
        same_probabilities = all(math.isclose(x, y, rel_tol=1e-12) for x, y in zip(a, b))
        print("두 확률 벡터가 같은가:", same_probabilities)
        """,
    ),
    md(r"""
    **2.** 온도(temperature) $T$ 를 써서 $\mathrm{softmax}(\mathbf{z}/T)$ 를 계산하면, $T$ 가 작아질수록 분포는
    어떻게 변할까요? $T = 0.1$ 과 $T = 10$ 으로 확인해 보세요.
    """),
    *exercise(
        answer="""
        # T 가 작을수록 한 클래스에 몰리면 (원-핫에 가까워지면) True, 고르게 퍼지면 False
        small_T_is_sharper = None
        """,
        expected="True",
        hint="z/T 에서 T 가 작으면 점수 사이의 차이가 커지나요, 작아지나요?",
        solution="""
        # small T sharpens towards one-hot, large T flattens towards uniform
        sharp = [p.data for p in softmax([v / 0.1 for v in (2.0, 1.0, 0.1)])]
        flat = [p.data for p in softmax([v / 10 for v in (2.0, 1.0, 0.1)])]
        print("T = 0.1:", [round(v, 4) for v in sharp], "  T = 10:", [round(v, 4) for v in flat])
        small_T_is_sharper = max(sharp) > max(flat)
        """,
    ),
    further_reading(
        (book(3), "소프트맥스 함수를 구현하면서 지수 함수가 넘치지 않도록 최댓값을 빼는 방법을 설명합니다."),
        (book(4), "손실 함수로 평균 제곱 오차와 교차 엔트로피 오차를 소개하고 원-핫 정답과 함께 씁니다."),
        (book(5), "Softmax-with-Loss 계층의 역전파가 $\\mathbf{p} - \\mathbf{t}$ 로 깔끔하게 나오는 것을 계산 그래프로 보입니다."),
        (CS231N, "역전파의 직관과 벡터 연산의 기울기를 다룹니다."),
        (LECTURE, "강의 끝부분에서 손실을 정의하고 신경망을 학습하는 과정을 보여 줍니다."),
    ),
]

if __name__ == "__main__":
    build(NAME, CELLS)
