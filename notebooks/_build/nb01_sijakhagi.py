"""01 시작하기: Value, forward, backward, gradients, the first diagram."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from nbtools import CS231N, LECTURE, book, build, code, exercise, further_reading, md  # noqa: E402

NAME = "01_sijakhagi"

CELLS = [
    md(r"""
    # 01. 시작하기: `Value`, 순전파, 역전파

    `micrograd_kr` 는 숫자 하나하나가 **자신이 어떻게 계산되었는지** 를 기억하는 작은 자동미분 엔진입니다.
    이 노트북에서 배울 것:

    - `Value`: 숫자(`data`)와 그 숫자에 대한 미분값(`grad`)을 담는 노드
    - **순전파(forward)**: 식을 계산하면서 계산 그래프를 기록하기
    - **역전파(backward)**: `backward()` 한 번으로 모든 입력에 대한 미분 구하기
    - 계산 그래프 그림 그리기: 순전파는 **파란색**, 역전파는 **빨간색** 화살표. 값이 앞으로 흐르는 길과
      기울기가 거꾸로 흐르는 길을 한 그림에서 색으로 구별하면, 역전파가 무엇을 하는지 한눈에 보입니다.

    노트북은 그 자체로 읽을 수 있게 썼습니다. 필요한 식과 숫자는 모두 노트북 안에 있고, 같은 주제의 다른
    설명(강의 영상, 책)은 맨 끝의 「더 읽을거리」에 모아 두었습니다.

    위에서부터 차례로 실행하면 됩니다.
    """),
    code("""
    from micrograd_kr import DomainError, Value, gradients, numerical_grad, zero_grad
    from micrograd_kr.viz import draw_dot
    """),
    md(r"""
    ## 1. `Value` 만들기

    `Value(숫자, label="이름")` 으로 만듭니다. `label` 은 그림에 표시될 이름입니다.
    처음 `grad` 는 0입니다.
    """),
    code("""
    x = Value(3.0, label="x")
    y = Value(-2.0, label="y")
    x, y
    """),
    md(r"""
    ## 2. 순전파: 계산하면서 그래프를 기록한다

    다음 식을 계산해 봅시다.

    $$L = (x\,y + x)^2$$

    평범한 파이썬처럼 쓰면 됩니다. 다만 결과도 `Value` 이고, 어떤 연산(`op`)으로 어떤 값들에서
    만들어졌는지를 기억합니다. 중간 결과에도 이름을 붙여 두면 그림이 읽기 쉽습니다.
    """),
    code("""
    p = x * y
    p.label = "p"
    s = p + x
    s.label = "s"
    L = s**2
    L.label = "L"
    print(f"p = {p.data}, s = {s.data}, L = {L.data}")
    print(f"L 을 만든 연산 (op): {L.op!r},  x 는 잎 노드 (leaf, op {x.op!r}): {x.is_leaf}")
    assert L.data == 9.0
    """),
    md(r"""
    ## 3. 역전파: `backward()`

    `L.backward()` 를 부르면 엔진이 그래프를 거꾸로 따라가며 **연쇄법칙(chain rule)** 으로
    $\partial L/\partial(\text{모든 노드})$ 를 `.grad` 에 채웁니다.

    손으로 먼저 계산해 봅시다. $s = xy + x$, $L = s^2$ 이므로

    $$
    \frac{\partial L}{\partial x} = 2s \cdot \frac{\partial s}{\partial x} = 2s\,(y + 1), \qquad
    \frac{\partial L}{\partial y} = 2s \cdot \frac{\partial s}{\partial y} = 2s\,x
    $$

    $x = 3$, $y = -2$ 에서 $s = -3$ 이므로 $\partial L/\partial x = 2(-3)(-1) = 6$,
    $\partial L/\partial y = 2(-3)(3) = -18$ 입니다.
    """),
    code("""
    L.backward()
    print(f"dL/dx = {x.grad}, dL/dy = {y.grad}")
    print(f"dL/ds = {s.grad}, dL/dp = {p.grad}, dL/dL = {L.grad}")
    assert x.grad == 6.0 and y.grad == -18.0
    """),
    md(r"""
    ## 4. 첫 계산 그래프 그림

    `draw_dot(L)` 은 그래프를 그림으로 그립니다. 상자는 값(`data`)과 기울기(`grad`), 동그라미는 연산입니다.

    - **파란 화살표**: 순전파. 값이 입력에서 출력으로 흐릅니다.
    - **빨간 화살표**: 역전파. 기울기가 출력에서 입력으로 흐릅니다. 화살표 위의 글자는
      `국소적 미분 × 출력의 grad = 입력이 받는 기울기` 입니다.

    $x$ 는 두 번 쓰였으므로(곱셈 $p = xy$ 와 덧셈 $s = p + x$) 빨간 화살표 두 개를 받습니다.
    곱셈 쪽에서 $\frac{\partial p}{\partial x}\cdot\frac{\partial L}{\partial p} = y \cdot (-6) = 12$,
    덧셈 쪽에서 $1 \cdot (-6) = -6$ 을 받아 그 합 $6$ 이 `x.grad` 가 됩니다. 그림에서 확인해 보세요.
    """),
    code("""
    draw_dot(L)
    """),
    md(r"""
    그림은 `draw_dot(L).save("graph.svg")` 또는 `.save("graph.png")` 로 파일에 저장할 수도 있습니다
    (슬라이드에 붙이기 좋습니다).

    ## 5. 숫자로 검증하기: 중앙 차분

    미분의 정의를 그대로 써서, 입력을 아주 조금 움직였을 때 출력이 얼마나 변하는지 재 봅니다.

    $$\frac{\partial L}{\partial x} \approx \frac{L(x+\varepsilon) - L(x-\varepsilon)}{2\varepsilon}$$

    `numerical_grad(f, [입력들])` 이 이 계산을 합니다. `backward()` 와 독립적인 방법이므로 좋은 검증입니다.
    """),
    code("""
    def f(x, y):
        return (x * y + x) ** 2


    estimate = numerical_grad(f, [3.0, -2.0])
    print("중앙 차분 (central difference):", estimate)
    assert abs(estimate[0] - x.grad) < 1e-6 and abs(estimate[1] - y.grad) < 1e-6
    """),
    md(r"""
    ## 6. `gradients()`: `.grad` 를 건드리지 않고 미분 받기

    `gradients(출력, [입력들])` 은 미분값을 `Value` 목록으로 돌려줍니다. `.grad` 필드는 바꾸지 않습니다.
    """),
    code("""
    a, b = Value(3.0), Value(-2.0)
    da, db = gradients(f(a, b), [a, b])
    print(f"dL/dx = {da.data}, dL/dy = {db.data}")
    assert (da.data, db.data) == (6.0, -18.0)
    """),
    md(r"""
    ## 7. 잎 노드의 기울기는 쌓인다

    PyTorch 와 마찬가지로, 입력(잎 노드)의 `.grad` 는 `backward()` 를 부를 때마다 **더해집니다**.
    여러 손실의 기울기를 합칠 때 편리하지만, 학습 루프에서는 매 단계마다 `zero_grad` 로 0을 만들어야 합니다.
    """),
    code("""
    L.backward()  # a second time: x.grad becomes 6 + 6
    print("backward() 를 두 번 부른 뒤:", x.grad, y.grad)
    assert (x.grad, y.grad) == (12.0, -36.0)

    zero_grad([x, y])
    L.backward()
    print("zero_grad 뒤 backward() 한 번:", x.grad, y.grad)
    assert (x.grad, y.grad) == (6.0, -18.0)
    """),
    md(r"""
    ## 8. 잘못된 계산은 분명한 오류로

    $\log(-1)$ 이나 $1/0$ 같은 계산은 조용히 `nan` 을 내지 않고, 연산 이름과 값을 밝히는 `DomainError` 를 냅니다.
    """),
    code("""
    for bad in (lambda: Value(-1.0).log(), lambda: Value(1.0) / 0, lambda: Value(1000.0).exp()):
        try:
            bad()
        except DomainError as err:
            print("DomainError:", err)
    """),
    md(r"""
    ## 요약

    - `Value` 는 `data` 와 `grad`, 그리고 자신을 만든 연산과 입력을 기억합니다.
    - 식을 계산하면(순전파) 계산 그래프가 기록되고, `backward()` 가 그 그래프를 거꾸로 따라가며 연쇄법칙으로
      모든 노드의 `grad` 를 채웁니다(역전파).
    - `draw_dot` 은 그래프를 그립니다: 순전파는 파란색, 역전파는 빨간색.
    - `numerical_grad` (중앙 차분)로 `backward()` 의 결과를 독립적으로 검증할 수 있습니다.
    - 잎 노드의 `grad` 는 쌓이므로, 다시 계산하기 전에 `zero_grad` 를 부릅니다.

    ## 연습 문제

    $g(x) = x \sin x$ 의 $x = 0.5$ 에서의 미분을 (1) 손으로, (2) `backward()` 로, (3) `numerical_grad` 로
    구해서 세 값이 같은지 확인해 보세요. 그리고 계산 그래프를 그려 보세요.

    아래 셀의 `None` 을 여러분의 답(숫자)으로 바꾸고 실행한 뒤, 그다음 셀로 채점하세요. 손으로 구한 값은
    반올림해서 써도 됩니다: 채점 셀은 여러분이 쓴 자릿수만큼 맞는지 보고(`0.92` 는 두 자리, `0.9182` 는 네 자리),
    정확한 값과 얼마나 가까운지 알려 줍니다.
    풀이는 맨 아래의 접힌 칸(「풀이 보기」)에 있습니다. 먼저 스스로 풀어 보세요.
    """),
    *exercise(
        answer="""
        # x = 0.5 에서 dg/dx 의 값 (숫자)
        my_dg_dx = None
        """,
        expected="math.sin(0.5) + 0.5 * math.cos(0.5)",
        imports="import math",
        hint="곱의 법칙 (product rule) (uv)' = u'v + uv' 와 (sin x)' = cos x 를 쓰세요.",
        solution="""
        import math

        t = Value(0.5, label="x")
        g = t * t.sin()
        g.label = "g"
        g.backward()
        by_hand = math.sin(0.5) + 0.5 * math.cos(0.5)  # product rule: sin x + x cos x
        by_diff = numerical_grad(lambda v: v * v.sin(), [0.5])[0]
        print(f"손 계산 {by_hand:.8f}   backward() {t.grad:.8f}   중앙 차분 {by_diff:.8f}")
        assert abs(t.grad - by_hand) < 1e-12 and abs(by_diff - by_hand) < 1e-8
        my_dg_dx = t.grad
        draw_dot(g)
        """,
    ),
    further_reading(
        (book(4, 5), "4장의 수치 미분이 이 노트북 5절의 중앙 차분이고, 5장의 계산 그래프가 4절의 그림입니다."),
        (LECTURE, "`Value` 를 처음부터 만드는 과정입니다. 10번 노트북이 그 순서를 따라갑니다."),
        (CS231N, "계산 그래프 위에서 기울기가 흐르는 모습을 그림으로 설명합니다."),
    ),
]

if __name__ == "__main__":
    build(NAME, CELLS)
