"""03 계산 그래프와 역전파 (seed 003)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from nbtools import build, code, exercise, intro, md, plot_setup  # noqa: E402
from nbtools import CS231N, LECTURE, book, further_reading  # noqa: E402

NAME = "03_gyesan_graph_yeokjeonpa"

CELLS = [
    intro(r"""
    # 03. 계산 그래프와 역전파

    역전파는 연쇄법칙을 출력 쪽에서 입력 쪽으로 한 단계씩 적용해서 모든 기울기를 구하는 방법입니다. 이 노트북의
    그림에서는 01번처럼 **파란 화살표가 순전파, 빨간 화살표가 역전파** 입니다.
    이 노트북에서는

    1. 작은 2층 신경망에서 연쇄법칙을 손으로 풀고 엔진과 비교하고,
    2. 왜 **위상 정렬(topological order)** 순서로 역전파해야 하는지(`b = a + a; c = b + b`) 보고,
    3. 역전파를 한 단계씩 움직이는 애니메이션을 보고,
    4. 유한 차분으로 기울기를 검증합니다.
    """),
    plot_setup(
        """
        from collections import defaultdict

        from micrograd_kr import Value, gradcheck, numerical_grad
        from micrograd_kr.graph import edges, topological_order
        from micrograd_kr.viz import animate_backward, draw_dot
        """,
    ),
    md(r"""
    ## 1. 연쇄법칙: 작은 2층 신경망

    입력 $x$, 은닉 뉴런 $h = \tanh(w_1 x)$, 출력 $\hat y = w_2 h$, 오차 $e = \hat y - t$, 손실 $L = e^2$.
    $w_1$ 에 대한 기울기는 출력에서 입력 쪽으로 국소적 미분을 차례로 곱한 것입니다.

    $$
    \frac{\partial L}{\partial w_1}
    = \underbrace{2(\hat y - t)}_{\partial L/\partial \hat y}
    \cdot \underbrace{w_2}_{\partial \hat y/\partial h}
    \cdot \underbrace{(1 - h^2)}_{\partial h/\partial z}
    \cdot \underbrace{x}_{\partial z/\partial w_1},
    \qquad z = w_1 x
    $$

    아래 그림의 빨간 화살표가 보여 주는 것이 바로 이 곱셈입니다. 각 노드는 자기 입력에 대한 국소적 미분만
    알면 되고, 출력 쪽에서 넘어온 기울기에 그것을 곱해서 입력 쪽으로 넘깁니다.
    """),
    code("""
    x = Value(1.5, label="x")
    w1 = Value(0.8, label="w1")
    w2 = Value(-1.2, label="w2")
    t = 0.5

    z = w1 * x
    z.label = "z"
    h = z.tanh()
    h.label = "h"
    y_hat = w2 * h
    y_hat.label = "y_hat"
    e = y_hat - t
    e.label = "e"
    L = e**2
    L.label = "L"
    L.backward()

    by_hand = 2 * (y_hat.data - t) * w2.data * (1 - h.data**2) * x.data
    print(f"dL/dw1: backward() {w1.grad:.12f}   손 계산 {by_hand:.12f}")
    assert abs(w1.grad - by_hand) < 1e-12
    """),
    md(r"""
    그림으로 보면: 파란 화살표를 따라 값이 계산되고, 빨간 화살표를 따라 기울기가 돌아옵니다. 빨간
    화살표의 글자 `국소적 미분 × 출력의 grad = 입력이 받는 기울기` 가 위 식의 곱셈 한 단계씩입니다.
    """),
    code("""
    draw_dot(L)
    """),
    md(r"""
    **그림의 방향(`rankdir`).** 기본값 `rankdir="auto"` 는 그림이 노트북 폭(약 1,000 px)에 글자 크기를
    줄이지 않고 들어가면 왼쪽→오른쪽(`"LR"`)으로, 너무 넓으면 위→아래(`"TB"`)로 그립니다. 위의 그래프는
    연산이 길게 이어져서 위→아래가 되었습니다. 직접 고를 수도 있습니다: 짧고 넓은 그래프(입력이 많은
    뉴런 하나)는 `"LR"`, 길게 이어지는 그래프(층이 여럿인 신경망)는 `"TB"` 가 보기 좋습니다.
    예: `draw_dot(L, rankdir="LR")`. 상수(위의 `0.5`, 지수 `2`)의 기울기는 역전파에 필요 없어서 빨간
    화살표를 그리지 않습니다(`constant_grads=True` 로 그리게 할 수 있습니다).
    """),
    md(r"""
    ## 2. 왜 순서가 중요한가: `b = a + a; c = b + b`

    $b = 2a$, $c = 2b = 4a$ 이므로 $\partial c/\partial a = 4$ 입니다.

    역전파의 규칙은 "노드의 `grad` 에 국소적 미분을 곱해서 입력 노드에 **더한다**" 입니다. 그런데 한 노드가
    여러 번 쓰이면(여기서는 $a$ 도 $b$ 도 두 번씩) 그 노드의 `grad` 는 여러 곳에서 조금씩 모입니다.
    **나눠 받는 기울기가 다 모이기 전에** 입력 쪽으로 넘겨 버리면 틀린 답이 나옵니다.

    아래의 순진한(naive) 방법은 기울기를 한 조각 받을 때마다 "지금까지 모인 `grad`" 를 바로 입력 쪽으로 넘깁니다.
    (두 연산 모두 덧셈이라 국소적 미분은 1입니다.)
    """),
    code("""
    a = Value(3.0, label="a")
    b = a + a
    b.label = "b"
    c = b + b
    c.label = "c"


    def inputs_of(root):
        table = defaultdict(list)
        for parent, node, _ in edges(topological_order(root)):
            table[node].append(parent)
        return table


    def naive_backward(root):
        inputs, grad = inputs_of(root), defaultdict(float)
        grad[root] = 1.0

        def push(node):  # pass on what has arrived so far, every time something arrives
            for parent in inputs[node]:
                grad[parent] += 1.0 * grad[node]  # local derivative of + is 1
                push(parent)

        push(root)
        return grad


    print("순진한 방법 (naive) dc/da =", naive_backward(c)[a])
    """),
    md(r"""
    답이 6으로 틀렸습니다. $b$ 가 첫 번째 조각(1)을 받자마자 $a$ 에 넘기고, 두 번째 조각을 받은 뒤에는
    **이미 넘긴 1까지 포함한** 2를 또 넘겼기 때문입니다.

    해결책: 노드를 **위상 정렬의 역순** 으로 한 번씩만 처리합니다. 위상 정렬은 "모든 노드가 자기 입력보다
    뒤에 오는" 순서이므로, 그 역순으로 가면 어떤 노드를 처리할 때 그 노드를 쓰는 노드(출력 쪽)는 이미 모두
    처리되어 `grad` 가 완성되어 있습니다. `Value.backward()` 가 하는 일이 바로 이것입니다.
    """),
    code("""
    order = topological_order(c)
    print("위상 정렬 순서 (topological order):", [n.label for n in order])

    inputs, grad = inputs_of(c), defaultdict(float)
    grad[c] = 1.0
    for node in reversed(order):  # outputs first: each grad is complete before it is passed on
        for parent in inputs[node]:
            grad[parent] += 1.0 * grad[node]

    c.backward()
    print("위상 정렬 순서로 dc/da =", grad[a], "  엔진 backward():", a.grad)
    assert naive_backward(c)[a] == 6.0 and grad[a] == 4.0 and a.grad == 4.0
    """),
    md(r"""
    그림에서도 $a$ 가 빨간 화살표 두 개로 $2 + 2 = 4$ 를 받는 것을 볼 수 있습니다.
    """),
    code("""
    draw_dot(c)
    """),
    md(r"""
    ## 3. 역전파를 한 단계씩: 애니메이션

    `animate_backward(L)` 은 1절의 신경망에서 역전파가 진행되는 모습을 한 노드씩 보여 줍니다.
    출력 $L$ 의 `grad` = 1 에서 시작해서, 위상 정렬의 역순으로 한 노드를 처리할 때마다 그 노드가 입력에게
    보내는 빨간 화살표와 새로 채워진 `grad` 가 나타납니다. 재생 버튼이나 슬라이더로 움직여 보세요.

    (Jupyter 에서 실행하면 움직이는 그림이 보입니다. 자바스크립트를 실행하지 않는 곳, 예를 들어 코드
    저장소 웹페이지에서는 아래에 출력한 단계별 설명을 읽으면 됩니다.)
    """),
    code("""
    animation = animate_backward(L)
    animation
    """),
    code("""
    for frame in animation.frames:
        print(frame["caption"], end="\\n\\n")
    # one frame per value, except the constants 0.5 and 2 (backward never needs their grad)
    assert len(animation.frames) == len(topological_order(L)) - 2
    """),
    md(r"""
    ## 4. 유한 차분으로 검증하기

    미분의 정의로 돌아가면, 작은 $\varepsilon$ 에 대해

    $$
    \text{전방 차분: } \frac{f(x+\varepsilon) - f(x)}{\varepsilon} = f'(x) + O(\varepsilon), \qquad
    \text{중앙 차분: } \frac{f(x+\varepsilon) - f(x-\varepsilon)}{2\varepsilon} = f'(x) + O(\varepsilon^2)
    $$

    중앙 차분이 훨씬 정확합니다(테일러 전개에서 $\varepsilon^2$ 항이 지워지기 때문). 하지만 $\varepsilon$ 을
    너무 작게 하면 부동소수점 반올림 오차($\approx 10^{-16}/\varepsilon$)가 커집니다. 오차를 그려 봅니다.
    """),
    code("""
    def loss_of_w1(w1):
        return (w2.data * (w1 * x.data).tanh() - t) ** 2


    exact = w1.grad
    epsilons = [10.0**-k for k in range(1, 13)]
    forward_err, central_err = [], []
    for eps in epsilons:
        f0, fp, fm = (loss_of_w1(Value(w1.data + d)).data for d in (0.0, eps, -eps))
        forward_err.append(abs((fp - f0) / eps - exact))
        central_err.append(abs((fp - fm) / (2 * eps) - exact))

    plt.loglog(epsilons, forward_err, "o-", label="전방 차분  O(ε)")
    plt.loglog(epsilons, central_err, "s-", label="중앙 차분  O(ε²)")
    plt.xlabel("간격 ε")
    plt.ylabel("|추정값 − backward()|")
    plt.title("유한 차분의 오차와 간격 ε")
    plt.legend()
    plt.show()

    i = epsilons.index(1e-3)
    assert central_err[i] < forward_err[i] / 100
    assert min(central_err) < 1e-9
    """),
    md(r"""
    `gradcheck` 는 여러 입력에 대해 이 비교를 한 번에 하고, 어긋나는 입력이 있으면 두 값을 모두 적은
    오류를 냅니다.
    """),
    code("""
    def net_loss(x, w1, w2):
        return (w2 * (w1 * x).tanh() - 0.5) ** 2


    assert gradcheck(net_loss, [1.5, 0.8, -1.2])
    print("수치 미분 (numerical):", numerical_grad(net_loss, [1.5, 0.8, -1.2]))
    print("역전파 backward()   :", [x.grad, w1.grad, w2.grad])
    """),
    md(r"""
    ## 요약

    - 역전파는 출력에서 입력 쪽으로 국소적 미분을 곱해 가는 연쇄법칙입니다. 그림에서 순전파는 파란색,
      역전파는 빨간색입니다.
    - 한 노드가 여러 번 쓰이면 그 기울기는 쓰인 곳마다 나눠 받는 기울기의 **합** 입니다. 다 모이기 전에 넘기면 틀립니다
      (`b = a + a; c = b + b` 에서 순진한 방법은 6, 정답은 4).
    - 위상 정렬의 역순으로 한 번씩 처리하면 각 노드의 `grad` 가 완성된 뒤에 넘겨집니다.
    - 중앙 차분의 오차는 $O(\varepsilon^2)$ 이라 전방 차분보다 정확하고, `gradcheck` 로 엔진을 검증할 수 있습니다.

    ## 연습 문제

    `a = Value(2.0)`, `b = a * a`, `c = b * a + b` 일 때 $\partial c/\partial a$ 는 얼마일까요?
    손으로 구하고, 순진한 방법(`naive_backward` 는 덧셈 전용이라 쓸 수 없으니 손으로 따져 보세요)이 왜 틀리는지
    생각해 본 뒤 `backward()` 와 `gradcheck` 로 확인하세요.

    아래 셀의 `None` 을 여러분의 답으로 바꾸고, 그다음 셀로 채점하세요. 풀이는 접힌 칸에 있습니다.
    """),
    *exercise(
        answer="""
        # dc/da 의 값 (숫자)
        my_dc_da = None
        """,
        expected="3 * 2.0**2 + 2 * 2.0",
        hint="c 를 a 만의 식으로 정리해 보세요. a 는 세 곳에서, b 는 두 곳에서 쓰입니다.",
        explanation=r"""
        $c = a^3 + a^2$ 이므로 $\partial c/\partial a = 3a^2 + 2a = 12 + 4 = 16$ 입니다. $a$ 는 세 곳(`a * a` 의 두
        자리와 `b * a`)에서 쓰이고 $b$ 도 두 곳에서 쓰이므로, $b$ 의 `grad` 가 다 모이기 전에 넘기면 틀립니다.
        """,
        solution="""
        a = Value(2.0)
        b = a * a
        c = b * a + b
        c.backward()
        print("dc/da =", a.grad)
        assert gradcheck(lambda a: (a * a) * a + a * a, [2.0])
        my_dc_da = a.grad
        """,
    ),
    further_reading(
        (book(5), "계산 그래프, 국소적 미분, 연쇄법칙으로 역전파를 설명하는 장입니다. 덧셈 노드와 곱셈 노드의 역전파가 1절과 같습니다."),
        (book(4), "수치 미분을 다루는 절에서 전방 차분과 중앙 차분의 차이를 설명합니다 (4절의 그림)."),
        (CS231N, "한 노드가 여러 번 쓰일 때 기울기가 더해진다는 점(2절)을 회로 그림으로 보여 줍니다."),
        (LECTURE, "위상 정렬로 `backward()` 를 만드는 과정과, 같은 값을 두 번 쓸 때 생기는 버그를 직접 보여 줍니다."),
    ),
]

if __name__ == "__main__":
    build(NAME, CELLS)
