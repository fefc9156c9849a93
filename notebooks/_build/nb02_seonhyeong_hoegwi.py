"""02 선형회귀와 경사 하강법 (seeds 000, 004)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from nbtools import build, code, exercise, intro, md, plot_setup  # noqa: E402
from nbtools import LECTURE, book, further_reading  # noqa: E402

NAME = "02_seonhyeong_hoegwi"

CELLS = [
    md(r"""
    # 02. 선형회귀와 경사 하강법

    가장 단순한 신경망은 퍼셉트론 하나, 곧 **선형회귀** $\hat y = wx + b$ 입니다.
    이 노트북에서는

    1. 데이터·모델·손실을 정의하고,
    2. 손실의 미분 $\partial \mathrm{loss}/\partial w$, $\partial \mathrm{loss}/\partial b$ 를
       손으로 유도한 뒤 `micrograd_kr` 엔진의 `backward()` 결과와 맞춰 보고,
    3. 경사 하강법으로 $w, b$ 를 학습하고,
    4. 어느 신경망 강의의 실습 예제(아래에서 「실습 1」이라고 부릅니다)가 출력한 표를 숫자 하나 틀리지 않고
       재현하고 (예제에 적혀 있지 않은 데이터와 시작값을 출력된 숫자로부터 역으로 추론합니다),
    5. 학습률 $\eta$ 가 너무 작거나 크면 어떤 일이 생기는지 그림으로 봅니다.

    > **그림 속 글자에 대하여.** matplotlib의 기본 글꼴(DejaVu Sans)에는 한글이 없어서, 한글 글꼴이
    > 설치되지 않은 새 컴퓨터(Colab, Docker, WSL)에서는 한글이 네모(□)로 깨집니다. 그래서 첫 코드
    > 셀에서 `use_korean_font()` 를 부릅니다: 패키지와 함께 설치되는 나눔고딕(NanumGothic)으로
    > 그림 속 한글을 그립니다. 여러분이 그리는 그림에도 그대로 쓸 수 있습니다.
    """),
    plot_setup(
        """
        import random

        from micrograd_kr import Parameter, no_grad, zero_grad
        """,
        figure={"figure.figsize": (6.0, 3.6), "figure.dpi": 90},
    ),
    md(r"""
    ## 1. 데이터, 모델, 손실

    - 데이터: $D = \{(x_i, y_i)\}_{i=1}^{N}$
    - 모델: $\hat y_i = w x_i + b$ — 입력 $x_i$ 를 넣었을 때 지금의 모델이 내놓는 값
    - 손실 함수는 평균 제곱 오차 (MSE, mean squared error):
    $$\mathrm{loss} = \frac{1}{N}\sum_{i=1}^{N} \left(y_i - \hat y_i\right)^2$$

    찾아야 하는 것은 손실을 가장 작게 만드는 $w$ 와 $b$ 입니다. 먼저 $y = 2x + 1$ 근처에
    잡음을 섞은 점 20개를 만듭니다. 난수 씨앗을 고정해서 언제 실행해도 같은 데이터가 나옵니다.
    """),
    code("""
    rng = random.Random(0)
    xs = [i / 4 - 2.5 for i in range(20)]
    ys = [2 * x + 1 + rng.gauss(0, 0.5) for x in xs]

    plt.scatter(xs, ys)
    plt.xlabel("x")
    plt.ylabel("y")
    plt.title("데이터: y = 2x + 1 + 잡음")
    plt.show()
    """),
    md(r"""
    ## 2. 미분을 손으로 유도하기

    $\hat y_i = w x_i + b$ 를 손실에 넣고 연쇄법칙을 쓰면

    $$
    \frac{\partial\,\mathrm{loss}}{\partial w}
    = \frac{1}{N}\sum_{i=1}^{N} 2\,(y_i - w x_i - b)\cdot(-x_i)
    = -\frac{2}{N}\sum_{i=1}^{N} (y_i - w x_i - b)\,x_i
    $$

    $$
    \frac{\partial\,\mathrm{loss}}{\partial b}
    = -\frac{2}{N}\sum_{i=1}^{N} (y_i - w x_i - b)
    $$

    엔진은 이 식을 모릅니다. 덧셈·곱셈·거듭제곱 하나하나의 국소적 미분만 알고, `backward()` 가
    그것들을 연쇄법칙으로 이어 붙입니다. 두 결과가 같은지 확인해 봅시다.
    """),
    code("""
    def mse(w, b):
        return sum((y - (w * x + b)) ** 2 for x, y in zip(xs, ys)) / len(xs)


    w = Parameter(0.5, label="w")
    b = Parameter(-0.3, label="b")
    loss = mse(w, b)
    loss.backward()

    N = len(xs)
    dw_hand = -2 / N * sum((y - w.data * x - b.data) * x for x, y in zip(xs, ys))
    db_hand = -2 / N * sum(y - w.data * x - b.data for x, y in zip(xs, ys))
    print(f"엔진 backward(): dloss/dw = {w.grad:.10f}   dloss/db = {b.grad:.10f}")
    print(f"손 계산       : dloss/dw = {dw_hand:.10f}   dloss/db = {db_hand:.10f}")
    assert abs(w.grad - dw_hand) < 1e-12 and abs(b.grad - db_hand) < 1e-12
    """),
    md(r"""
    ## 3. 경사 하강법

    기울기는 손실이 가장 빨리 **커지는** 방향입니다. 그러니 반대 방향으로 조금씩 움직입니다.

    $$
    w \leftarrow w - \eta\,\frac{\partial\,\mathrm{loss}}{\partial w}, \qquad
    b \leftarrow b - \eta\,\frac{\partial\,\mathrm{loss}}{\partial b}
    $$

    $\eta$ 는 학습률(learning rate)입니다. 매 단계마다 새 그래프를 만들고(순전파), `backward()` 로
    기울기를 구하고(역전파), 파라미터를 고친 뒤 `zero_grad` 로 기울기를 0으로 되돌립니다.
    파라미터를 고치는 계산은 그래프에 남길 필요가 없으므로 `no_grad()` 안에서 합니다.
    """),
    code("""
    w, b = Parameter(0.0, label="w"), Parameter(0.0, label="b")
    eta = 0.1
    history = []
    for _ in range(100):
        loss = mse(w, b)
        zero_grad([w, b])
        loss.backward()
        with no_grad():
            w.data -= eta * w.grad
            b.data -= eta * b.grad
        history.append(loss.data)

    print(f"w = {w.data:.4f}, b = {b.data:.4f}, 손실 (loss) = {history[-1]:.4f}")
    """),
    md(r"""
    선형회귀는 손실이 볼록(convex)한 이차식이라 최적의 $w, b$ 를 한 번에 구하는 식(정규방정식)이
    있습니다. 경사 하강법이 그 답에 도달했는지 확인합니다.

    $$
    w^\ast = \frac{\sum_i (x_i-\bar x)(y_i-\bar y)}{\sum_i (x_i-\bar x)^2}, \qquad
    b^\ast = \bar y - w^\ast \bar x
    $$
    """),
    code("""
    x_bar, y_bar = sum(xs) / N, sum(ys) / N
    w_best = sum((x - x_bar) * (y - y_bar) for x, y in zip(xs, ys)) / sum(
        (x - x_bar) ** 2 for x in xs
    )
    b_best = y_bar - w_best * x_bar
    print(f"정규방정식의 답 (closed form): w* = {w_best:.4f}, b* = {b_best:.4f}")
    assert abs(w.data - w_best) < 1e-4 and abs(b.data - b_best) < 1e-4

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.6))
    ax1.scatter(xs, ys, label="데이터")
    ax1.plot(xs, [w.data * x + b.data for x in xs], "r-", label="학습한 직선")
    ax1.set_xlabel("x")
    ax1.set_ylabel("y")
    ax1.set_title(f"y_hat = {w.data:.2f} x + {b.data:.2f}")
    ax1.legend()
    ax2.plot(history)
    ax2.set_yscale("log")
    ax2.set_xlabel("단계 (step)")
    ax2.set_ylabel("평균 제곱 오차 (MSE)")
    ax2.set_title("경사 하강법 동안의 손실")
    plt.tight_layout()
    plt.show()
    """),
    md(r"""
    ## 4. 「실습 1」 재현하기

    이 노트북들을 만들 때 참고한 학습 노트 가운데 신경망 강의 슬라이드를 정리한 것에 짧은 실습 예제가 있습니다.
    PyTorch 로 $b$ 없는 모델 $\hat y = wx$ 를 경사 하강법으로 학습하고, 5단계마다 한 줄씩 출력하는 예제입니다.
    필요한 것은 그 코드와 출력뿐이고, 둘 다 아래에 그대로 옮겨 두었습니다 (코드는 핵심만 남겼습니다).

    ```python
    lr = 0.01
    for step in range(20):
        pre = w*x
        cost = ((pre - y) ** 2).sum() / len(x)
        grad = 2*(pre-y).view(5).dot(x.view(5))/len(x)
        w -= lr*grad
        if step % 5 == 0:
            ... 'step %d : cost=%.4f, w=%.4f, grad=%.4f' % (step, cost, w, grad)
    ```

    ```
    step 0 : cost=41.4864, w=0.4852, grad=-42.7247
    step 5 : cost=3.4582, w=1.5627, grad=-12.3354
    step 10 : cost=0.2883, w=1.8737, grad=-3.5614
    step 15 : cost=0.0240, w=1.9635, grad=-1.0282
    ```

    예제에는 `x`, `y` 와 처음의 `w` 가 나오지 않습니다. 그런데 출력된 숫자만으로 이것들을 알아낼 수 있습니다.

    **출력 순서에 주의.** `cost` 와 `grad` 는 업데이트 **전** 의 $w_k$ 로 계산되고, 출력되는 `w` 는
    `w -= lr*grad` **후** 의 값 $w_{k+1}$ 입니다. 그래서 step $k$ 의 줄에는 $\mathrm{cost}(w_k)$,
    $w_{k+1}$, $\mathrm{grad}(w_k)$ 가 나란히 찍힙니다.
    """),
    code("""
    SEED_TABLE = [
        "step 0 : cost=41.4864, w=0.4852, grad=-42.7247",
        "step 5 : cost=3.4582, w=1.5627, grad=-12.3354",
        "step 10 : cost=0.2883, w=1.8737, grad=-3.5614",
        "step 15 : cost=0.0240, w=1.9635, grad=-1.0282",
    ]
    """),
    md(r"""
    ### 추론: 출력된 숫자가 데이터를 결정한다

    $S = \sum_i x_i^2$, $N = 5$, 그리고 $w^\ast = \sum_i x_i y_i / S$ (손실이 가장 작은 $w$),
    $c_{\min}$ = 그때의 손실이라고 두면, 손실은 $w$ 에 대한 이차식이므로 정확히

    $$
    \mathrm{cost}(w) = \frac{S}{N}(w - w^\ast)^2 + c_{\min}, \qquad
    \mathrm{grad}(w) = \frac{2S}{N}(w - w^\ast)
    $$

    입니다. 업데이트 한 번은 $w^\ast$ 까지의 거리에 같은 수를 곱합니다.

    $$
    w_{k+1} - w^\ast = w_k - w^\ast - \eta\,\frac{2S}{N}(w_k - w^\ast)
    = r\,(w_k - w^\ast), \qquad r = 1 - \frac{2\eta S}{N}
    $$

    1. **수축 비율 $r$ 과 $S$.** 출력된 $w$ 는 $w_1, w_6, w_{11}, w_{16}$ 입니다. 연이은 차이의 비는
       $\dfrac{w_{11}-w_6}{w_6-w_1} = r^5$ 이므로 $r$ 을 얻고, $S = N(1-r)/(2\eta)$ 입니다.
    2. **수렴값 $w^\ast$.** 등비수열이므로 $w^\ast = w_1 + \dfrac{w_6 - w_1}{1 - r^5}$.
    3. **시작값 $w_0$.** step 0 의 기울기에서 $w_0 = w^\ast + \mathrm{grad}_0 \cdot \dfrac{N}{2S}$.
    4. **잡음의 크기 $c_{\min}$.** $c_{\min} = \mathrm{cost}_0 - \dfrac{S}{N}(w_0 - w^\ast)^2$.
       이 값이 0이면 모든 점이 직선 $y = w^\ast x$ 위에 있다는 뜻입니다.

    출력이 소수 넷째 자리까지라 계산값에 작은 오차가 있지만, 결과는 분명합니다.
    """),
    code("""
    eta, N = 0.01, 5
    w1, w6, w11 = 0.4852, 1.5627, 1.8737
    cost0, grad0 = 41.4864, -42.7247

    r = ((w11 - w6) / (w6 - w1)) ** (1 / 5)
    S = N * (1 - r) / (2 * eta)
    w_star = w1 + (w6 - w1) / (1 - r**5)
    w0 = w_star + grad0 * N / (2 * S)
    c_min = cost0 - S / N * (w0 - w_star) ** 2
    print(f"r = {r:.4f}   S = Σx² = {S:.2f}   w* = {w_star:.4f}")
    print(f"w0 = {w0:.5f}   c_min = {c_min:.4f}   (어림값: 표의 숫자가 소수 넷째 자리까지라서)")
    assert round(S) == 55 and round(w_star, 2) == 2.0 and abs(c_min) < 0.01
    """),
    md(r"""
    반올림 오차를 걷어내면 $S = 55$, $w^\ast = 2$ 입니다. 이 두 값으로 $w_0$ 를 다시 구하면, step 0 의
    기울기에서 구한 값과 (잡음이 없다고 보고) 손실에서 구한 값
    $w_0 = w^\ast - \sqrt{N\,\mathrm{cost}_0 / S}$ 가 소수 다섯째 자리까지 일치합니다.
    $c_{\min} = 0$ 이라는 가정이 옳다는 뜻입니다.
    """),
    code("""
    S, w_star = 55, 2.0
    w0_from_grad = w_star + grad0 * N / (2 * S)
    w0_from_cost = w_star - (N * cost0 / S) ** 0.5
    print(f"grad0 에서 구한 w0: {w0_from_grad:.6f}   cost0 에서 구한 w0: {w0_from_cost:.6f}")
    assert abs(w0_from_grad - w0_from_cost) < 1e-5
    """),
    md(r"""
    따라서 $S = \sum x_i^2 = 55$, $w^\ast = 2$, $c_{\min} = 0$: 모든 점이 $y = 2x$ 위에 있습니다.
    손실과 기울기는 $x$ 를 $S$ 를 통해서만 보므로, 출력이 알려 주는 것은 $\sum x_i^2 = 55$ 까지입니다.
    다섯 수의 제곱합이 55가 되는 가장 자연스러운 선택은 $1^2+2^2+3^2+4^2+5^2 = 55$, 곧
    $x = (1, 2, 3, 4, 5)$, $y = (2, 4, 6, 8, 10)$ 입니다.

    마지막으로 $w_0$. 출력된 숫자는 반올림된 값이라 $w_0$ 도 한 점이 아닌 작은 구간으로 정해집니다.
    후보 $w_0$ 를 촘촘히 바꿔 가며 20단계를 돌리고, 네 줄이 **모두** 똑같이 찍히는 구간을 찾습니다.
    """),
    code("""
    x = [1.0, 2.0, 3.0, 4.0, 5.0]
    y = [2.0, 4.0, 6.0, 8.0, 10.0]


    def run_seed(w_start, lr=0.01):
        \"\"\"The seed's loop on the engine; returns the lines it prints.\"\"\"
        w = Parameter(w_start, label="w")
        lines = []
        for step in range(20):
            pre = [w * xi for xi in x]
            cost = sum((p - yi) ** 2 for p, yi in zip(pre, y)) / len(x)
            zero_grad([w])
            cost.backward()  # w.grad = 2 * mean((w x - y) x), the seed's hand formula
            grad = w.grad
            w.data -= lr * grad  # update first ...
            if step % 5 == 0:  # ... then print: cost and grad of the old w, the new w
                fmt = "step %d : cost=%.4f, w=%.4f, grad=%.4f"  # the seed's own format
                lines.append(fmt % (step, cost.data, w.data, grad))
        return lines


    candidates = [0.05790 + i * 1e-7 for i in range(1600)]
    fits = [c for c in candidates if run_seed(c) == SEED_TABLE]
    print(f"네 줄을 모두 재현하는 w0 의 구간: {min(fits):.7f} ... {max(fits):.7f}")
    """),
    code("""
    w0 = 0.057967
    lines = run_seed(w0)
    print("\\n".join(lines))
    assert lines == SEED_TABLE
    """),
    md(r"""
    **결론: $x = (1,2,3,4,5)$, $y = 2x$, $w_0 \approx 0.057967$** (구간 $[0.057966, 0.057968]$ 의
    어느 값이든 같은 표를 냅니다). 엔진의 `backward()` 가 구한 기울기가 예제의 손 계산
    `2*(pre-y).dot(x)/len(x)` 와 같은 값이므로 네 줄이 글자 하나까지 같습니다.

    5단계마다 데이터와 현재의 직선을 그려 봅니다. (그림 제목은 예제가 출력한 줄 그대로입니다.)
    """),
    code("""
    fig, axes = plt.subplots(2, 2, figsize=(10, 6.5), sharex=True, sharey=True)
    w_now = w0
    for step in range(20):
        grad = 2 * sum((w_now * xi - yi) * xi for xi, yi in zip(x, y)) / len(x)
        if step % 5 == 0:
            ax = axes.flat[step // 5]
            ax.scatter(x, y)
            ax.plot(x, [w_now * xi for xi in x], "r-")
            ax.set_title(lines[step // 5], fontsize=9)
        w_now -= 0.01 * grad
    plt.tight_layout()
    plt.show()
    """),
    md(r"""
    ## 5. 학습률 $\eta$ 가 너무 작거나 크면

    위의 식 $w_{k+1} - w^\ast = r\,(w_k - w^\ast)$, $r = 1 - 2\eta S/N$ 이 모든 것을 설명합니다.

    - $0 < r < 1$ ($\eta$ 가 작음): 한 방향으로 다가가지만, $r$ 이 1에 가까우면 아주 느립니다.
    - $-1 < r < 0$: 최솟값을 넘었다 돌아왔다 하며 수렴합니다.
    - $r < -1$, 곧 $\eta > N/S$: 매번 더 멀리 튀어 나가 **발산** 합니다.

    이 데이터에서는 $N/S = 5/55 \approx 0.0909$ 가 경계입니다. 네 가지 $\eta$ 로 확인합니다.
    """),
    code("""
    def losses(lr, steps=25, w_start=w0):
        w = Parameter(w_start)
        out = []
        for _ in range(steps):
            cost = sum((w * xi - yi) ** 2 for xi, yi in zip(x, y)) / len(x)
            zero_grad([w])
            cost.backward()
            w.data -= lr * w.grad
            out.append(cost.data)
        return out


    rates = [0.001, 0.01, 0.05, 0.1]
    plt.figure(figsize=(7.5, 4.2))
    curves = {lr: losses(lr) for lr in rates}
    for lr in rates:
        plt.plot(curves[lr], marker=".", label=f"η = {lr}  (r = {1 - 2 * lr * 55 / 5:+.2f})")
    plt.yscale("log")
    plt.ylim(1e-12, 1e6)  # eta = 0.05 reaches exactly 0.0 in floating point
    plt.xlabel("단계 (step)")
    plt.ylabel("비용 (로그 눈금)")
    plt.title("너무 작으면 느리고, 너무 크면(η > N/S = 0.0909) 발산합니다")
    plt.legend()
    plt.show()
    """),
    code("""
    assert curves[0.001][-1] > 10  # too small: still far from the minimum after 25 steps
    assert curves[0.01][-1] < 0.01 and curves[0.05][-1] < 1e-10  # converges
    assert curves[0.1][-1] > curves[0.1][0] * 100  # too large: diverges
    """),
    md(r"""
    ## 요약

    - 선형회귀 $\hat y = wx + b$ 는 퍼셉트론 하나입니다. 손실은 평균 제곱 오차입니다.
    - $\partial\mathrm{loss}/\partial w = -\frac{2}{N}\sum (y_i - wx_i - b)x_i$,
      $\partial\mathrm{loss}/\partial b = -\frac{2}{N}\sum (y_i - wx_i - b)$ 를 손으로 유도했고,
      엔진의 `backward()` 가 같은 값을 냅니다.
    - 경사 하강법 $w \leftarrow w - \eta\,\partial\mathrm{loss}/\partial w$ 는 정규방정식의 답에 도달합니다.
    - 실습 1의 표는 $x=(1,\dots,5)$, $y=2x$, $w_0 \approx 0.057967$ 에서 정확히 재현됩니다.
      추론의 열쇠는 "한 단계가 $w^\ast$ 까지의 거리에 $r = 1 - 2\eta S/N$ 을 곱한다"는 사실입니다.
    - $\eta$ 가 너무 작으면 느리고, $\eta > N/S$ 이면 발산합니다.

    ## 연습 문제

    답은 각 문제 아래 셀의 `None` 을 바꿔 쓰고, 그다음 셀로 채점합니다. 풀이는 접힌 칸(「풀이 보기」)에 있습니다.

    **1.** 실습 1의 데이터에서 $\eta = 0.09$ 와 $\eta = 0.095$ 로 40단계씩 학습하면 각각 어떻게 될까요?
    먼저 $r$ 을 계산해서 예상한 뒤 `losses` 로 확인해 보세요.
    """),
    *exercise(
        answer="""
        # 40단계 뒤 손실이 처음보다 작아지면 True (수렴), 커지면 False (발산)
        converges_at_0_09 = None
        converges_at_0_095 = None
        """,
        expected="(True, False)",
        hint="한 단계마다 w - w* 에 r = 1 - 2η·Σx²/N 이 곱해집니다. |r| < 1 이면 수렴합니다.",
        solution="""
        # r = 1 - 2 * eta * 55 / 5: eta = 0.09 -> r = -0.98 (converges slowly, zigzagging),
        # eta = 0.095 -> r = -1.09 (|r| > 1: diverges)
        slow, wild = losses(0.09, steps=40), losses(0.095, steps=40)
        converges_at_0_09 = slow[-1] < slow[0]
        converges_at_0_095 = wild[-1] < wild[0]
        print("η = 0.09 에서 수렴:", converges_at_0_09, "  η = 0.095 에서 수렴:", converges_at_0_095)
        """,
    ),
    md(r"""
    **2.** $x = (1,2,3,4,5)$ 대신 $x = (0, 1, 2, 3, \sqrt{41})$ 로 바꿔도 ($y = 2x$) 표가 똑같이 나올까요?
    이유는?
    """),
    *exercise(
        answer="""
        # 표가 똑같으면 True, 다르면 False
        same_table = None
        """,
        expected="True",
        hint="비용과 기울기의 식에서 x 가 어떤 꼴로만 나오는지 보세요. 두 x 의 제곱합을 비교해 보세요.",
        solution="""
        # yes: cost and grad see x only through sum(x^2) = 55 (with y = 2x)
        x_saved, y_saved = x, y
        x = [0.0, 1.0, 2.0, 3.0, 41**0.5]
        y = [2 * xi for xi in x]
        same_table = run_seed(w0) == SEED_TABLE
        x, y = x_saved, y_saved
        print("표가 같은가:", same_table)
        """,
    ),
    further_reading(
        (book(4), "손실 함수, 기울기, 경사 하강법과 학습률을 같은 순서로 설명합니다."),
        (LECTURE, "손실을 줄이는 학습 루프를 처음부터 짜는 부분이 이 노트북의 3절과 같습니다."),
    ),
]

if __name__ == "__main__":
    build(NAME, CELLS)
