"""07 보편 근사 정리와 깊이 (seeds 001, 003)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from nbtools import build, code, exercise, intro, md, plot_setup  # noqa: E402
from nbtools import LECTURE, book, further_reading  # noqa: E402

NAME = "07_bopyeon_geunsa"

CELLS = [
    intro(r"""
    # 07. 보편 근사 정리와 깊이

    신경망 입문에서 자주 듣는 두 가지 이야기가 있습니다. 이 노트북은 둘을 직접 확인합니다.

    - **보편 근사 정리(universal approximation theorem)**: 은닉층이 하나뿐인 신경망도 너비만 충분하면 어떤
      연속함수든 원하는 만큼 가깝게 흉내 낼 수 있다. 단, 정리가 말하는 것은 그런 가중치가 **있다** 는 것뿐이고,
      학습이 그 가중치를 **찾아 준다** 는 말은 아니다.
    - **깊이의 효과**: 층을 깊게 쌓으면 같은 함수를 훨씬 적은 뉴런으로 나타낼 수 있다. 대신 학습(최적화)은
      더 까다로워진다.

    정리를 조금 더 정확히 쓰면: 닫힌 구간 $K$ 위의 연속함수 $f$ 와 $\varepsilon > 0$ 이 주어지면, 너비 $N$ 인
    은닉층 하나짜리 신경망

    $$g(x) = \sum_{j=1}^{N} c_j\,\rho(w_j x + b_j) + d$$

    중에 $\max_{x\in K} |f(x) - g(x)| < \varepsilon$ 인 것이 **존재** 합니다($\rho$ 는 ReLU 처럼 다항식이 아닌 활성화 함수).
    이 노트북에서는

    1. 은닉층 하나의 너비를 늘리면 근사가 좋아지는 것을 ReLU 신경망을 직접 만들어서 보고,
    2. 같은 파라미터 수에서 **깊은** 신경망이 **넓은** 신경망보다 훨씬 복잡한 함수를 표현하는 예를 보고,
    3. "존재한다"와 "학습으로 찾는다"가 다르다는 것을 확인합니다.
    """),
    plot_setup(
        """
        import math
        import warnings
        from itertools import pairwise

        from micrograd_kr import no_grad
        from micrograd_kr.functional import mse_loss
        from micrograd_kr.nn import MLP
        from micrograd_kr.train import fit
        """,
        then="""
        def set_layer(layer, weights, biases):
            \"\"\"Overwrite a layer's parameters: neuron j gets weights[j] and biases[j].\"\"\"
            for neuron, ws, b in zip(layer.neurons, weights, biases):
                for p, w in zip(neuron.w, ws):
                    p.data = w
                neuron.b.data = b


        def outputs(net, xs):
            with no_grad():
                return [net([x]).data for x in xs]
        """,
    ),
    md(r"""
    ## 1. 너비를 늘리면: 은닉층 하나로 연속함수 근사하기

    증명의 아이디어를 그대로 코드로 옮길 수 있습니다. 구간 $[-1, 1]$ 을 $N$ 조각으로 나눈 점
    $k_0 < k_1 < \dots < k_N$ 에서 $f$ 를 잇는 꺾은선은

    $$g(x) = f(k_0) + \sum_{j=0}^{N-1} c_j\,\mathrm{ReLU}(x - k_j), \qquad
    c_j = s_j - s_{j-1}\ (s_{-1} = 0)$$

    입니다. 여기서 $s_j$ 는 $j$ 번째 조각의 기울기입니다. $\mathrm{ReLU}(x - k_j)$ 는 $k_j$ 에서부터 기울기를
    $c_j$ 만큼 바꾸는 "경첩"이기 때문입니다. 이것은 정확히 **은닉 뉴런 $N$ 개짜리 1-$N$-1 ReLU 신경망** 입니다
    (은닉 뉴런 $j$: 가중치 1, 편향 $-k_j$ / 출력: 가중치 $c_j$, 편향 $f(k_0)$). 꺾은선 근사의 오차는
    $\max|f - g| \le \frac{h^2}{8}\max|f''|$ ($h = 2/N$)이므로, 너비를 두 배로 하면 오차는 약 4분의 1이 됩니다.
    """),
    code("""
    def f(x):
        return math.sin(3 * x) + 0.4 * math.cos(7 * x)


    def hinge_network(width):
        knots = [-1 + 2 * j / width for j in range(width + 1)]
        slopes = [(f(b) - f(a)) / (b - a) for a, b in pairwise(knots)]
        changes = [slopes[0]] + [s - r for r, s in pairwise(slopes)]
        net = MLP(1, [width, 1], activation="relu", seed=0)
        set_layer(net.layers[0], [[1.0]] * width, [-k for k in knots[:-1]])
        set_layer(net.layers[1], [changes], [f(knots[0])])
        return net


    grid = [-1 + 2 * i / 400 for i in range(401)]
    target = [f(x) for x in grid]
    widths = [2, 4, 8, 16, 32, 64]
    errors = []
    for width in widths:
        approx = outputs(hinge_network(width), grid)
        errors.append(max(abs(a - t) for a, t in zip(approx, target)))
        print(f"너비 {width:3d}: 최대 오차 max |f - g| = {errors[-1]:.5f}")

    assert all(b < a for a, b in pairwise(errors))  # wider is always better here
    assert errors[-1] / errors[-2] < 0.3  # about 1/4 per doubling once the pieces are short
    assert errors[-1] < 0.01
    """),
    code("""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4))
    ax1.plot(grid, target, "k", lw=3, alpha=0.35, label="f(x) = sin 3x + 0.4 cos 7x")
    for width in (2, 4, 8, 16):
        ax1.plot(grid, outputs(hinge_network(width), grid), label=f"1-{width}-1 ReLU 신경망")
    ax1.set_xlabel("x")
    ax1.set_title("은닉층 하나, 너비를 늘리며")
    ax1.legend(fontsize=8)
    ax2.loglog(widths, errors, "o-", label="최대 오차 max |f - g|")
    ax2.loglog(widths, [errors[-1] * (widths[-1] / w) ** 2 for w in widths], "k:", label="기울기 −2")
    ax2.set_xticks(widths, [str(w) for w in widths])
    ax2.set_xticks([], minor=True)
    ax2.set_xlabel("은닉층 너비 N")
    ax2.set_ylabel("최대 오차")
    ax2.set_title("오차는 1/N²처럼 줄어듭니다")
    ax2.legend()
    plt.tight_layout()
    plt.show()
    """),
    md(r"""
    ## 2. 깊이: 같은 파라미터 수로 훨씬 많은 꺾임

    "천막" 함수 $t(x) = 2\,\mathrm{ReLU}(x) - 4\,\mathrm{ReLU}(x - \tfrac12)$ 는 $[0, 1]$ 에서 0 → 1 → 0 으로
    올라갔다 내려오는 꺾은선입니다. ReLU 뉴런 2개면 만들 수 있습니다. 이것을 $L$ 번 합성한
    $t^{(L)} = t \circ t \circ \dots \circ t$ 는 톱니가 $2^{L-1}$ 개, 곧 직선 조각이 $2^L$ 개인 톱니 함수입니다.
    한 번 합성할 때마다 톱니 수가 두 배가 되기 때문입니다.

    - **깊은 신경망**: 너비 2인 은닉층 $L$ 개 (1-2-2-…-2-1). 파라미터 수는 $4 + 6(L-1) + 3 = 6L + 1$.
      $L = 5$ 이면 파라미터 31개로 직선 조각 32개.
    - **넓은 신경망**: 은닉층 하나 (1-$N$-1). 파라미터 수 $3N + 1$. 같은 31개가 되려면 $N = 10$, 그리고 ReLU
      $N$ 개로 만들 수 있는 꺾은선의 조각은 **많아야 $N + 1 = 11$ 개** 입니다.
    """),
    code("""
    def sawtooth_network(depth):
        net = MLP(1, [2] * depth + [1], activation="relu", seed=0)
        set_layer(net.layers[0], [[1.0], [1.0]], [0.0, -0.5])
        for layer in net.layers[1:-1]:  # read the tent t = 2 h1 - 4 h2 of the layer below
            set_layer(layer, [[2.0, -4.0], [2.0, -4.0]], [0.0, -0.5])
        set_layer(net.layers[-1], [[2.0, -4.0]], [0.0])
        return net


    def count_pieces(values, xs):
        \"\"\"Number of straight pieces of a piecewise-linear function sampled on a fine grid.\"\"\"
        slopes = [(b - a) / (x1 - x0) for a, b, x0, x1 in zip(values, values[1:], xs, xs[1:])]
        return 1 + sum(abs(s - r) > 1e-6 for r, s in pairwise(slopes))


    fine = [i / 1024 for i in range(1025)]  # the kinks sit at multiples of 1/32: on the grid
    deep = sawtooth_network(5)
    wide = MLP(1, [10, 1], activation="relu", seed=0)
    print("매개변수 수: 깊은 신경망", deep.num_parameters(), "  넓은 신경망", wide.num_parameters())
    deep_pieces = count_pieces(outputs(deep, fine), fine)
    print("깊은 신경망이 그리는 직선 조각 수:", deep_pieces)
    assert deep.num_parameters() == wide.num_parameters() == 31
    assert deep_pieces == 2**5
    """),
    md(r"""
    넓은 신경망이 이 톱니를 얼마나 흉내 낼 수 있는지, 톱니 위의 점 129개에 대해 학습시켜 봅니다.
    """),
    code("""
    X = [[i / 128] for i in range(129)]
    Y = outputs(deep, [x[0] for x in X])
    wide_history = fit(wide, X, Y, loss="mse", optimizer="adam", lr=0.05, epochs=150, progress=False)


    def mse_of(net):
        with no_grad():
            return mse_loss([net(x) for x in X], Y).data


    mean_Y = sum(Y) / len(Y)
    variance = sum((v - mean_Y) ** 2 for v in Y) / len(Y)  # the mean squared error of predicting the mean
    wide_pieces = count_pieces(outputs(wide, fine), fine)
    print(f"넓은 1-10-1, 학습 뒤: 평균 제곱 오차 = {mse_of(wide):.4f}, 조각 {wide_pieces}개")
    print(f"깊은 1-2-2-2-2-2-1, 손으로 만든 가중치: 평균 제곱 오차 = {mse_of(deep):.2e}")
    print(f"(언제나 평균값을 예측하면: 평균 제곱 오차 = {variance:.4f})")
    assert wide_pieces <= 11 and mse_of(wide) > 0.8 * variance and mse_of(deep) < 1e-20
    """),
    code("""
    plt.figure(figsize=(11, 3.6))
    plt.plot(fine, outputs(deep, fine), lw=2, label="깊은 1-2-2-2-2-2-1 (매개변수 31개): 조각 32개")
    plt.plot(fine, outputs(wide, fine), lw=2, label="넓은 1-10-1 (매개변수 31개), 학습함")
    plt.xlabel("x")
    plt.title("매개변수 수가 같을 때: 깊이는 합성하고, 너비는 더할 뿐")
    plt.legend(loc="lower right")
    plt.show()
    """),
    md(r"""
    넓은 신경망은 톱니의 평균 0.5 근처를 지나는 거의 평평한 선밖에 만들지 못합니다. 평균 제곱 오차가 "언제나 평균값을
    예측하기"(데이터의 분산)와 같은 수준입니다. 깊은 신경망은 같은 31개의 파라미터로 톱니를 정확히 표현합니다. 깊이는 **합성** 이라 꺾임 수를 곱으로
    늘리고, 너비는 꺾임을 **더할** 뿐이기 때문입니다.

    ## 3. 존재한다 ≠ 학습으로 찾는다

    그렇다면 깊은 신경망을 무작위 초깃값에서 학습하면 이 톱니를 찾을까요? 같은 구조 1-2-2-2-2-2-1 을 학습해 봅니다.
    """),
    code("""
    deep_trained = MLP(1, [2] * 5 + [1], activation="relu", seed=0)
    with warnings.catch_warnings(record=True) as caught:  # fit's warnings, printed below
        warnings.simplefilter("always")
        fit(deep_trained, X, Y, loss="mse", optimizer="adam", lr=0.05, epochs=150, progress=False)
    print(f"무작위 초깃값에서 학습한 깊은 신경망: 평균 제곱 오차 = {mse_of(deep_trained):.4f}")
    for warning in caught:
        print("fit 의 경고:", warning.message)
    assert mse_of(deep_trained) > 0.8 * variance  # the weights exist (section 2), training did not find them
    """),
    md(r"""
    학습으로는 찾지 못합니다. 정답 가중치는 분명히 존재하지만(2절에서 직접 만들었습니다), 경사 하강법이 그곳에
    도달한다는 보장은 없습니다. 처음에 본 두 이야기의 단서, "있다는 것뿐, 찾아 준다는 말은 아니다" 와 "학습은 더
    까다로워진다" 가 바로 이 뜻입니다. 이번에는 `fit` 의 경고대로 너비 2인 은닉층 하나의 유닛이 둘 다 죽어
    (죽은 ReLU) 출력이 상수가 되었습니다. 왜 그런 일이 생기고 ReLU 를 왜 쓰는지는 노트북 12 에서 다룹니다.

    ## 요약

    - 보편 근사 정리: 은닉층 하나짜리 신경망으로 연속함수를 원하는 만큼 가깝게 근사할 수 있습니다. ReLU 뉴런 $N$ 개로
      꺾은선 보간을 만들면 최대 오차가 $1/N^2$ 처럼 줄어드는 것을 확인했습니다.
    - 같은 파라미터 31개로, 깊은 신경망(1-2-2-2-2-2-1)은 직선 조각 32개의 톱니를 정확히 표현하지만 넓은 신경망(1-10-1)은
      조각이 많아야 11개라 흉내 내지 못합니다.
    - 정리는 존재만 말합니다. 같은 깊은 구조도 무작위 초깃값에서 학습하면 그 해를 찾지 못했습니다.

    ## 연습 문제

    답은 각 문제 아래 셀의 `None` 을 바꿔 쓰고, 그다음 셀로 채점합니다. 풀이는 접힌 칸(「풀이 보기」)에 있습니다.

    **1.** 깊이 $L$ 인 톱니 신경망의 파라미터 수와 직선 조각 수를 $L = 1, \dots, 6$ 에 대해 표로 만들어 보세요.
    같은 파라미터 수의 1-$N$-1 신경망이 가질 수 있는 최대 조각 수 $N + 1$ 과 비교하면 어떻게 되나요?
    """),
    *exercise(
        answer="""
        # 깊이 L = 6 인 톱니 신경망의 파라미터 수와 직선 조각 수 (정수)
        params_at_depth_6 = None
        pieces_at_depth_6 = None
        """,
        expected="(6 * 6 + 1, 2**6)",
        hint="층 하나가 조각 수를 두 배로 만듭니다. 파라미터는 층마다 몇 개씩 늘어나나요?",
        solution="""
        # depth L: 6L + 1 parameters and 2^L pieces; width N = 2L has at most 2L + 1 pieces
        for depth in range(1, 7):
            net = sawtooth_network(depth)
            pieces = count_pieces(outputs(net, fine), fine)
            n_wide = (net.num_parameters() - 1) // 3
            print(f"L = {depth}: 매개변수 {net.num_parameters():2d}개, 조각 {pieces:2d}개 (같은 매개변수의 넓은 신경망: {n_wide + 1}개 이하)")
        params_at_depth_6, pieces_at_depth_6 = 6 * 6 + 1, 2**6
        """,
    ),
    md(r"""
    **2.** 1절의 `hinge_network` 에서 너비 64 의 오차가 $0.01$ 보다 작았습니다. 오차 한계
    $\frac{h^2}{8}\max|f''|$ 로 계산한 값보다 실제 오차가 작은지 확인해 보세요. ($|f''| \le 9 + 0.4 \cdot 49$)
    """),
    *exercise(
        answer="""
        # 너비 64 의 실제 오차가 오차 한계 이하이면 True, 넘으면 False
        error_within_bound = None
        """,
        expected="True",
        hint="구간 [-1, 1] 을 64 조각으로 나누면 h = 2/64 입니다. 한계를 계산해 errors[-1] 과 비교하세요.",
        solution="""
        # the interpolation bound h^2/8 * max|f''| with h = 2/64
        bound = (2 / 64) ** 2 / 8 * (9 + 0.4 * 49)
        print(f"너비 64: 실제 오차 {errors[-1]:.5f}, 오차 한계 {bound:.5f}")
        error_within_bound = errors[-1] <= bound
        """,
    ),
    further_reading(
        (book(3), "층을 여러 개 쌓은 신경망의 순전파를 구현합니다. 은닉층의 너비와 깊이가 무엇인지 여기서 익힐 수 있습니다."),
        (book(6), "깊은 신경망을 학습할 때 초깃값과 최적화 방법이 왜 중요한지 다룹니다 (3절에서 학습이 실패한 이유와 이어집니다)."),
        (LECTURE, "같은 `Value` 위에서 MLP 를 만들고 학습하는 과정을 처음부터 보여 줍니다."),
    ),
]

if __name__ == "__main__":
    build(NAME, CELLS)
