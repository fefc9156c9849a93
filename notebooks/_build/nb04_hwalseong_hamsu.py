"""04 활성화 함수 (seeds 000, 003, 004)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from nbtools import build, code, exercise, intro, md, plot_setup  # noqa: E402
from nbtools import LECTURE, book, further_reading  # noqa: E402

NAME = "04_hwalseong_hamsu"

CELLS = [
    intro(r"""
    # 04. 활성화 함수

    선형 변환만 여러 번 쌓으면 결국 선형 변환 하나입니다(05번 노트북에서 직접 확인합니다).
    그래서 층과 층 사이에 **비선형** 함수 $\rho$ 를 끼워 넣습니다.

    $$\mathbf{y} = W_2^\top\,\rho\!\left(W_1^\top \mathbf{x}\right)$$

    이 함수를 **활성화 함수(activation function)** 라고 부릅니다. 활성화 함수는 벡터의 각 성분(실수 하나)에
    따로따로 적용됩니다. 신경망 입문에서 자주 만나는 여섯 가지를 살펴봅니다.

    | 이름 | $f(x)$ | $f'(x)$ |
    |---|---|---|
    | Sigmoid | $\sigma(x) = \dfrac{1}{1+e^{-x}}$ | $\sigma(x)\,(1-\sigma(x))$ |
    | tanh | $\tanh x$ | $1 - \tanh^2 x$ |
    | ReLU | $\max(0, x)$ | $1$ ($x>0$), $0$ ($x<0$) |
    | Leaky ReLU | $\max(0.1x, x)$ | $1$ ($x>0$), $0.1$ ($x<0$) |
    | ELU | $x$ ($x \ge 0$), $\alpha(e^x-1)$ ($x<0$) | $1$ ($x>0$), $\alpha e^x$ ($x<0$) |
    | Maxout | $\max(w_1 x + b_1,\; w_2 x + b_2)$ | 더 큰 쪽의 기울기 $w_j$ |

    표의 미분은 손으로 구한 것입니다. 그림에서는 엔진의 `backward()` 가 구한 미분을 이 식과 겹쳐 그리고,
    코드로 두 값이 같은지 확인합니다. Leaky ReLU 의 음수 쪽 기울기는 여기서 0.1, 곧 $\max(0.1x, x)$ 로 둡니다
    (강의 자료에서 흔히 쓰는 값입니다. PyTorch 의 기본값은 0.01).
    """),
    plot_setup(
        """
        import math

        from micrograd_kr import Value, gradcheck, maximum
        """,
    ),
    md(r"""
    ## 엔진으로 미분하기

    입력 하나를 `Value` 로 만들고, 함수를 통과시킨 뒤 `backward()` 를 부르면 `x.grad` 가
    $f'(x)$ 입니다.
    """),
    code("""
    def engine_derivative(f, x):
        v = Value(x)
        out = f(v)
        out.backward()
        return v.grad


    x = Value(0.0)
    y = x.sigmoid()
    y.backward()
    print(f"sigmoid(0) = {y.data}, sigmoid'(0) = {x.grad}")
    assert x.grad == 0.25
    """),
    md(r"""
    ## 여섯 활성화 함수와 그 미분

    아래 표의 각 항목은 (엔진으로 계산하는 함수, 손으로 구한 미분 식) 의 쌍입니다.
    Maxout 은 직선 두 개 $w_1 x + b_1 = -0.5x - 1$, $w_2 x + b_2 = 1.5x + 0.5$ 중 큰 쪽을 고릅니다.
    """),
    code("""
    def sig(x):
        return 1 / (1 + math.exp(-x))


    ACTIVATIONS = {
        "sigmoid": (lambda v: v.sigmoid(), lambda x: sig(x) * (1 - sig(x))),
        "tanh": (lambda v: v.tanh(), lambda x: 1 - math.tanh(x) ** 2),
        "ReLU": (lambda v: v.relu(), lambda x: 1.0 if x > 0 else 0.0),
        "Leaky ReLU (0.1)": (lambda v: v.leaky_relu(0.1), lambda x: 1.0 if x > 0 else 0.1),
        "ELU (alpha=1)": (lambda v: v.elu(1.0), lambda x: 1.0 if x > 0 else math.exp(x)),
        "Maxout": (
            lambda v: maximum(-0.5 * v - 1, 1.5 * v + 0.5),
            lambda x: -0.5 if -0.5 * x - 1 > 1.5 * x + 0.5 else 1.5,
        ),
    }

    FORMULAS = {
        "sigmoid": r"$1/(1+e^{-x})$",
        "tanh": r"$\\tanh\\,x$",
        "ReLU": r"$\\max(0, x)$",
        "Leaky ReLU (0.1)": r"$\\max(0.1x, x)$",
        "ELU (alpha=1)": r"$x$ or $e^x - 1$",
        "Maxout": r"$\\max(-0.5x - 1,\\ 1.5x + 0.5)$",
    }
    grid = [i / 25 - 4 + 0.01 for i in range(200)]  # -3.99 ... 3.95, no point on a kink
    """),
    code("""
    fig, axes = plt.subplots(2, 3, figsize=(12, 6.5))
    for ax, (name, (f, df)) in zip(axes.flat, ACTIVATIONS.items()):
        values = [f(Value(x)).data for x in grid]
        engine = [engine_derivative(f, x) for x in grid]
        hand = [df(x) for x in grid]
        assert max(abs(a - b) for a, b in zip(engine, hand)) < 1e-12, name
        ax.plot(grid, values, lw=2.5, label="f(x)")
        ax.plot(grid, engine, lw=4, alpha=0.45, label="f'(x): backward() 결과")
        ax.plot(grid, hand, "k:", lw=1.5, label="f'(x): 손으로 구한 식")
        ax.axhline(0, color="gray", lw=0.5)
        ax.axvline(0, color="gray", lw=0.5)
        ax.set_title(f"{name}:  {FORMULAS[name]}")
        ax.set_xlabel("x")
    axes.flat[0].legend(loc="upper left", fontsize=8)
    plt.tight_layout()
    plt.show()
    """),
    md(r"""
    모든 점에서 엔진의 미분(굵고 옅은 선)과 손으로 구한 식(점선)이 겹칩니다. 위의 `assert` 가
    그 차이가 $10^{-12}$ 보다 작다는 것을 확인했습니다. 꺾이는 점($x=0$ 등)에서는 미분이 정의되지 않으므로
    격자에서 뺐습니다. 엔진은 관례대로 ReLU 의 $x=0$ 에서의 기울기를 0으로 둡니다.

    미분을 식과 비교하는 또 하나의 독립적인 방법은 **중앙 차분** 입니다.

    $$f'(x) \approx \frac{f(x+\varepsilon) - f(x-\varepsilon)}{2\varepsilon}$$

    `gradcheck` 가 이 비교를 해 줍니다.
    """),
    code("""
    for f, _ in ACTIVATIONS.values():
        for x in (-2.3, -0.7, 0.4, 1.9):
            gradcheck(f, [x])
    print("여섯 활성화 함수 모두 기울기 확인 (gradcheck) 통과")
    """),
    md(r"""
    ## 그림에서 읽어 낼 것

    - **Sigmoid** 의 미분은 아무리 커도 $\sigma'(0) = 0.25$ 입니다. 층을 지날 때마다 기울기에 0.25 이하의
      수가 곱해지니, 층이 깊으면 기울기가 사라집니다(vanishing gradient). $|x|$ 가 크면 미분은 거의 0입니다.
    - **tanh** 는 0을 중심으로 대칭이고 $\tanh'(0) = 1$ 이지만, 역시 양 끝에서 미분이 0으로 갑니다.
    - **ReLU** 는 $x>0$ 에서 미분이 정확히 1이라 기울기가 줄지 않습니다. 대신 $x<0$ 이면 기울기가 0이라
      그 뉴런은 배우지 못합니다("죽은 ReLU").
    - **Leaky ReLU** 와 **ELU** 는 $x<0$ 에서도 작은 기울기를 남겨 이 문제를 덜어 줍니다.
    - **Maxout** 은 직선 여러 개 중 가장 큰 것을 고르므로, 직선을 학습해서 ReLU 도 Leaky ReLU 도 될 수 있습니다.

    실제 신경망에서는 ReLU 가 가장 널리 쓰이지만, 어느 활성화 함수가 가장 좋은지는 문제마다 다릅니다.
    위의 설명을 숫자로 확인합니다.
    """),
    code("""
    sigmoid_slopes = [engine_derivative(lambda v: v.sigmoid(), x) for x in grid]
    assert max(sigmoid_slopes) <= 0.25
    assert engine_derivative(lambda v: v.sigmoid(), 10.0) < 1e-4  # saturated
    assert engine_derivative(lambda v: v.tanh(), 0.0) == 1.0
    assert engine_derivative(lambda v: v.relu(), 123.0) == 1.0
    assert engine_derivative(lambda v: v.relu(), -3.0) == 0.0  # a dead ReLU passes nothing back
    assert engine_derivative(lambda v: v.leaky_relu(0.1), -3.0) == 0.1

    # Maxout with the right lines is ReLU, max(0*x + 0, 1*x + 0), and Leaky ReLU, max(0.1x, x)
    for x in grid:
        assert maximum(0 * Value(x), Value(x)).data == Value(x).relu().data
        assert maximum(0.1 * Value(x), Value(x)).data == Value(x).leaky_relu(0.1).data
    print("위의 설명이 모두 숫자로 확인되었습니다")
    """),
    md(r"""
    ## 큰 입력에서도 안전하게

    $\sigma(x) = 1/(1+e^{-x})$ 를 그대로 계산하면 $x = -1000$ 에서 $e^{1000}$ 이 넘칩니다(overflow).
    엔진의 `sigmoid`, `tanh` 는 식을 바꿔 써서 (예: $x<0$ 이면 $e^{x}/(1+e^{x})$) 어떤 유한한 입력에서도
    넘치지 않습니다.
    """),
    code("""
    for x in (-1000.0, 1000.0):
        v = Value(x)
        s = v.sigmoid()
        s.backward()
        print(f"x = {x:+.0f}: sigmoid = {s.data}, tanh = {Value(x).tanh().data}, grad = {v.grad}")
        assert 0.0 <= s.data <= 1.0 and v.grad == 0.0

    try:
        math.exp(1000)
    except OverflowError as err:
        print("그냥 math.exp(1000) 은 넘칩니다 (OverflowError):", err)
    """),
    md(r"""
    ## 요약

    - 활성화 함수는 층 사이에 비선형성을 넣어, 층을 쌓는 것이 의미 있게 만듭니다.
    - Sigmoid, tanh 는 양 끝에서 미분이 0에 가까워지고(sigmoid 는 최대 0.25), ReLU 는 양수 쪽에서 미분이 1,
      음수 쪽에서 0입니다. Leaky ReLU($\max(0.1x, x)$), ELU 는 음수 쪽에도 기울기를 남깁니다.
      Maxout 은 직선들의 최댓값이라 ReLU 와 Leaky ReLU 를 특수한 경우로 포함합니다.
    - 엔진의 `backward()` 가 구한 미분은 손으로 구한 식, 그리고 중앙 차분과 일치합니다.

    ## 연습 문제

    답은 각 문제 아래 셀의 `None` 을 바꿔 쓰고, 그다음 셀로 채점합니다. 풀이는 접힌 칸(「풀이 보기」)에 있습니다.

    **1.** Softplus $\;\mathrm{softplus}(x) = \log(1 + e^x)$ 는 ReLU 를 매끄럽게 만든 함수입니다. 미분을 손으로
    구하고(힌트: 어떤 활성화 함수가 나오나요?), `Value.softplus` 의 `backward()` 결과와 비교해 보세요.
    """),
    *exercise(
        answer="""
        # softplus 의 미분은 어떤 활성화 함수인가요? 이름을 문자열로 (예: "tanh")
        softplus_derivative_is = None
        """,
        expected='"sigmoid"',
        hint="연쇄법칙으로 log(1 + e^x) 를 미분한 식을 위의 활성화 함수 정의들과 비교해 보세요.",
        solution="""
        # d/dx log(1 + e^x) = e^x / (1 + e^x) = sigmoid(x)
        for x in grid:
            assert abs(engine_derivative(lambda v: v.softplus(), x) - sig(x)) < 1e-12
        softplus_derivative_is = "sigmoid"
        """,
    ),
    md(r"""
    **2.** $\alpha = 2$ 인 ELU 의 $x = -1$ 에서의 미분값은 얼마일까요?
    """),
    *exercise(
        answer="""
        # ELU(alpha=2) 의 x = -1 에서의 미분값 (숫자)
        my_elu_slope = None
        """,
        expected="2 * math.exp(-1.0)",
        imports="import math",
        hint="x < 0 에서 ELU 는 α(e^x - 1) 입니다. 이 식을 미분해서 x = -1 을 넣으세요.",
        solution="""
        # alpha * e^x = 2 / e
        my_elu_slope = 2 / math.e
        assert abs(engine_derivative(lambda v: v.elu(2.0), -1.0) - my_elu_slope) < 1e-12
        print("ELU(α=2) 의 x = -1 에서의 미분 = 2/e =", my_elu_slope)
        """,
    ),
    further_reading(
        (book(3), "시그모이드, ReLU 같은 활성화 함수를 구현하고 그래프로 그리며, 왜 비선형이어야 하는지 설명합니다."),
        (book(6), "시그모이드와 ReLU 를 쓸 때 층마다 활성화 값이 어떻게 퍼지는지 보고, 그에 맞는 가중치의 초깃값을 고릅니다."),
        (LECTURE, "tanh 를 `Value` 의 연산으로 직접 만들고 그 국소적 미분 $1 - \\tanh^2 x$ 를 적는 부분이 있습니다."),
    ),
]

if __name__ == "__main__":
    build(NAME, CELLS)
