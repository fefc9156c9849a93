"""10 micrograd 강의를 micrograd_kr로 따라 하기: hand-made ops, manual backprop, backward(),
an MLP, and a learner-defined primitive with define_op."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from nbtools import CS231N, LECTURE, book, build, code, exercise, further_reading, md  # noqa: E402

NAME = "10_micrograd_gangui"

CELLS = [
    md(r"""
    # 10. micrograd 강의를 micrograd_kr로 따라 하기

    Andrej Karpathy 의 강의 "The spelled-out intro to neural networks and backpropagation: building micrograd"
    (<https://www.youtube.com/watch?v=VMj-3S1tku0>) 에서는
    `Value` 클래스를 처음부터 만들면서 역전파를 배웁니다. 이 노트북은 그 순서를 `micrograd_kr` 로
    그대로 따라갑니다. 강의에서 치는 코드가 여기서도 그대로 돌아갑니다:

    1. 연산을 **손으로** 만들기: `Value(data, (a, b), '*')` 와 `_backward` 함수
    2. 노드 하나씩 **손으로 역전파** 하기: `o.grad = 1.0; o._backward(); ...`
    3. 위상 정렬로 **자동 역전파**: `o.backward()`
    4. 뉴런과 MLP 로 작은 데이터 학습하기
    5. 나만의 연산을 미분 표에 더하기: `define_op`

    각 단계의 숫자는 손으로 계산한 값, 그리고 라이브러리의 `backward()` 와 비교합니다. 그림은 순전파가
    **파란색**, 역전파가 **빨간색** 입니다.
    """),
    code("""
    import math

    from micrograd_kr import Value, define_op, draw_dot, grad, gradcheck, nn
    """),
    md(r"""
    ## 1. 연산을 손으로 만들기

    `Value(data, _children, _op, label)` 은 micrograd 와 같은 생성자입니다. 자식(`_children`)을 주면
    그 값들에서 만들어진 노드가 됩니다. 이 노드의 역전파 한 걸음은 우리가 직접 적어서
    `out._backward` 에 넣습니다. 규칙은 언제나 같습니다:

    $$\text{입력.grad} \mathrel{+}= \frac{\partial\,\text{out}}{\partial\,\text{입력}} \times \text{out.grad}$$

    `+=` 인 이유: 같은 값이 여러 번 쓰이면 기울기가 더해져야 하기 때문입니다.
    """),
    code("""
    def add(a, b):
        out = Value(a.data + b.data, (a, b), "+")

        def _backward():
            a.grad += 1.0 * out.grad  # d(a+b)/da = 1
            b.grad += 1.0 * out.grad

        out._backward = _backward
        return out


    def mul(a, b):
        out = Value(a.data * b.data, (a, b), "*")

        def _backward():
            a.grad += b.data * out.grad  # d(ab)/da = b
            b.grad += a.data * out.grad

        out._backward = _backward
        return out


    def tanh(x):
        t = (math.exp(2 * x.data) - 1) / (math.exp(2 * x.data) + 1)
        out = Value(t, (x,), "tanh")

        def _backward():
            x.grad += (1 - t**2) * out.grad  # d tanh(x)/dx = 1 - tanh(x)^2

        out._backward = _backward
        return out
    """),
    md(r"""
    강의의 뉴런입니다. 입력 $x_1, x_2$, 가중치 $w_1, w_2$, 편향 $b$ 로
    $o = \tanh(x_1 w_1 + x_2 w_2 + b)$ 를 계산합니다. $b$ 는 $n = 0.8813...$ 이 되도록 고른 값이라
    $o = \tanh(n) = 1/\sqrt{2} \approx 0.7071$ 이 됩니다.
    """),
    code("""
    def make_leaves():
        return (
            Value(2.0, label="x1"),
            Value(0.0, label="x2"),
            Value(-3.0, label="w1"),
            Value(1.0, label="w2"),
            Value(6.8813735870195432, label="b"),
        )


    x1, x2, w1, w2, b = make_leaves()
    x1w1 = mul(x1, w1)
    x2w2 = mul(x2, w2)
    s = add(x1w1, x2w2)
    n = add(s, b)
    o = tanh(n)
    print(o)
    assert abs(o.data - 1 / math.sqrt(2)) < 1e-12
    """),
    md(r"""
    ## 2. 손으로 역전파: 노드 하나씩

    출력에서 시작합니다. $\partial o / \partial o = 1$ 이므로 `o.grad = 1.0`. 그다음 출력에 가까운
    노드부터 `_backward()` 를 한 번씩 부릅니다. 노드의 `grad` 가 다 모인 다음에 불러야 합니다.

    손으로 계산하면: $\partial o/\partial n = 1 - o^2 = 0.5$. 덧셈은 기울기를 그대로 나눠 주므로
    $s$, $b$ 도 0.5. 곱셈은 상대편 값을 곱하므로 $w_1$ 은 $x_1 \times 0.5 = 1$,
    $x_1$ 은 $w_1 \times 0.5 = -1.5$, $x_2$ 는 $w_2 \times 0.5 = 0.5$, $w_2$ 는 $x_2 \times 0.5 = 0$.
    """),
    code("""
    o.grad = 1.0
    o._backward()
    print("n.grad =", n.grad)
    n._backward()
    print("s.grad =", s.grad, " b.grad =", b.grad)
    s._backward()
    x1w1._backward()
    x2w2._backward()
    for v in (x1, w1, x2, w2, b):
        print(f"{v.label}.grad = {v.grad}")

    hand = {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5}
    assert all(abs(v.grad - hand[v.label]) < 1e-12 for v in (x1, w1, x2, w2, b))
    """),
    md(r"""
    라이브러리의 연산으로 만든 노드도 모두 `_backward()` 가 있습니다. 미분 표(`ops.py`)의 국소적 미분
    규칙을 한 번 적용합니다. 같은 뉴런을 `*`, `+`, `.tanh()` 로 만들어 똑같이 해 봅시다.
    """),
    code("""
    y1, y2, v1, v2, c = make_leaves()
    m1, m2 = y1 * v1, y2 * v2
    t = m1 + m2
    k = t + c
    q = k.tanh()
    q.grad = 1.0
    for node in (q, k, t, m2, m1):
        node._backward()
    print("라이브러리 연산, 노드 하나씩:", y1.grad, v1.grad, y2.grad, v2.grad, c.grad)
    assert all(abs(v.grad - hand[v.label]) < 1e-12 for v in (y1, v1, y2, v2, c))
    """),
    md(r"""
    ## 3. 자동 역전파: `backward()`

    순서를 손으로 정하는 대신, 그래프를 **위상 정렬** 해서 출력에서 입력 쪽으로 `_backward()` 를 부르면
    됩니다. `backward()` 가 바로 그 일을 합니다(재귀 없이, 아주 깊은 그래프도 됩니다). 손으로 만든
    노드에서는 우리가 넣은 `_backward` 를, 라이브러리 노드에서는 미분 표의 규칙을 씁니다.
    """),
    code("""
    x1, x2, w1, w2, b = make_leaves()
    o = tanh(add(add(mul(x1, w1), mul(x2, w2)), b))
    o.backward()
    assert all(abs(v.grad - hand[v.label]) < 1e-12 for v in (x1, w1, x2, w2, b))
    draw_dot(o)
    """),
    md(r"""
    강의에서 쓰는 `draw_dot` 은 노드마다 `str(id(n)) + n._op` 라는 이름을 만듭니다. `n._op` 는
    micrograd 처럼 연산 기호 문자열(`'+'`, `'*'`, `'tanh'`, ...)이라 그런 코드도 그대로 돌아갑니다.
    """),
    code("""
    def trace(root):
        nodes, edges = set(), set()
        stack = [root]
        while stack:
            v = stack.pop()
            if v not in nodes:
                nodes.add(v)
                for child in v._prev:
                    edges.add((child, v))
                    stack.append(child)
        return nodes, edges


    nodes, edges = trace(o)
    ops = sorted(v._op for v in nodes if v._op)
    print(ops)
    names = [str(id(v)) + v._op for v in nodes if v._op]  # the lecture's node names
    print(sorted(name.lstrip("0123456789") for name in names))
    assert ops == ["*", "*", "+", "+", "tanh"]
    """),
    md(r"""
    강의처럼 `tanh` 를 $\frac{e^{2x} - 1}{e^{2x} + 1}$ 로 쪼개서 써도 기울기는 같습니다.
    이번에는 라이브러리 연산(`exp`, `-`, `/`)만 씁니다.
    """),
    code("""
    y1, y2, v1, v2, c = make_leaves()
    k = y1 * v1 + y2 * v2 + c
    e = (2 * k).exp()
    q = (e - 1) / (e + 1)
    q.backward()
    assert all(abs(v.grad - hand[v.label]) < 1e-12 for v in (y1, v1, y2, v2, c))
    draw_dot(q)
    """),
    md(r"""
    ## 4. 뉴런, 층, MLP 로 학습하기

    강의의 작은 데이터입니다. 입력 3개짜리 샘플 4개와 목표값 $\pm 1$ 입니다. 은닉층 4-4, 출력 1개의
    MLP 를 모든 층 tanh 로 만들고, 제곱 오차를 줄이는 경사 하강법을 20번 합니다. 매번
    `zero_grad()` 로 기울기를 0으로 돌린 뒤 `backward()` 를 부릅니다(잎 노드의 기울기는 누적되므로).
    """),
    code("""
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    model = nn.MLP(3, [4, 4, 1], activation="tanh", out_activation="tanh", seed=0)

    losses = []
    for _ in range(20):
        preds = [model(x) for x in xs]
        loss = sum((p - y) ** 2 for p, y in zip(preds, ys))
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= 0.05 * p.grad
        losses.append(loss.data)
    print([round(v, 4) for v in losses[::4]], "->", round(losses[-1], 4))
    print("예측 (predictions):", [round(model(x).data, 3) for x in xs])
    assert losses[-1] < 0.5 * losses[0]
    """),
    md(r"""
    ## 5. 나만의 연산: `define_op`

    손으로 만든 노드는 `backward()` 에는 쓸 수 있지만 미분 표에 규칙이 없어서 `grad` (미분의 미분)나
    `compile` 은 쓸 수 없습니다. `define_op` 으로 연산을 **미분 표의 한 줄** 로 적으면 내장 연산과
    똑같이 어디서나 쓸 수 있습니다. `ops.py` 의 줄처럼 순전파 `forward(m, x)` 와 입력마다 국소적 미분
    `derivative(m, out, x)` 하나씩을 적습니다. `math` 대신 `m.` 의 함수를 쓰면, 규칙이 Value 위에서도
    돌아가서 미분을 다시 미분할 수 있습니다.

    예: softsign $f(x) = \dfrac{x}{1 + |x|}$, 미분 $f'(x) = \dfrac{1}{(1 + |x|)^2}$.
    """),
    code("""
    softsign = define_op(
        "softsign",
        lambda m, x: x / (1.0 + m.abs(x)),
        [lambda m, out, x: 1.0 / (1.0 + m.abs(x)) ** 2],
    )

    x = Value(0.5, label="x")
    y = softsign(x * 2.0)
    y.label = "y"
    y.backward()
    print(y, x.grad)
    assert abs(x.grad - 2.0 / (1.0 + 1.0) ** 2) < 1e-12  # chain rule: 2 f'(1)
    gradcheck(lambda a: softsign(a) * a, [0.7])  # analytic vs central differences
    draw_dot(y)
    """),
    md(r"""
    두 번 미분해 봅시다. 손으로 계산하면
    $f''(x) = \dfrac{-2\,\mathrm{sign}(x)}{(1 + |x|)^3}$ 입니다.
    """),
    code("""
    for x0 in (-2.0, 0.5, 3.0):
        d2 = grad(grad(softsign))(x0).data
        by_hand = -2.0 * math.copysign(1.0, x0) / (1.0 + abs(x0)) ** 3
        print(f"x = {x0:5}: f''(x) = {d2:.6f}   손 계산 {by_hand:.6f}")
        assert abs(d2 - by_hand) < 1e-12
    """),
    md(r"""
    ## 요약

    - `Value(data, (a, b), '*')` 와 `out._backward` 로 강의처럼 연산을 직접 만들 수 있고,
      `backward()` 는 그 함수들을 위상 정렬 순서로 부릅니다.
    - 모든 노드에 `_backward()` 가 있어서 노드 하나씩 손으로 역전파할 수 있습니다.
    - `n._op` 는 `'+'`, `'*'`, `'tanh'` 같은 기호라서 강의의 그림 코드가 그대로 돌아갑니다.
    - `define_op` 으로 만든 연산은 `backward`, `gradcheck`, `grad`, `compile`, 그림 어디서나 쓰입니다.

    ## 연습 문제

    답은 각 문제 아래 셀의 `None` 을 바꿔 쓰고, 그다음 셀로 채점합니다. 풀이는 접힌 칸(「풀이 보기」)에 있습니다.

    **1.** 강의처럼 `exp` 를 손으로 만드세요: `Value(math.exp(x.data), (x,), "exp")` 와 `_backward`.
    그것으로 $f(x) = e^x \cdot x$ 를 $x = 0.5$ 에서 계산하고 `backward()` 로 구한 $f'(0.5)$ 를 적으세요.
    채점 셀은 값과 함께, 출력 `f` 의 그래프에 손으로 만든 `exp` 노드가 있는지와 `f.backward()` 를 불렀는지도
    확인합니다.
    """),
    *exercise(
        answer="""
        # (1) 손으로 만드는 exp: _backward 를 채우세요
        def my_exp(x):
            out = Value(math.exp(x.data), (x,), "exp")
            # 여기에 _backward 를 적고 out._backward 에 넣으세요
            return out


        # (2) x = Value(0.5) 에서 f = my_exp(x) * x 를 만들고 f.backward() 를 부른 뒤
        f = None  # 출력 f (Value)
        my_exp_grad = None  # backward() 로 구한 f'(0.5), 곧 x.grad (숫자)
        """,
        expected="1.5 * math.exp(0.5)",
        imports="import math",
        graded="my_exp_grad",
        method='grad_from_backward(f) or hand_made_in_graph(f, "exp")',
        hint=(
            "_backward 는 (국소적 미분) × out.grad 를 x.grad 에 더합니다. e^x 를 미분하면 무엇이 되는지 떠올려 "
            "보세요. f 는 곱이므로 나머지는 backward() 가 연쇄법칙으로 해 줍니다."
        ),
        solution="""
        def my_exp(x):
            out = Value(math.exp(x.data), (x,), "exp")

            def _backward():
                x.grad += out.data * out.grad

            out._backward = _backward
            return out


        x = Value(0.5)
        f = my_exp(x) * x
        f.backward()
        my_exp_grad = x.grad
        print(my_exp_grad)
        """,
    ),
    md(r"""
    **2.** `define_op` 으로 세제곱 연산 `cube` ($x^3$, 국소적 미분 $3x^2$)를 만들고, `grad` 를 두 번 써서
    $x = -1.5$ 에서의 2계 미분을 구하세요. 채점 셀은 값뿐 아니라 `cube` 가 `define_op` 으로 만든 연산인지도
    확인합니다. (손으로 검산해 보려면 $\frac{d^2}{dx^2} x^3$ 을 구해 보세요.)
    """),
    *exercise(
        answer="""
        cube = None  # define_op 으로 만든 세제곱 연산
        my_second = None  # grad(grad(cube))(-1.5) 의 값 (숫자)
        """,
        expected="6 * -1.5",
        graded="my_second",
        method="made_with_define_op(cube)",
        hint=(
            "두 번 미분하려면 미분 규칙이 Value 위에서도 돌아가야 합니다: math 의 함수 대신 연산자(*, +)나 "
            "m. 의 함수로 쓰세요. grad(...)(x) 가 돌려주는 것은 Value 입니다."
        ),
        solution="""
        cube = define_op("cube", lambda m, x: x * x * x, [lambda m, out, x: 3.0 * x * x])
        my_second = grad(grad(cube))(-1.5).data
        print(my_second)
        """,
    ),
    further_reading(
        (LECTURE, "이 노트북이 따라간 강의 자체입니다. 1~4절의 코드가 강의에서 차례로 나옵니다."),
        (book(5), "덧셈 노드와 곱셈 노드의 역전파, 그리고 계층(layer)마다 `forward` 와 `backward` 를 짝지어 구현하는 방식이 5절의 `define_op` 과 같은 생각입니다."),
        (CS231N, "강의와 같은 뉴런 예제로 기울기가 흐르는 모습을 그림으로 설명합니다."),
    ),
]

if __name__ == "__main__":
    build(NAME, CELLS)
