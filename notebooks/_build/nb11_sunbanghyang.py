"""11 순방향 모드와 역방향 모드: forward-mode and reverse-mode differentiation side by side:
the same function both ways and drawn both ways, rule evaluations counted by the engine for
R^n -> R and R -> R^m, a layer's Jacobian both ways, memory both ways, when each wins."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from nbtools import book, build, code, exercise, further_reading, md  # noqa: E402

NAME = "11_sunbanghyang"

JAX_COOKBOOK = (
    "JAX 문서 「The Autodiff Cookbook」 (영어): "
    "<https://docs.jax.dev/en/latest/notebooks/autodiff_cookbook.html>"
)
SURVEY = (
    "Baydin, Pearlmutter, Radul, Siskind, 「Automatic Differentiation in Machine Learning: "
    "a Survey」, JMLR 18 (2018) (영어): <https://jmlr.org/papers/v18/17-468.html>"
)

CELLS = [
    md(r"""
    # 11. 순방향 모드와 역방향 모드

    자동 미분에는 두 가지 방식이 있습니다. 지금까지 써 온 `backward()` 는 **역방향 모드**(reverse mode,
    역전파)입니다: 순전파로 계산 그래프를 만든 뒤, 출력에서 입력 쪽으로 거슬러 가며 국소적 미분을 곱합니다.
    **순방향 모드**(forward mode)는 반대로 순전파와 **같은 방향** 으로 갑니다. 값 $x$ 와 함께 "입력이 움직일 때
    $x$ 가 변하는 빠르기" $\dot x$ (접선, tangent)를 나르고, 연산마다 연쇄법칙으로

    $$\dot{\text{out}} = \sum_i \frac{\partial\,\text{out}}{\partial x_i}\,\dot x_i$$

    를 계산합니다. 두 방식은 `ops.py` 의 같은 국소적 미분 표를 씁니다. 다른 것은 방향과 비용입니다.

    1. 같은 함수를 두 방식으로 미분하고 두 방식으로 그리기
    2. 규칙 계산 횟수 세기: $f: \mathbb{R}^n \to \mathbb{R}$ 와 $f: \mathbb{R} \to \mathbb{R}^m$
    3. 작은 층(`nn.Layer`)의 야코비 행렬(Jacobian)을 두 방식으로
    4. 메모리 재기
    5. 어느 쪽이 언제 이기나
    """),
    code("""
    import math
    import tracemalloc

    from micrograd_kr import Value, jacfwd, jacrev, jvp, nn
    from micrograd_kr.engine import Constant
    from micrograd_kr.forward import forward_sweep
    from micrograd_kr.graph import topological_order
    from micrograd_kr.viz import animate_forward, draw_dot, draw_forward
    """),
    md(r"""
    ## 1. 같은 함수, 두 방식

    $f(x, y) = xy + \sin x$ 를 $(x, y) = (1, 2)$ 에서 미분합니다. 손으로 구하면
    $\partial f/\partial x = y + \cos x = 2 + \cos 1 \approx 2.5403$, $\partial f/\partial y = x = 1$ 입니다.

    **순방향 모드**: `jvp(f, 입력값, 접선)` 은 $f$ 의 값과, 입력이 `접선` 방향으로 움직일 때 $f$ 가 변하는
    빠르기를 돌려줍니다. 접선 $(1, 0)$ 이면 $\partial f/\partial x$, $(0, 1)$ 이면 $\partial f/\partial y$:
    기울기의 성분 하나에 순방향 한 번입니다.
    """),
    code("""
    def f(x, y):
        return x * y + x.sin()


    _, df_dx = jvp(f, [1.0, 2.0], [1.0, 0.0])
    _, df_dy = jvp(f, [1.0, 2.0], [0.0, 1.0])
    print("순방향 모드 (jvp 두 번):", df_dx.data, df_dy.data)
    assert math.isclose(df_dx.data, 2 + math.cos(1.0)) and df_dy.data == 1.0
    """),
    md(r"""
    **역방향 모드**: `backward()` 한 번이면 두 성분이 모두 나옵니다.
    """),
    code("""
    x = Value(1.0, label="x")
    y = Value(2.0, label="y")
    out = f(x, y)
    out.label = "f"
    out.backward()
    print("역방향 모드 (backward 한 번):", x.grad, y.grad)
    assert x.grad == df_dx.data and y.grad == df_dy.data
    """),
    md(r"""
    ### 그림으로 비교하기

    `draw_forward(out, {x: 1.0})` 는 $x$ 를 속도 1 로 움직이는 순방향 한 번을 그립니다. 상자마다 값 `data` 와
    접선 `ẋ` 가 있고, 파란 실선은 값, **파란 점선** 은 접선이 흐르는 길입니다. 점선 위의 `국소적 미분 × 입력의 ẋ
    = 곱` 을 연산마다 더하면 그 결과의 ẋ 가 됩니다. $y$ 는 움직이지 않으므로(ẋ = 0) 아무것도 보태지 않습니다.
    """),
    code("""
    draw_forward(out, {x: 1.0}, rankdir="LR")
    """),
    md(r"""
    `animate_forward` 는 같은 순방향 한 번을 노드 하나씩 보여 줍니다(`animate_backward` 의 순방향판).
    입력부터 출력 쪽으로, 연산마다 들어오는 점선과 그 곱이 나타나고 ẋ 가 채워집니다. ▶ 재생 을 누르거나
    슬라이더를 움직여 보세요.
    """),
    code("""
    animate_forward(out, {x: 1.0}, rankdir="LR")
    """),
    md(r"""
    같은 그래프의 역전파 그림입니다. 빨간 화살표는 **출력에서 입력 쪽으로** 흐르고, 한 번의 역전파로 $x$ 와
    $y$ 의 기울기가 함께 채워집니다. 순방향 그림에서는 $y$ 의 기울기를 얻으려면 `{y: 1.0}` 으로 한 번 더
    그려야 합니다.
    """),
    code("""
    draw_dot(out, rankdir="LR")
    """),
    code("""
    draw_forward(out, {y: 1.0}, rankdir="LR")
    """),
    md(r"""
    ## 2. 규칙 계산 횟수 세기

    "순방향은 입력 수만큼, 역방향은 출력 수만큼" 이라는 말을 엔진으로 직접 셉니다. 세는 것은 국소적 미분
    규칙을 계산한 횟수입니다.

    - 순방향: `forward_sweep(출력, 씨앗)` 은 순방향 한 번의 기록(노드마다 입력별 `local`, `tangent`,
      `product`)을 돌려줍니다. 접선이 0 인 입력은 규칙을 계산하지 않으므로(`local` 이 None), None 이 아닌
      `local` 의 개수가 계산 횟수입니다.
    - 역방향: `backward()` 는 그래프의 노드마다 상수가 아닌 입력 하나에 규칙을 한 번 계산합니다(상수의
      기울기는 필요 없습니다). 그래서 (노드, 상수가 아닌 입력) 쌍의 개수가 역전파 한 번의 계산 횟수입니다.
    """),
    code("""
    def forward_rule_evaluations(outputs, seeds):
        \"\"\"Local derivatives one forward sweep evaluates (inputs whose tangent is 0 are skipped).\"\"\"
        return sum(1 for step in forward_sweep(outputs, seeds) for term in step.terms if term.local is not None)


    def reverse_rule_evaluations(output):
        \"\"\"Local derivatives one backward() evaluates: one per (node, input that is not a constant).\"\"\"
        return sum(1 for node in topological_order(output) for p in node._prev if not isinstance(p, Constant))


    print("f = x*y + sin x, 순방향 (x 로 한 번, y 로 한 번):", forward_rule_evaluations(out, {x: 1.0}) + forward_rule_evaluations(out, {y: 1.0}))
    print("f = x*y + sin x, 역방향 (한 번):", reverse_rule_evaluations(out))
    """),
    md(r"""
    ### 입력이 많고 출력이 하나: $f: \mathbb{R}^n \to \mathbb{R}$

    손실 함수가 이런 모양입니다: 파라미터 $n$ 개, 출력(손실)은 하나. 입력 $n$ 개를 더한 뒤 같은 계산을
    10 층 거치는 함수로 잽니다. 기울기 전체를 얻으려면 순방향은 입력마다 한 번, 즉 $n$ 번 돌아야 하고,
    역방향은 한 번이면 됩니다.
    """),
    code("""
    LAYERS = 10


    def trunk(h):
        \"\"\"The shared part: LAYERS times tanh(0.9 h).\"\"\"
        for _ in range(LAYERS):
            h = (h * 0.9).tanh()
        return h


    def many_inputs(xs):  # R^n -> R
        s = xs[0]
        for x_i in xs[1:]:
            s = s + x_i
        return trunk(s)


    print(f"{'n':>3} {'순방향 (n번)':>12} {'역방향 (1번)':>12}")
    counts_in = {}
    for n in (1, 2, 4, 8, 16):
        xs = [Value(0.1 * (i + 1)) for i in range(n)]
        loss = many_inputs(xs)
        forward = sum(forward_rule_evaluations(loss, {x_i: 1.0}) for x_i in xs)
        counts_in[n] = (forward, reverse_rule_evaluations(loss))
        print(f"{n:>3} {counts_in[n][0]:>12} {counts_in[n][1]:>12}")
    assert all(fw > rv for n, (fw, rv) in counts_in.items() if n > 1)
    """),
    md(r"""
    $n$ 이 두 배가 될 때마다 순방향의 횟수는 두 배 넘게 늘고(공통 부분 10 층을 $n$ 번 지나갑니다), 역방향은
    입력 하나당 몇 번씩만 늘어납니다. 파라미터가 수천, 수백만 개인 신경망을 역전파로 학습하는 이유가
    이것입니다: 기울기 전체가 순전파 한 번과 역전파 한 번의 비용으로 나옵니다.

    ### 입력이 하나고 출력이 많은: $f: \mathbb{R} \to \mathbb{R}^m$

    이번에는 반대입니다. 입력 하나가 같은 10 층을 지난 뒤 $m$ 개의 출력 $\sin(k h)$ 로 갈라집니다. 모든 출력의
    미분을 얻으려면 순방향은 한 번(모든 출력을 함께 쓸고 지나감), 역방향은 출력마다 한 번, $m$ 번입니다.
    """),
    code("""
    def many_outputs(x, m):  # R -> R^m
        h = trunk(x)
        return [(h * k).sin() for k in range(1, m + 1)]


    print(f"{'m':>3} {'순방향 (1번)':>12} {'역방향 (m번)':>12}")
    counts_out = {}
    for m in (1, 2, 4, 8, 16):
        x0 = Value(0.3)
        ys = many_outputs(x0, m)
        reverse = sum(reverse_rule_evaluations(y_k) for y_k in ys)
        counts_out[m] = (forward_rule_evaluations(ys, {x0: 1.0}), reverse)
        print(f"{m:>3} {counts_out[m][0]:>12} {counts_out[m][1]:>12}")
    assert all(fw < rv for m, (fw, rv) in counts_out.items() if m > 1)
    """),
    md(r"""
    표가 뒤집혔습니다. 역방향은 출력마다 공통 부분 10 층을 다시 거슬러 가야 해서 $m$ 에 비례해 늘고, 순방향은
    출력 하나당 몇 번씩만 늘어납니다.

    ## 3. 작은 층의 야코비 행렬

    입력 3개, 출력 2개인 `nn.Layer` 의 야코비 행렬 $J_{ij} = \partial y_i / \partial x_j$ (2 × 3) 를 두 방식으로
    구합니다. `jacfwd` 는 입력마다 순방향 한 번(3번)으로 **열** 을 하나씩, `jacrev` 는 출력마다 역전파 한 번(2번)으로
    **행** 을 하나씩 채웁니다. 결과는 같아야 합니다.
    """),
    code("""
    layer = nn.Layer(3, 2, activation="tanh", seed=0)


    def layer_fn(a, b, c):
        return layer([a, b, c])


    point = (0.5, -1.0, 2.0)
    J_fwd = jacfwd(layer_fn)(*point)
    J_rev = jacrev(layer_fn)(*point)
    for name, J in (("jacfwd", J_fwd), ("jacrev", J_rev)):
        print(name, [[round(entry.data, 6) for entry in row] for row in J])
    gap = max(abs(a.data - b.data) for row_f, row_r in zip(J_fwd, J_rev) for a, b in zip(row_f, row_r))
    print("가장 큰 차이:", gap)
    assert gap < 1e-12
    """),
    md(r"""
    손으로 확인할 수도 있습니다. 뉴런 $i$ 의 출력은 $y_i = \tanh(z_i)$, $z_i = \sum_j w_{ij} x_j + b_i$ 이므로
    $J_{ij} = (1 - y_i^2)\,w_{ij}$ 입니다.
    """),
    code("""
    ys_layer = layer_fn(*point)
    by_hand = [[(1 - y_i.data**2) * w.data for w in neuron.w] for y_i, neuron in zip(ys_layer, layer.neurons)]
    print("손으로:", [[round(v, 6) for v in row] for row in by_hand])
    assert all(math.isclose(a.data, b, rel_tol=1e-12, abs_tol=1e-15) for row_f, row_h in zip(J_fwd, by_hand) for a, b in zip(row_f, row_h))
    """),
    md(r"""
    ## 4. 메모리 재기

    역전파는 출력에서 거슬러 가야 하므로, 순전파가 끝날 때까지 계산 그래프 전체(모든 중간값과 연결)를
    기억해야 합니다. 순방향 모드는 값과 접선을 함께 앞으로 나르므로, 다 쓴 중간값을 곧바로 버릴 수 있습니다.
    연산 $2N$ 개짜리 긴 계산을 두 방식으로 미분하며, 파이썬의 `tracemalloc` 으로 가장 많이 쓴 메모리를 잽니다.
    """),
    code("""
    def long_chain(x, steps):
        for _ in range(steps):
            x = x * 0.9999 + 0.0001
        return x


    def peak_mb(run):
        tracemalloc.start()
        try:
            run()
            return tracemalloc.get_traced_memory()[1] / 1e6
        finally:
            tracemalloc.stop()


    def forward_mode(steps):
        return lambda: jvp(lambda x: long_chain(x, steps), [0.5], [1.0])


    def reverse_mode(steps):
        return lambda: long_chain(Value(0.5), steps).backward()


    print(f"{'N':>7} {'순방향 (MB)':>12} {'역방향 (MB)':>12}")
    memory = {}
    for steps in (5_000, 20_000):
        memory[steps] = (peak_mb(forward_mode(steps)), peak_mb(reverse_mode(steps)))
        print(f"{steps:>7} {memory[steps][0]:>12.3f} {memory[steps][1]:>12.1f}")
    assert memory[20_000][0] < 0.1 < 2 * memory[5_000][1] < memory[20_000][1]
    """),
    md(r"""
    역방향의 메모리는 연산 수와 함께 늘고(연산 4배 → 3배 넘게; 정확한 숫자는 컴퓨터마다 조금 다릅니다), 순방향은
    연산이 늘어도 거의 0 에 머뭅니다.
    연쇄법칙을 정리한 학습 노트가 말하는 "순전파가 역전파보다 메모리를 덜 쓴다" 를 잰 것입니다.

    ## 5. 어느 쪽이 언제 이기나

    | | 순방향 모드 (`jvp`, `jacfwd`) | 역방향 모드 (`backward`, `grad`, `jacrev`) |
    |---|---|---|
    | 한 번에 얻는 것 | 야코비 행렬의 **열** 하나 ($J v$) | 야코비 행렬의 **행** 하나 ($u^\top J$) |
    | 야코비 행렬 전체 | 입력 수 $n$ 번 | 출력 수 $m$ 번 |
    | 이기는 경우 | 입력이 적고 출력이 많을 때 ($n \ll m$) | 입력이 많고 출력이 적을 때 ($n \gg m$) |
    | 메모리 | 그래프를 남기지 않음: 일정 | 그래프 전체를 기억: 연산 수에 비례 |

    신경망 학습은 파라미터가 많고 손실은 하나인 $\mathbb{R}^n \to \mathbb{R}$ 이라 역전파가 이깁니다. 입력이
    몇 개뿐인 물리 시뮬레이션의 민감도, 곡선 위 한 방향의 미분, 헤세 행렬과 벡터의 곱(순방향 위의 역방향,
    `hvp(f, mode="fwd")`)에는 순방향이 알맞습니다. 메모리가 모자라면 순방향이 답이 될 수도 있습니다.

    ## 요약

    - 순방향 모드는 값과 접선 $\dot x$ 를 순전파와 같은 방향으로 나르며 $\dot{\text{out}} = \sum_i \frac{\partial\,\text{out}}{\partial x_i}\dot x_i$
      를 계산합니다. 역방향 모드(역전파)는 출력에서 거꾸로 국소적 미분을 곱합니다. 둘 다 같은 국소적 미분 표를 씁니다.
    - $f: \mathbb{R}^n \to \mathbb{R}$ 의 기울기: 순방향 $n$ 번, 역방향 1번. $f: \mathbb{R} \to \mathbb{R}^m$ 은 그 반대.
    - 순방향은 계산 그래프를 남기지 않아 메모리가 일정하고, 역방향은 연산 수에 비례합니다.

    ## 연습 문제

    답은 각 문제 아래 셀의 `None` 을 바꿔 쓰고, 그다음 셀로 채점합니다. 풀이는 접힌 칸(「풀이 보기」)에 있습니다.

    **1.** 파라미터 100 개로 손실 하나를 계산하는 함수($\mathbb{R}^{100} \to \mathbb{R}$)가 있습니다. 기울기
    100 개를 모두 얻으려면 순방향 모드로는 몇 번, 역방향 모드로는 몇 번 돌아야 하나요?
    """),
    *exercise(
        answer="""
        forward_sweeps = None  # 순방향 모드로 몇 번
        reverse_sweeps = None  # 역방향 모드로 몇 번
        """,
        expected="(100, 1)",
        hint="순방향 한 번은 입력 하나의 방향으로 움직이고, 역방향 한 번은 출력 하나에서 거꾸로 갑니다",
        solution="""
        forward_sweeps = 100  # 입력마다 한 번 (접선이 한 축 방향)
        reverse_sweeps = 1  # 출력(손실)이 하나: backward() 한 번
        """,
    ),
    md(r"""
    **2.** $f(x, y) = xy + \sin x$ 에서 $(x, y) = (1, 2)$ 일 때, 두 입력을 **함께** 속도 1 로 움직이면(씨앗
    `{x: 1.0, y: 1.0}`) $f$ 의 접선 $\dot f$ 는 얼마인가요? `jvp` 나 `draw_forward` 로 구해도, 손으로 구해도
    됩니다. 소수 넷째 자리까지 쓰세요.
    """),
    *exercise(
        answer="""
        both_moving_tangent = None
        """,
        expected="1.0 * (2.0 + math.cos(1.0)) + 1.0 * 1.0",
        imports="import math",
        hint="접선은 각 입력의 접선에 그 입력에 대한 편미분을 곱해 더한 것입니다: 두 방향의 결과를 더하세요",
        solution="""
        _, both = jvp(f, [1.0, 2.0], [1.0, 1.0])
        both_moving_tangent = both.data  # (2 + cos 1)·1 + 1·1 = 3.5403
        """,
    ),
    md(r"""
    **3.** 입력 하나, 출력 3개인 함수($\mathbb{R} \to \mathbb{R}^3$)의 야코비 행렬(3 × 1)을 `jacfwd` 로 구하면
    순방향을 몇 번, `jacrev` 로 구하면 역방향을 몇 번 돌게 되나요?
    """),
    *exercise(
        answer="""
        jacfwd_sweeps = None
        jacrev_sweeps = None
        """,
        expected="(1, 3)",
        hint="jacfwd 는 입력마다 열 하나, jacrev 는 출력마다 행 하나를 채웁니다",
        solution="""
        jacfwd_sweeps = 1  # 입력이 하나: 열 하나
        jacrev_sweeps = 3  # 출력이 셋: 행 셋
        """,
    ),
    further_reading(
        (book(5), "계산 그래프와 연쇄법칙으로 역전파를 설명하는 장입니다. 이 노트북의 역방향 모드가 그대로 그 내용이고, 순방향 모드는 같은 그래프를 반대 방향으로 쓰는 방법입니다."),
        (JAX_COOKBOOK, "`jvp`, `vjp`, `jacfwd`, `jacrev` 가 이 노트북과 같은 이름으로 나오고, 야코비 행렬의 모양에 따라 어느 쪽이 빠른지 설명합니다."),
        (SURVEY, "순방향 모드와 역방향 모드의 비용(입력 수 대 출력 수)과 메모리를 표와 예제로 정리한 개관 논문입니다."),
    ),
]

if __name__ == "__main__":
    build(NAME, CELLS)
