"""05 층을 쌓는다는 것 (seeds 001, 003, 004)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from nbtools import build, code, exercise, intro, md, plot_setup  # noqa: E402
from nbtools import LECTURE, book, further_reading  # noqa: E402

NAME = "05_cheung_ssatgi"

CELLS = [
    intro(r"""
    # 05. 층을 쌓는다는 것

    선형 층은 행렬 곱과 덧셈입니다. 그런데 행렬 곱 두 번은 행렬 곱 한 번으로 합쳐지므로, 선형 층을 아무리 많이
    쌓아도 $W_2$ 와 $W_1$ 이 곱해진 가중치 하나짜리 층과 같습니다. 신경망 입문 강의에서 흔히 하는 두 실습이
    이것을 보여 줍니다 (이 노트북에서 처음부터 다시 합니다).

    - **실습 2**: 선형 층 2개로 $y = x^2$ 를 예측하면? → 직선밖에 못 그린다.
    - **실습 3**: 선형 층과 활성화 함수를 함께 쓰면? → 곡선을 그릴 수 있다.

    이 노트북에서 세 가지를 모두 숫자와 그림으로 확인합니다.
    """),
    plot_setup(
        """
        import numpy as np

        from micrograd_kr import no_grad
        from micrograd_kr.data import make_parabola
        from micrograd_kr.functional import mse_loss
        from micrograd_kr.nn import MLP, Layer
        from micrograd_kr.plot import fit_curve
        from micrograd_kr.train import fit
        """,
    ),
    md(r"""
    ## 1. 선형 층 두 개는 선형 층 하나다

    선형 층은 $\mathbf{h} = W_1^\top \mathbf{x} + \mathbf{b}_1$ 입니다. 두 개를 이으면

    $$
    \mathbf{y} = W_2^\top \mathbf{h} + \mathbf{b}_2
    = W_2^\top\left(W_1^\top \mathbf{x} + \mathbf{b}_1\right) + \mathbf{b}_2
    = \underbrace{\left(W_2^\top W_1^\top\right)}_{W^\top}\mathbf{x}
      + \underbrace{\left(W_2^\top \mathbf{b}_1 + \mathbf{b}_2\right)}_{\mathbf{b}}
    $$

    곧 하나의 선형 층 $W^\top \mathbf{x} + \mathbf{b}$ 와 똑같습니다. 입력 3개 → 4개 → 2개 짜리 두 층을
    만들어서 확인합니다. `Layer(..., activation="linear")` 의 뉴런 $j$ 는 $W^\top$ 의 $j$ 번째 행
    (`neuron.w`)과 $\mathbf{b}$ 의 $j$ 번째 성분(`neuron.b`)을 가집니다.
    """),
    code("""
    layer1 = Layer(3, 4, activation="linear", seed=1)
    layer2 = Layer(4, 2, activation="linear", seed=2)


    def matrices(layer):
        WT = np.array([[w.data for w in n.w] for n in layer.neurons])
        b = np.array([n.b.data for n in layer.neurons])
        return WT, b


    W1T, b1 = matrices(layer1)
    W2T, b2 = matrices(layer2)
    WT = W2T @ W1T  # the single layer the stack collapses into
    b = W2T @ b1 + b2
    print("W2ᵀ W1ᵀ (두 층을 합친 가중치) =\\n", WT.round(4))
    print("W2ᵀ b1 + b2 (합친 편향) =", b.round(4))
    """),
    code("""
    rng = np.random.default_rng(0)
    for x in rng.uniform(-3, 3, size=(5, 3)):
        two_layers = [v.data for v in layer2(layer1(list(x)))]
        one_layer = WT @ x + b
        print(np.round(two_layers, 6), np.round(one_layer, 6))
        assert np.allclose(two_layers, one_layer, atol=1e-12)
    """),
    md(r"""
    활성화 함수 $\rho$ 를 사이에 넣으면 $W_2^\top \rho(W_1^\top \mathbf{x} + \mathbf{b}_1) + \mathbf{b}_2$ 가 되어
    더 이상 행렬 하나로 합쳐지지 않습니다. 선형(정확히는 아핀) 함수라면 $f(\mathbf{a}+\mathbf{d}) - f(\mathbf{a})$
    가 $\mathbf{a}$ 와 상관없이 같아야 하는데, ReLU 를 넣으면 이 성질이 깨지는 것을 확인합니다.
    """),
    code("""
    relu1 = Layer(3, 4, activation="relu", seed=1)


    def stacked(x, first):
        return np.array([v.data for v in layer2(first(list(x)))])


    d = np.array([0.5, -0.25, 1.0])
    a1, a2 = np.array([1.0, 2.0, -1.0]), np.array([-2.0, 0.5, 3.0])
    linear_steps = [stacked(a + d, layer1) - stacked(a, layer1) for a in (a1, a2)]
    relu_steps = [stacked(a + d, relu1) - stacked(a, relu1) for a in (a1, a2)]
    print("선형 층만    :", linear_steps[0].round(4), linear_steps[1].round(4))
    print("ReLU 를 넣으면:", relu_steps[0].round(4), relu_steps[1].round(4))
    assert np.allclose(*linear_steps) and not np.allclose(*relu_steps)
    """),
    md(r"""
    ## 2. 실습 2: 선형 층 2개로 $y = x^2$ 예측하기

    $[-1, 1]$ 에서 뽑은 점 40개의 $y = x^2$ 를, 활성화 함수 없는 2층 신경망(1 → 8 → 1)으로 학습합니다.
    1절에 따르면 이 신경망은 아무리 학습해도 직선 $\hat y = wx + b$ 입니다. 그러니 가장 잘해 봐야
    **최소제곱 직선** 의 손실까지만 내려갈 수 있습니다. 그 직선은 정규방정식으로 바로 구합니다.
    """),
    code("""
    X, y = make_parabola(40, seed=0)
    xs = np.array([p[0] for p in X])
    slope, intercept = np.polyfit(xs, y, 1)
    best_line_loss = float(np.mean((slope * xs + intercept - np.array(y)) ** 2))
    print(f"최소제곱 직선: y = {slope:.4f} x + {intercept:.4f},  평균 제곱 오차 = {best_line_loss:.6f}")
    """),
    code("""
    def mse_on_data(model):
        with no_grad():
            return mse_loss([model(x) for x in X], y).data


    linear_net = MLP(1, [8, 1], activation="linear", seed=0)
    linear_history = fit(
        linear_net, X, y, loss="mse", optimizer="adam", lr=0.05, epochs=300, progress=False
    )
    linear_loss = mse_on_data(linear_net)
    print(f"선형 1-8-1 신경망: 평균 제곱 오차 = {linear_loss:.6f}  (최소제곱 직선 {best_line_loss:.6f})")
    """),
    md(r"""
    학습이 끝난 선형 신경망의 손실은 최소제곱 직선의 손실과 같고, 그보다 낮아질 수 없습니다.
    학습된 두 층을 1절처럼 합치면 그 직선의 기울기와 절편이 나옵니다.
    """),
    code("""
    (A1, c1), (A2, c2) = (matrices(layer) for layer in linear_net.layers)
    w_total, b_total = (A2 @ A1).item(), (A2 @ c1 + c2).item()
    print(f"하나로 합친 신경망: y = {w_total:.4f} x + {b_total:.4f}")

    assert linear_loss >= best_line_loss * (1 - 1e-9)  # no linear stack beats the best line
    assert linear_loss < best_line_loss * 1.001  # and this one reached it
    assert abs(w_total - slope) < 1e-2 and abs(b_total - intercept) < 1e-2
    """),
    md(r"""
    ## 3. 실습 3: 활성화 함수를 넣으면

    같은 크기(1 → 16 → 1)에 ReLU 를 넣은 신경망을 같은 방법으로 학습합니다. ReLU 뉴런 하나는 꺾인 직선
    $\max(0, w x + b)$ 이므로, 여러 개를 더하면 꺾은선으로 포물선을 따라갈 수 있습니다.
    """),
    code("""
    relu_net = MLP(1, [16, 1], activation="relu", seed=0)
    relu_history = fit(
        relu_net, X, y, loss="mse", optimizer="adam", lr=0.05, epochs=300, progress=False
    )
    relu_loss = mse_on_data(relu_net)
    print(f"ReLU 1-16-1 신경망: 평균 제곱 오차 = {relu_loss:.6f}  (최소제곱 직선 {best_line_loss:.6f})")
    assert relu_loss < best_line_loss / 10
    """),
    code("""
    fig, axes = plt.subplots(1, 3, figsize=(14, 4))
    fit_curve(linear_net, X, y, ax=axes[0], title="선형 층 두 개: 직선")
    fit_curve(relu_net, X, y, ax=axes[1], title="ReLU를 넣으면: 꺾인 선이 x²를 따라감")
    epochs = range(1, 301)
    axes[2].plot(epochs, linear_history.loss, color="tab:blue", label="선형 층 두 개")
    axes[2].plot(epochs, relu_history.loss, color="tab:red", label="ReLU 포함")
    axes[2].axhline(best_line_loss, color="gray", ls=":", lw=2, label="가장 좋은 직선")
    axes[2].set_yscale("log")
    axes[2].set_xlabel("에폭 (epoch)")
    axes[2].set_ylabel("평균 제곱 오차 (MSE)")
    axes[2].set_title("학습 손실")
    axes[2].legend()
    plt.tight_layout()
    plt.show()
    """),
    md(r"""
    선형 신경망의 손실(파란 선)은 회색 점선(최소제곱 직선)에 붙어 멈추고, ReLU 신경망은 그 아래로 계속
    내려갑니다. 두 실습의 결론: **선형 층만 여러 개 쌓는 것은 층 하나와 다를 바 없고**, **층 사이에 활성화
    함수를 넣어야 곡선(비선형성)을 표현할 수 있습니다.**

    ## 요약

    - 선형 층 두 개 $W_2^\top(W_1^\top\mathbf{x} + \mathbf{b}_1) + \mathbf{b}_2$ 는 선형 층 하나
      $(W_2^\top W_1^\top)\mathbf{x} + (W_2^\top\mathbf{b}_1 + \mathbf{b}_2)$ 입니다. 숫자로 확인했습니다.
    - 그래서 선형 층만 쌓은 신경망은 $y = x^2$ 에 대해 최소제곱 직선보다 나아질 수 없습니다(실습 2).
    - 층 사이에 활성화 함수(ReLU)를 넣으면 손실이 최소제곱 직선의 10분의 1 아래로 내려갑니다(실습 3).

    ## 연습 문제

    답은 각 문제 아래 셀의 `None` 을 바꿔 쓰고, 그다음 셀로 채점합니다. 풀이는 접힌 칸(「풀이 보기」)에 있습니다.

    **1.** 실습 3을 ReLU 대신 `activation="tanh"` 로 해 보세요. 직선(최소제곱 직선)보다 나아지나요?
    """),
    *exercise(
        answer="""
        # tanh 신경망의 손실이 최소제곱 직선의 손실보다 작아지면 True, 아니면 False
        tanh_beats_line = None
        """,
        expected="True",
        hint="tanh 는 선형 함수인가요? 비선형 활성화 함수가 있으면 층을 쌓은 효과가 생깁니다.",
        solution="""
        # tanh is nonlinear too: the loss drops far below the best line
        tanh_net = MLP(1, [16, 1], activation="tanh", seed=0)
        fit(tanh_net, X, y, loss="mse", optimizer="adam", lr=0.05, epochs=300, progress=False)
        tanh_beats_line = mse_on_data(tanh_net) < best_line_loss
        print(f"tanh 신경망: {mse_on_data(tanh_net):.6f}   최소제곱 직선: {best_line_loss:.6f}")
        """,
    ),
    md(r"""
    **2.** 실습 2의 선형 신경망을 1 → 32 → 32 → 1 로 훨씬 크게 만들면 손실이 최소제곱 직선 아래로 내려갈까요?
    학습하기 전에 답을 예상해 보세요.
    """),
    *exercise(
        answer="""
        # 큰 선형 신경망의 손실이 최소제곱 직선보다 작아질 수 있으면 True, 아니면 False
        big_linear_beats_line = None
        """,
        expected="False",
        hint="선형 층 여러 개는 행렬 곱 W₂ᵀW₁ᵀ 처럼 하나로 합쳐집니다. 결과는 어떤 모양의 함수인가요?",
        solution="""
        # no: however wide or deep, a linear stack is one straight line
        big_linear = MLP(1, [32, 32, 1], activation="linear", seed=0)
        fit(big_linear, X, y, loss="mse", optimizer="adam", lr=0.01, epochs=10, progress=False)
        big_linear_beats_line = mse_on_data(big_linear) < best_line_loss * (1 - 1e-9)
        print(f"큰 선형 신경망: {mse_on_data(big_linear):.6f}   최소제곱 직선: {best_line_loss:.6f}")
        """,
    ),
    further_reading(
        (book(3), "층을 쌓은 신경망의 순전파를 행렬 곱으로 쓰고, 활성화 함수가 왜 비선형이어야 하는지 설명합니다."),
        (LECTURE, "뉴런, 층, MLP 를 `Value` 위에 만드는 부분이 이 노트북의 신경망과 같은 구조입니다."),
    ),
]

if __name__ == "__main__":
    build(NAME, CELLS)
