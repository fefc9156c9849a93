"""09 역전파는 프로그램 변환이다: 추적, 컴파일, 배치 (issue 8)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from nbtools import CS231N, LECTURE, book, build, code, exercise, further_reading, md  # noqa: E402

NAME = "09_compile"

CELLS = [
    md(r"""
    # 09. 역전파는 프로그램 변환이다: 한 번 추적하고, 코드로 읽고, 배치로 돌리기

    지금까지 `backward()` 는 계산할 때마다 그래프를 새로 만들고, 그 그래프를 거꾸로 걸으며
    연쇄법칙을 적용했습니다. 그런데 신경망처럼 **그래프의 모양이 매번 같다면**, 걷는 순서도 매번
    같습니다. 그렇다면 한 번만 걸으면서 "무엇을 어떤 순서로 계산하는지"를 **파이썬 코드로 적어 두고**,
    다음부터는 그 코드를 그냥 실행하면 됩니다.

    이 노트북에서는

    1. 함수를 한 번 **추적(trace)** 해서 순전파·역전파 코드를 만들고(`compile`),
    2. 만들어진 코드 `compiled.source` 를 한 줄씩 읽고,
    3. 국소적 미분이 미분 표(`ops.py`)에서 그대로 온다는 것을 확인하고,
    4. 같은 코드에 숫자 대신 NumPy 배열을 넣어 **샘플 여러 개를 한꺼번에** 계산하고
       (ReLU 처럼 꺾이는 곳이 있어도 샘플마다 올바른 쪽을 고릅니다),
    5. 마지막으로 moons 데이터의 MLP를 컴파일된 코드로 학습합니다.
    """),
    code("""
    import time

    import numpy as np

    from micrograd_kr import TraceError, Value, compile, grad, maximum, nn
    from micrograd_kr.data import make_moons
    """),
    md(r"""
    ## 1. 한 번 추적하기

    $f(x, y) = \tanh(xy) + y$ 를 예로 듭니다. `compile(f, [0.5, 2.0])` 은 $f$ 를 예시 입력
    $x = 0.5,\ y = 2$ 에서 **딱 한 번** 실행해 그래프를 기록하고, 그 그래프를 파이썬 함수의 소스
    코드로 옮깁니다.
    """),
    code("""
    def f(x, y):
        return (x * y).tanh() + y


    c = compile(f, [0.5, 2.0])
    print(c.source)
    """),
    md(r"""
    ## 2. 만들어진 코드 읽기

    - `v0, v1` 은 입력 $x, y$ 입니다. 그래프의 노드마다 번호가 붙고, `vN` 은 노드 N의 **값**입니다.
    - **순전파(forward)**: 노드마다 한 줄. 그림으로 치면 파란 화살표 방향입니다.
      `v2 = v0 * v1` 은 곱셈 노드, `v3 = tanh(v2)`, `v4 = v3 + v1` 이 출력입니다.
    - **역전파(backward)**: `gN` 은 $\partial(\text{출력}) / \partial(\text{노드 N})$ 입니다.
      출력에서 `g4 = 1.0` 으로 시작해서 빨간 화살표 방향으로, (노드, 입력) 쌍마다 한 줄씩
      $$g_\text{입력} \mathrel{+}= g_\text{노드} \times \frac{\partial\,\text{노드}}{\partial\,\text{입력}}$$
      을 적습니다. 주석 `tanh'` 는 "tanh의 국소적 미분" 이라는 뜻입니다.
    - `g2 = g3 * (1.0 - v3 * v3)` 에서 $1 - \tanh^2$ 가 보이나요? $\tanh$ 의 미분입니다.
    - `v1`($y$)은 두 번 쓰였습니다(곱셈과 덧셈). 그래서 `g1` 에는 기울기가 두 번 더해집니다:
      한 번은 `g1 = g4`, 또 한 번은 `g1 = g1 + g2 * v0` 입니다.

    마지막 줄은 출력값과 입력별 기울기를 돌려줍니다. 엔진의 `backward()` 와 비교해 봅시다.
    """),
    code("""
    out, (dx, dy) = c(0.5, 2.0)

    x, y = Value(0.5), Value(2.0)
    z = f(x, y)
    z.backward()

    print("컴파일한 코드 (compiled):", out, dx, dy)
    print("엔진 backward() (eager):", z.data, x.grad, y.grad)
    assert (out, dx, dy) == (z.data, x.grad, y.grad)
    """),
    md(r"""
    같은 식을 같은 순서로 계산하므로 마지막 자리까지 똑같습니다. 추적은 한 번뿐이니, 이제 다른 입력을
    넣어도 그래프를 다시 만들지 않습니다.
    """),
    code("""
    print(c(-1.0, 0.3))
    """),
    md(r"""
    ## 3. 국소적 미분은 미분 표에서 온다

    코드의 식은 누가 썼을까요? `micrograd_kr/ops.py` 에는 연산마다 순전파 규칙과 국소적 미분 규칙이
    나란히 적힌 **미분 표**가 있습니다. 규칙은 수학 함수 묶음 `m` 을 받아서 계산합니다.
    `m` 이 실수용이면 숫자가 나오고, 컴파일러의 **기호(symbolic)** 용이면 숫자 대신 **소스 코드 문자열**이
    나옵니다. 직접 해 봅시다.
    """),
    code("""
    from micrograd_kr.compiler import SYM, Sym
    from micrograd_kr.ops import FLOAT, OPS

    tanh = OPS["tanh"]
    (d_tanh,) = tanh.derivatives  # one rule per input
    print(d_tanh(FLOAT, 0.5, 0.5493))  # numbers in -> a number out
    print(d_tanh(SYM, Sym("v3"), Sym("v2")))  # symbols in -> source text out
    print(OPS["relu"].derivatives[0](SYM, Sym("v7"), Sym("v6")))
    """),
    md(r"""
    그래서 생성된 코드에 들어가는 것은 미분 표의 식, 노드 번호, 그리고 `repr(float(x))` 로 적은 실수
    상수뿐입니다. 실행하기 전에 파이썬의 `tokenize` 로 코드를 한 번 더 읽어서, 허용된 이름과 실수
    리터럴 말고 다른 것이 있으면 실행하지 않습니다.
    노드에 붙인 이름(`label`)처럼 사용자가 준 문자열은 코드에 절대 들어가지 않습니다. 이름에 파이썬 코드를
    숨겨도 소용없습니다.
    """),
    code("""
    w = Value(3.0, label="__import__('os')")
    c2 = compile(lambda x: x * w, [1.0])
    print(c2.source)
    assert "import" not in c2.source
    """),
    md(r"""
    `w` 는 입력이 아니므로 상수 `3.0` 으로 코드에 들어갔습니다. (학습할 매개변수는 `params=` 로 넘기면
    함수의 인자가 됩니다. 5절에서 씁니다.)

    ## 4. 배치: 한 번 추적, 샘플 여러 개

    같은 코드에 숫자 대신 NumPy 배열을 넣으면 각 줄이 배열 전체에 대해 한 번에 계산됩니다.
    샘플 1000개라도 코드는 한 번만 실행됩니다.

    그런데 ReLU 는 $x > 0$ 이냐 아니냐에 따라 미분이 1 또는 0 입니다. 추적할 때의 예시 입력은 한쪽에만
    있었는데, 다른 쪽 샘플은 어떻게 될까요? 미분 표는 파이썬 `if` 대신 `where(조건, 참일 때, 거짓일 때)`
    로 적혀 있어서, 배열의 **각 샘플이 자기 쪽을 고릅니다**.
    """),
    code("""
    def g(x, y):
        return (x * y).relu() + maximum(x, y)


    cg = compile(g, [1.0, 2.0])  # traced where x*y > 0 and y > x
    print(cg.source)
    """),
    code("""
    xs = np.array([-2.0, -0.5, 0.5, 2.0, 3.0])
    ys = np.array([1.0, 1.0, 1.0, 1.0, -1.0])
    out, (gx, gy) = cg(xs, ys)
    print("g    :", out)
    print("dg/dx:", gx)
    print("dg/dy:", gy)

    # the same, one sample at a time, with the eager engine
    for i in range(len(xs)):
        a, b = Value(xs[i]), Value(ys[i])
        o = g(a, b)
        o.backward()
        assert (o.data, a.grad, b.grad) == (out[i], gx[i], gy[i])
    """),
    md(r"""
    샘플마다 $xy$ 와 $\max(x, y)$ 의 부호·크기가 다르지만, 모두 엔진과 똑같습니다.

    반대로 **내 함수 안에서** 파이썬 `if x > 0:` 으로 갈라지면, 그 선택은 추적할 때 한 번 정해져서 코드에
    굳어 버립니다. 그래서 `compile` 은 추적 중에 Value 를 비교하면 오류를 냅니다.
    """),
    code("""
    def bad(x):
        return x * 2 if x > 0 else -x


    try:
        compile(bad, [1.0])
    except Exception as exc:
        print(type(exc).__name__, ":", exc)
    """),
    md(r"""
    ### 스스로 확인하는 컴파일

    비교 대신 `x.data > 0` 처럼 **숫자를 직접 읽어서** 갈라지면, 추적 중에는 막을 방법이 없습니다.
    그래서 컴파일된 함수는 스스로 확인합니다. `compile` 은 예시 근처의 다른 점에서, 그리고 첫 호출은
    그 입력에서(배치라면 처음·가운데·마지막 샘플에서) 즉시 실행(eager) 엔진과 결과를 비교하고,
    다르면 `TraceError` 를 냅니다. 그러니 `f` 는 몇 번 더 호출됩니다(부작용이 없어야 합니다).
    """),
    code("""
    sneaky = compile(lambda x: x * 2 if x.data > 0 else x * 3, [1.0])
    try:
        sneaky(-1.0)  # eager gives -3.0; the frozen branch would give -2.0
    except TraceError as exc:
        print("TraceError:", str(exc)[:100], "...")
    """),
    md(r"""
    **함정: 기본값은 첫 호출만 확인합니다** (`check="first"`). 매번 엔진을 함께 돌리면 컴파일한
    보람이 없기 때문입니다. 그래서 첫 호출은 갈림길의 같은 쪽에 있고 나중 호출만 반대쪽에 있으면,
    틀린 값이 조용히 나옵니다. 아래 `c(10.0)` 은 엔진이라면 30이지만 20을 돌려줍니다.
    의심스러우면 `check="always"` 로 매 호출(배치라면 모든 샘플)을 엔진과 비교하세요. 느리지만
    틀린 숫자를 그냥 지나치지 않습니다. (`check="never"` 는 확인을 아예 끕니다.)
    """),
    code("""
    def branchy(x):
        return x * 2 if x.data < 5 else x * 3  # reads .data: the trace at 1.0 keeps x * 2


    c = compile(branchy, [1.0])
    print("첫 호출 c(1.0)   :", c(1.0)[0])  # checked: the same side as the trace
    print("다음 호출 c(10.0):", c(10.0)[0], " (엔진으로는 30.0, 확인하지 않음)")

    careful = compile(branchy, [1.0], check="always")
    careful(1.0)
    try:
        careful(10.0)
    except TraceError as exc:
        print("check='always' 이면 TraceError:", str(exc)[:100], "...")
    """),
    md(r"""
    배치가 얼마나 빠른지 재 봅시다. 샘플 1000개를 엔진으로 하나씩 계산하는 것과 비교합니다.
    (시간은 컴퓨터마다 다릅니다.)
    """),
    code("""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(1000, 2))

    t0 = time.perf_counter()
    out, (gx, gy) = cg(X[:, 0], X[:, 1])
    t_batch = time.perf_counter() - t0

    t0 = time.perf_counter()
    for a_, b_ in X:
        a, b = Value(a_), Value(b_)
        g(a, b).backward()
    t_eager = time.perf_counter() - t0
    print(f"샘플 1000개 배치: {t_batch * 1e3:.2f} ms, 엔진으로 하나씩: {t_eager * 1e3:.1f} ms")
    """),
    md(r"""
    ## 5. MLP 를 컴파일해서 학습하기

    이제 진짜 신경망입니다. 입력 2개, 은닉층 16-16, 출력 1개인 MLP의 **샘플 하나**를 추적합니다.
    매개변수 337개는 `params=model.parameters()` 로 넘겨서 생성된 함수의 인자가 되게 합니다.
    그래서 매개변수를 업데이트해도 다시 추적할 필요가 없습니다.
    """),
    code("""
    model = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)
    params = model.parameters()
    score = compile(lambda a, b: model([a, b]), [0.0, 0.0], params=params)
    print(score)
    print("\\n".join(score.source.splitlines()[:8]))
    print("    ...")
    """),
    md(r"""
    점수 $s_i$ 에 대한 힌지 손실 $\frac1N\sum_i \max(0, 1 - y_i s_i)$ 의 평균과 L2 정규화
    $10^{-4}\sum p^2$ 는 NumPy 로 바로 계산합니다. 매개변수 $p$ 에 대한 기울기는 연쇄법칙으로

    $$\frac{\partial L}{\partial p} = \sum_i \frac{\partial L}{\partial s_i}\,\frac{\partial s_i}{\partial p}
      + 2\cdot 10^{-4}\, p$$

    이고, $\partial s_i / \partial p$ 는 컴파일된 코드가 샘플마다(배열로) 돌려줍니다.
    """),
    code("""
    X, labels = make_moons(100, noise=0.1, seed=0)
    X = np.array(X)
    y = np.array(labels) * 2.0 - 1.0  # classes 0/1 -> -1/+1


    def step(lr):
        p = np.array([q.data for q in params])
        s, grads = score(X[:, 0], X[:, 1])
        ds_dp = np.stack(grads[2:])  # (337 parameters, 100 samples)
        margin = 1.0 - y * s
        loss = np.maximum(margin, 0).mean() + 1e-4 * (p @ p)
        dL_ds = np.where(margin > 0, -y / len(y), 0.0)
        grad_p = ds_dp @ dL_ds + 2e-4 * p
        for q, new in zip(params, p - lr * grad_p):
            q.data = float(new)
        return loss, np.mean((s > 0) == (y > 0))


    t0 = time.perf_counter()
    for k in range(100):
        loss, acc = step(lr=1.0 - 0.9 * k / 100)
        if acc == 1.0:
            break
    print(f"단계 {k}: 손실 {loss:.4f}, 정확도 {acc:.0%}, {time.perf_counter() - t0:.3f} 초")
    assert acc == 1.0
    """),
    md(r"""
    몇십 번의 스텝만에 정확도 100%에 닿습니다. 엔진으로 같은 학습을 하면 스텝마다 그래프를 수만 개의
    노드로 다시 만들어야 해서 훨씬 오래 걸립니다.

    ## 6. 덤: 미분의 미분

    `grad(f)` 는 미분 표의 규칙을 숫자가 아니라 Value 에 적용합니다. 그래서 기울기도 그래프이고,
    다시 미분할 수 있습니다. 이차 미분으로 뉴턴 방법 $x \leftarrow x - f'(x)/f''(x)$ 을 써서
    $f(x) = e^x - 2x$ 의 최솟값($x^* = \ln 2$)을 찾아 봅시다. 오차가 매번 **제곱**으로 줄어듭니다.
    """),
    code("""
    def h(x):
        return x.exp() - 2 * x


    dh, d2h = grad(h), grad(grad(h))
    x = 2.0
    for _ in range(6):
        x = x - dh(x).data / d2h(x).data
        print(f"x = {x:.16f}   오차 = {abs(x - np.log(2)):.1e}")
    """),
    md(r"""
    미분 함수도 컴파일할 수 있습니다. 아래 코드의 출력은 $f'(x)$, 기울기는 $f''(x)$ 입니다.
    """),
    code("""
    c3 = compile(grad(lambda x: x.tanh()), [0.3])
    print(c3.source)
    """),
    md(r"""
    ## 요약

    - 그래프의 모양이 같다면 역전파는 **한 번 적어 둘 수 있는 프로그램**입니다. `compile` 은 함수를 한 번
      추적해서 순전파(노드마다 한 줄)와 역전파((노드, 입력) 쌍마다 한 줄)를 파이썬 코드로 만듭니다.
    - 코드 속 국소적 미분은 미분 표 `ops.py` 의 규칙을 기호로 실행해서 얻습니다. 미분은 표 한 곳에만 적혀
      있고, 사용자 문자열은 코드에 들어가지 않습니다.
    - 같은 코드에 NumPy 배열을 넣으면 배치 전체를 한 번에 계산합니다. 꺾이는 연산은 `where` 로 적혀
      있어서 샘플마다 올바른 쪽을 고릅니다. 내 함수 안의 파이썬 `if` 는 추적 중에 거부됩니다.
    - `grad`, `grad(grad(...))` 로 미분의 미분도 구할 수 있습니다.

    ## 연습 문제

    답은 각 문제 아래 셀의 `None` 을 바꿔 쓰고, 그다음 셀로 채점합니다. 풀이는 접힌 칸(「풀이 보기」)에 있습니다.

    **1.** $f(x) = x^3 \sin x$ 를 컴파일하고 `source` 를 읽어 보세요. `pow` 의 국소적 미분은 어떤 식으로
    나오나요? 배열 `np.linspace(-2, 2, 5)` 에서의 기울기가 엔진의 `backward()` 와 같은지 확인하세요.
    """),
    *exercise(
        answer="""
        # 컴파일한 코드로 구한 f'(x) 다섯 개 (x = -2, -1, 0, 1, 2)
        my_grads = None
        """,
        expected="[3 * x**2 * math.sin(x) + x**3 * math.cos(x) for x in (-2.0, -1.0, 0.0, 1.0, 2.0)]",
        imports="import math",
        hint="compile(f, [1.0]) 가 돌려준 함수에 배열을 넣으면 (값, (기울기 배열,)) 이 나옵니다.",
        solution="""
        def f1(x):
            return x**3 * x.sin()


        c1 = compile(f1, [1.0])
        print([line for line in c1.source.splitlines() if "pow'" in line])
        xs = np.linspace(-2, 2, 5)
        out, (gx,) = c1(xs)
        for i, x0 in enumerate(xs):
            v = Value(x0)
            f1(v).backward()
            assert abs(v.grad - gx[i]) < 1e-12
        my_grads = list(gx)
        """,
    ),
    md(r"""
    **2.** `leaky_relu` 를 쓴 함수 $f(x) = \mathrm{leaky\_relu}(x) \cdot 3$ 을 **음수** 예시 입력으로
    추적한 뒤, 양수와 음수가 섞인 배열 `np.array([-2.0, -0.1, 0.1, 2.0])` 에서의 기울기를 구하세요.
    """),
    *exercise(
        answer="""
        # x = -2, -0.1, 0.1, 2 에서의 기울기 네 개
        my_leaky_grads = None
        """,
        expected="[0.3, 0.3, 3.0, 3.0]",
        hint="compile 이 돌려준 함수에 배열을 넣으면 (값, (기울기 배열,)) 이 나옵니다. 음수 쪽과 양수 쪽이 왜 다른지는 leaky_relu 의 정의와 연쇄법칙을 보세요.",
        solution="""
        c_leaky = compile(lambda x: x.leaky_relu() * 3.0, [-1.0])
        _, (gl,) = c_leaky(np.array([-2.0, -0.1, 0.1, 2.0]))
        my_leaky_grads = list(gl)
        print(gl)
        """,
    ),
    md(r"""
    ## 7. 스칼라 그래프에서 행렬 곱으로

    5절의 컴파일된 코드는 **노드마다 한 줄**이었습니다. 은닉층 뉴런이 16개면 `dot` 줄이 16개, 편향을
    더하는 줄이 16개, ReLU 줄이 16개입니다. 그런데 이 16개의 `dot` 노드는 **같은 입력**을 읽고, 각자
    자기 가중치만 다릅니다. 뒤따르는 덧셈과 ReLU 도 16개가 나란히 같은 일을 합니다.

    나란히 같은 일을 하는 노드들을 한 묶음으로 보면, 한 층은 행렬 식 한 줄입니다.

    $$H_1 = \mathrm{relu}(X W_1^\top + b_1)$$

    여기서 $X$ 는 (샘플 수 × 입력 수) 행렬, $W_1$ 은 (뉴런 수 × 입력 수) 가중치 행렬입니다. 역전파도
    행렬 곱이 됩니다. $G_1$ 이 $\partial L / \partial (XW_1^\top)$ (샘플 × 뉴런) 이라면

    $$\frac{\partial L}{\partial W_1} = G_1^\top X, \qquad \frac{\partial L}{\partial X} = G_1 W_1$$

    $G_1^\top X$ 는 (뉴런 × 샘플)(샘플 × 입력) 곱이라서, **샘플에 대한 합이 행렬 곱 안에서** 끝납니다.
    5절처럼 (매개변수 수 × 샘플 수) 배열을 만들었다가 더할 필요가 없습니다.

    `compile(..., lift=True)` 가 이 묶기(lifting)를 합니다. 이번에는 점수가 아니라 **샘플 하나의 손실**
    $\max(0, 1 - t\,s)$ 를 추적합니다. 정답 $t$ 도 입력으로 받아서, 한 번 만든 코드가 모든 샘플에 쓰입니다.
    """),
    code("""
    model = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)
    params = model.parameters()


    def sample_loss(a, b, t):
        return (1.0 - t * model([a, b])).relu()


    lifted = compile(sample_loss, [0.0, 0.0, 1.0], params=params, lift=True)
    print(lifted.source)
    """),
    md(r"""
    읽는 법:

    - `X` 는 한 행이 샘플 하나인 행렬이고, 열은 입력 `v0, v1, v2` ($x_1, x_2, t$) 입니다.
      `cols(X, 0, 2)` 는 0~1번 열, `T(W1)` 은 $W_1^\top$ 입니다.
    - `V2 = (cols(X, 0, 2) @ T(W1)) + b1` 한 줄이 스칼라 코드의 `dot` 16줄과 편향 덧셈 16줄입니다.
      주석이 어느 스칼라 노드들을 덮는지 번호로 알려 줍니다 (`lifted.scalar_source` 의 번호와 같습니다).
    - ReLU 줄은 미분 표의 규칙을 그대로 씁니다. ReLU 는 표에 `where(x > 0.0, x, 0.0)` 로 적혀 있어서
      행렬에도 원소마다 적용됩니다.
    - 역전파의 `gW1 = T(G2) @ cols(X, 0, 2)` 가 $G^\top X$, `G2 = where(V2 > 0.0, (G5 @ W2), 0.0)`
      안의 `G5 @ W2` 가 $G W$ (그리고 ReLU 의 미분) 입니다.
      `gb1 = sum0(G2)` 는 편향의 기울기: 샘플 방향(0번 축)으로 더합니다.

    스칼라 코드와 줄 수를 비교하고, 세 가지 방법(엔진, 스칼라 코드, 행렬 코드)이 같은 값을 내는지
    확인해 봅시다.
    """),
    code("""
    print("스칼라 코드 (scalar):", len(lifted.scalar_source.splitlines()), "줄")
    print("묶은 코드 (lifted):", len(lifted.source.splitlines()), "줄")

    X, labels = make_moons(200, noise=0.1, seed=0)
    X = np.array(X)
    t = np.array(labels) * 2.0 - 1.0
    columns = (X[:, 0], X[:, 1], t)

    # 1) the engine: one graph per sample, backward(), gradients averaged
    for p in params:
        p.grad = 0.0
    total = sum(sample_loss(Value(a), Value(b), Value(ti)) for (a, b), ti in zip(X, t)) / len(t)
    total.backward()
    engine_grads = np.array([p.grad for p in params])

    # 2) the scalar program and 3) the lifted program, on the whole batch at once
    scalar = compile(sample_loss, [0.0, 0.0, 1.0], params=params)
    loss_s, grads_s = scalar(*columns, reduce="mean")
    loss_l, grads_l = lifted(*columns, reduce="mean")
    print(f"손실: 엔진 {total.data:.15f}  스칼라 코드 {loss_s:.15f}  묶은 코드 {loss_l:.15f}")
    print("묶은 코드와 엔진의 기울기 차이 (최대):",
          np.max(np.abs(np.array(grads_l[3:]) - engine_grads)))
    assert np.allclose(grads_l[3:], engine_grads, rtol=1e-12, atol=1e-14)
    """),
    md(r"""
    같은 수를 냅니다. 차이는 덧셈 순서에서 오는 마지막 자리뿐입니다. 그러면 얼마나 빠를까요?
    스칼라 코드는 NumPy 호출이 노드마다 한 번(수백 번), 행렬 코드는 층의 연산마다 한 번(수십 번)입니다.
    """),
    code("""
    X_big, labels_big = make_moons(5000, noise=0.1, seed=1)
    X_big = np.array(X_big)
    t_big = np.array(labels_big) * 2.0 - 1.0
    big = (X_big[:, 0], X_big[:, 1], t_big)


    def best_of(fn, repeat=5):
        best = float("inf")
        for _ in range(repeat):
            t0 = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - t0)
        return best


    t_scalar = best_of(lambda: scalar(*big, reduce="mean"))
    t_lifted = best_of(lambda: lifted(*big, reduce="mean"))
    print(f"샘플 5000개: 스칼라 코드 {t_scalar * 1e3:.1f} ms, 묶은 코드 {t_lifted * 1e3:.1f} ms")
    """),
    md(r"""
    딥러닝 라이브러리가 텐서(행렬)로 계산하는 이유가 바로 이것입니다. 계산 그래프는 여전히 스칼라
    노드로 이루어져 있지만, 같은 일을 하는 노드들을 묶으면 **한 번의 호출이 수천 개의 곱셈**을
    처리합니다. PyTorch 와의 비교는 `benchmarks/RESULTS.md` 에 있습니다.

    학습 루프 `fit` 도 `compiled=True` 로 이 길을 씁니다. 샘플 하나의 손실을 한 번 추적하고, 미니배치마다
    행렬 코드를 실행하고, 기울기를 매개변수의 `.grad` 에 넣은 뒤 **같은 옵티마이저**로 한 스텝 갑니다.
    엔진으로 학습한 결과와 숫자가 같습니다.
    """),
    code("""
    from micrograd_kr import train

    results = {}
    for flag in (False, True):
        m = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)
        t0 = time.perf_counter()
        history = train.fit(m, X.tolist(), labels, loss="hinge", optimizer="adam", lr=0.01,
                            epochs=30, batch_size=32, progress=False, compiled=flag)
        results[flag] = (history, [p.data for p in m.parameters()], time.perf_counter() - t0)

    for flag, (history, _, seconds) in results.items():
        name = "컴파일 (compiled)" if flag else "엔진 (engine)    "
        print(f"{name}: {seconds:.2f} 초, 마지막 손실 {history.loss[-1]:.6f}, "
              f"정확도 {history.accuracy[-1]:.1%}")
    weights_engine, weights_compiled = results[False][1], results[True][1]
    print("두 방법의 가중치 차이 (최대):", max(abs(a - b) for a, b in zip(weights_engine, weights_compiled)))
    """),
    md(r"""
    ## 8. 진짜 데이터: 손글씨 숫자

    이제 장난감 데이터가 아니라 진짜 데이터로 학습해 봅시다. `data.load_digits()` 는 8×8 픽셀의
    손글씨 숫자 1,797장입니다 (UCI 기계학습 저장소의 데이터, CC BY 4.0, 패키지에 들어 있어서 내려받지
    않습니다). 픽셀 값은 0~1, 정답은 0~9 입니다. 몇 장을 그려 봅니다.
    """),
    code("""
    import matplotlib.pyplot as plt

    from micrograd_kr import data

    X_digits, y_digits = data.load_digits()
    print(f"이미지 {len(X_digits)}장, 한 장에 픽셀 {len(X_digits[0])}개, 정답 숫자", sorted(set(y_digits)))

    fig, axes = plt.subplots(1, 10, figsize=(10, 1.4))
    for i, ax in enumerate(axes):
        ax.imshow(np.array(X_digits[i]).reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(str(y_digits[i]))
        ax.axis("off")
    plt.show()
    """),
    md(r"""
    모델은 `MLP(64, [32, 10])`: 입력 64개(픽셀), 은닉 뉴런 32개, 출력 10개(숫자마다 점수 하나)입니다.
    매개변수는 $64 \cdot 32 + 32 + 32 \cdot 10 + 10 = 2410$ 개. 손실은 교차 엔트로피 오차, 옵티마이저는 Adam,
    미니배치는 64장입니다. 앞의 1,500장으로 학습하고, 학습에 쓰지 않은 뒤의 297장으로 시험합니다.

    엔진으로 한 에폭을 돌리면 샘플마다 수천 개의 노드를 만들어야 하지만, `compiled=True` 는 샘플 하나의
    손실을 한 번 추적해서 행렬 코드로 만든 뒤 그 코드만 실행합니다.
    """),
    code("""
    X_train, y_train = X_digits[:1500], y_digits[:1500]
    X_test, y_test = X_digits[1500:], y_digits[1500:]

    digits_model = nn.MLP(64, [32, 10], activation="relu", seed=0)
    t0 = time.perf_counter()
    history = train.fit(digits_model, X_train, y_train, loss="cross_entropy", optimizer="adam",
                        lr=0.01, epochs=20, batch_size=64, progress=False, compiled=True)
    seconds = time.perf_counter() - t0
    test_accuracy = train.accuracy(digits_model, X_test, y_test)
    print(f"20 에폭에 {seconds:.1f} 초; 학습 데이터 정확도 {history.accuracy[-1]:.1%}, "
          f"시험 데이터 정확도 {test_accuracy:.1%}")
    assert test_accuracy > 0.85
    """),
    md(r"""
    몇 초 만에 학습이 끝납니다. 학습 데이터는 거의 다 맞히고, 처음 보는 297장은 90% 조금 넘게 맞힙니다.
    (이 297장은 무작위로 고른 297장보다 어렵습니다. 같은 모델을 PyTorch 로 같은 방법으로 학습해도 비슷한
    정확도가 나옵니다. 무엇이 어려운지는 아래에서 봅니다.)

    틀린 것들은 어떻게 생겼을까요? 제목은 `정답 -> 예측` 입니다.
    """),
    code("""
    predicted = train.predict_classes(digits_model, X_test)
    wrong = [i for i, (p, t) in enumerate(zip(predicted, y_test)) if p != t]
    print(f"시험 이미지 {len(y_test)}장 중 {len(wrong)}장을 틀렸습니다")

    shown = wrong[:12]
    fig, axes = plt.subplots(1, len(shown), figsize=(1.0 * len(shown), 1.5))
    for ax, i in zip(axes, shown):
        ax.imshow(np.array(X_test[i]).reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(f"{y_test[i]} -> {predicted[i]}", fontsize=9)
        ax.axis("off")
    plt.show()
    """),
    md(r"""
    8×8 픽셀로 줄이면서 획이 뭉개져 사람이 봐도 헷갈리는 것도 있고, 사람에게는 분명한데 틀린 것도
    있습니다. 숫자별로 세어 보면 틀린 것이 고르게 퍼져 있지 않습니다.
    """),
    code("""
    from collections import Counter

    from micrograd_kr.plot import use_korean_font

    use_korean_font()  # 그림 제목의 한글을 나눔고딕으로
    missed = Counter(y_test[i] for i in wrong)
    print("틀린 개수, 정답 숫자별 (errors by true digit):", dict(sorted(missed.items())))
    worst = missed.most_common(1)[0][0]
    worst_wrong = [i for i in wrong if y_test[i] == worst]
    guesses = Counter(predicted[i] for i in worst_wrong)
    print(f"정답이 {worst}인데 틀린 {len(worst_wrong)}장의 예측:", dict(guesses.most_common()))
    assert worst == 3 and guesses.most_common(1)[0][0] == 8  # the text below describes these

    def mean_image(digit):
        rows = [x for x, t in zip(X_train, y_train) if t == digit]
        return np.array(rows).mean(axis=0).reshape(8, 8)

    fig, axes = plt.subplots(1, 2 + len(worst_wrong), figsize=(1.0 * (2 + len(worst_wrong)), 1.6))
    for ax, digit in zip(axes, (3, 8)):
        ax.imshow(mean_image(digit), cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(f"평균 {digit}", fontsize=9)
        ax.axis("off")
    for ax, i in zip(axes[2:], worst_wrong):
        ax.imshow(np.array(X_test[i]).reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(f"{y_test[i]} -> {predicted[i]}", fontsize=9)
        ax.axis("off")
    plt.show()
    """),
    md(r"""
    가장 많이 틀린 숫자는 3이고, 대부분 8로 예측했습니다. 왼쪽 두 칸은 학습 데이터에 있는 3과 8의
    평균 모습입니다. 평균 3은 획이 오른쪽에 몰려 있는데, 틀린 3들은 가운데에 좁게 쓰여서 평균 8이
    잉크를 가진 자리를 채웁니다. 은닉 뉴런 32개짜리 모델은 이런 3을 8 쪽으로 분류합니다.

    학습을 더 오래 하거나 학습률, 가중치 감쇠(weight decay), 입력 잡음, 한 픽셀씩 옮긴 이미지 같은
    요령을 더해도 이 297장에서는 93% 근처를 넘지 못했습니다(`benchmarks/RESULTS.md`). 학습 데이터를 잘
    맞히는 것과 처음 보는 글씨체를 맞히는 것(일반화, generalization)은 다른 문제입니다.

    정리하면, 스칼라 노드의 그래프는 그대로인데 같은 일을 하는 노드들을 묶어 행렬 연산으로 실행하는 것만으로
    진짜 데이터를 몇 초 만에 학습할 수 있습니다.
    """),
    further_reading(
        (book(5), "Affine 계층과 배치용 Affine 계층의 역전파를 행렬 곱으로 유도합니다. 7절의 $G_1^\\top X$ 가 그 식입니다."),
        (CS231N, "벡터와 행렬 연산의 기울기(gradients for vectorized operations)를 차원 맞추기로 구하는 요령을 설명합니다."),
        (LECTURE, "스칼라 `Value` 하나하나로 만든 그래프가 출발점입니다. 이 노트북은 그 그래프를 코드로 바꿉니다."),
    ),
]

if __name__ == "__main__":
    build(NAME, CELLS)
