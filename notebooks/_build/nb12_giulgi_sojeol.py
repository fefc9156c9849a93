"""12 기울기 소실과 ReLU: why ReLU is the usual choice (vanishing gradients, sigmoid's 0.25,
gradient size per layer of a deep MLP, how the initial weights' scale changes it)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from nbtools import (  # noqa: E402
    CS231N_NN2,
    LECTURE,
    book,
    build,
    code,
    exercise,
    further_reading,
    intro,
    md,
    plot_setup,
)

NAME = "12_giulgi_sojeol"

CELLS = [
    intro(r"""
    # 12. 기울기 소실: 왜 ReLU 를 많이 쓸까

    활성화 함수를 정리한 학습 노트는 sigmoid, tanh, ReLU 를 소개하고 「일반적으로 ReLU를 많이 사용함」 으로
    끝납니다. 이유는 적혀 있지 않습니다. 이 노트북은 그 이유를 엔진으로 직접 재어 봅니다.

    역전파는 연쇄법칙으로 출력 쪽의 기울기에 층마다 **국소적 미분** 을 곱해 가며 입력 쪽으로 내려갑니다.
    곱하는 수가 1보다 작으면 깊은 층을 지날수록 기울기가 0에 가까워지고(**기울기 소실**, vanishing gradient),
    1보다 크면 폭발합니다(exploding gradient). 그러면 입력에 가까운 층은 거의 배우지 못합니다.

    1. 활성화 함수의 미분: sigmoid 는 많아야 0.25, tanh 는 많아야 1, ReLU 는 0 아니면 1
    2. 0.25 를 여러 번 곱하면: $0.25^{10} \approx 10^{-6}$
    3. 깊은 MLP(은닉층 10개)에서 층별 기울기 크기: sigmoid, tanh, ReLU
    4. 초깃값의 크기가 바꾸는 것: 가중치를 절반으로 줄이거나 두 배로 키우면
    """),
    plot_setup("""
        import statistics

        from micrograd_kr import Value, data, nn
        """),
    md(r"""
    ## 1. 활성화 함수의 미분

    층 하나를 거꾸로 지날 때 기울기에 곱해지는 것 가운데 하나가 활성화 함수의 미분 $f'(z)$ 입니다.
    세 함수의 미분을 `backward()` 로 구해 봅니다. 점 $z$ 마다 `Value` 를 만들고 함수를 한 번 적용한 뒤
    역전파하면 `z.grad` 가 그 점의 미분입니다.

    - sigmoid: $\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$. $z = 0$ 에서 $\sigma = 0.5$ 이므로 가장 큰 값은 $0.5 \times 0.5 = 0.25$.
    - tanh: $\tanh'(z) = 1 - \tanh^2(z)$. 가장 큰 값은 $z = 0$ 에서 1.
    - ReLU: $z > 0$ 이면 1, $z < 0$ 이면 0.

    sigmoid 와 tanh 는 $|z|$ 가 커지면(포화, saturation) 미분이 0 으로 줄어듭니다.
    """),
    code("""
    def slope(function, z):
        \"\"\"d function(z) / dz at one point, by backward().\"\"\"
        x = Value(z)
        getattr(x, function)().backward()
        return x.grad


    zs = [-6 + 0.05 * (i + 0.5) for i in range(240)]  # 0 itself is ReLU's kink: left out
    slopes = {f: [slope(f, z) for z in zs] for f in ("sigmoid", "tanh", "relu")}
    for f, values in slopes.items():
        at_5 = f"{slope(f, 5.0):.4f} / {slope(f, -5.0):.4f}"
        print(f"{f:>7}: 가장 큰 미분 {max(values):.4f}, z = 5 / -5 에서 {at_5}")
    print("sigmoid 의 z = 0 에서의 미분:", slope("sigmoid", 0.0))
    assert slope("sigmoid", 0.0) == 0.25 and max(slopes["sigmoid"]) <= 0.25
    """),
    code("""
    plt.figure(figsize=(7, 3.6))
    for f, values in slopes.items():
        plt.plot(zs, values, lw=2, label=f)
    plt.axhline(0.25, color="gray", ls=":", lw=1)
    plt.text(-5.9, 0.27, "0.25 (sigmoid 미분의 최댓값)", color="gray")
    plt.xlabel("z")
    plt.ylabel("미분 f'(z)")
    plt.title("활성화 함수의 미분 (backward 로 구함)")
    plt.legend()
    plt.show()
    """),
    md(r"""
    ## 2. 작은 수를 여러 번 곱하면

    층이 $n$ 개인 신경망을 거꾸로 지나면 활성화 함수의 미분이 $n$ 번 곱해집니다. sigmoid 라면 한 번에 많아야
    0.25 이므로, 가중치를 빼고 보면 기울기는 많아야 $0.25^n$ 배가 됩니다.
    """),
    code("""
    for n in (1, 2, 3, 5, 10, 20):
        print(f"층 {n:>2}개: 0.25^{n:<2} = {0.25**n:.3e}")
    assert 0.25**10 < 1e-6
    """),
    md(r"""
    층 10개면 100만분의 1보다 작습니다. tanh 는 가장 좋은 경우($z = 0$) 1 이지만 $|z|$ 가 조금만 커져도 1 보다
    훨씬 작고, ReLU 는 켜진 유닛($z > 0$)에서 **정확히 1** 이라 몇 층을 지나도 줄지 않습니다.

    실제 신경망에서는 가중치도 곱해집니다. 은닉층 $l$ 의 기울기는 위층의 기울기에 $W^\top$ 와 $f'(z)$ 를
    곱한 것이라($\delta_l = W_{l+1}^\top\,(f'(z_{l+1}) \odot \delta_{l+1})$), 가중치의 크기도 소실과 폭발을
    좌우합니다. 그래서 다음 절에서 실제 깊은 신경망으로 재어 봅니다.

    ## 3. 깊은 MLP 에서 층별 기울기 크기

    입력 2개, 너비 16 인 은닉층 10개, 출력 1개인 MLP 를 활성화 함수만 바꿔 세 번 만듭니다(같은 seed).
    moons 데이터 32개에 대해 평균 제곱 오차를 계산하고 `backward()` 를 한 번 부른 뒤, 층마다 가중치
    기울기의 절댓값 평균을 잽니다. 학습은 하지 않습니다: 첫 경사 하강법 한 걸음에서 층마다 얼마나 움직일지를
    보는 것입니다.
    """),
    code("""
    X, labels = data.make_moons(32, noise=0.1, seed=0)
    targets = [1.0 if label == 1 else -1.0 for label in labels]


    def layer_gradients(model):
        \"\"\"Mean |dL/dw| of each layer's weights after one backward() of the mean squared error.\"\"\"
        outputs = [model(x) for x in X]
        loss = sum((out - t) ** 2 for out, t in zip(outputs, targets)) / len(X)
        loss.backward()
        return [statistics.mean(abs(w.grad) for n in layer.neurons for w in n.w) for layer in model.layers]


    depth = 10
    grads = {f: layer_gradients(nn.MLP(2, [16] * depth + [1], activation=f, seed=0)) for f in ("sigmoid", "tanh", "relu")}
    print("층(layer)   " + "".join(f"{f:>10}" for f in grads))
    for i in range(depth + 1):
        print(f"{i:<10}" + "".join(f"{grads[f][i]:10.1e}" for f in grads))
    print("(층 0 = 입력 쪽 첫 은닉층, 층 10 = 출력 층)")
    """),
    code("""
    layers = list(range(depth + 1))
    plt.figure(figsize=(7, 4))
    for f, values in grads.items():
        plt.semilogy(layers, values, "o-", label=f)
    plt.xticks(layers)
    plt.xlabel("층 번호 (0 = 입력 쪽, 10 = 출력 층)")
    plt.ylabel("가중치 기울기의 절댓값 평균 (로그 눈금)")
    plt.title("은닉층 10개인 MLP: 층별 기울기 크기")
    plt.legend()
    plt.show()
    """),
    code("""
    for f, values in grads.items():
        ratio = values[0] / values[depth - 1]
        print(f"{f:>7}: 입력 쪽 첫 층의 기울기 / 마지막 은닉층의 기울기 = {ratio:.1e}")
    assert grads["sigmoid"][0] / grads["sigmoid"][depth - 1] < 1e-4  # vanishes
    assert 0.1 < grads["relu"][0] / grads["relu"][depth - 1] < 10  # passes through
    """),
    md(r"""
    sigmoid 신경망에서는 입력 쪽 첫 층의 기울기가 마지막 은닉층보다 약 100만 배 작습니다. 경사 하강법은
    파라미터를 기울기에 비례해 움직이므로, 입력 쪽 층은 사실상 멈춰 있습니다. 이것이 기울기 소실이고,
    깊은 sigmoid 신경망이 잘 학습되지 않던 까닭입니다. tanh 는 미분의 최댓값이 1 이라 훨씬 낫지만 여전히
    입력 쪽으로 갈수록 줄어듭니다. ReLU 는 켜진 유닛에서 미분이 1 이라 기울기가 층을 지나도 거의 그대로
    전달됩니다. 계산도 `max(0, z)` 하나로 싸서, 깊은 신경망에서 ReLU 를 많이 쓰는 이유가 됩니다.

    대가도 있습니다. $z < 0$ 쪽의 미분은 0 이라, 어떤 유닛의 입력이 모든 샘플에서 0 이하가 되면 그 유닛은
    기울기를 받지 못해 다시 살아나지 못합니다(**죽은 ReLU**, dead ReLU). 학습률이 너무 크면 흔히 생깁니다.
    `train.fit` 은 은닉층 하나가 통째로 죽으면 경고하고, 직접 쓴 학습 루프에서는
    `train.dead_relu_units(model, X)` 로 죽은 유닛 수를 셀 수 있습니다. Leaky ReLU 와 ELU 는 음수 쪽에도
    작은 기울기를 남겨 이 문제를 줄입니다(노트북 04).

    ## 4. 초깃값의 크기가 바꾸는 것

    `nn.MLP` 는 가중치를 입력 수 $n$ 에 맞춰 뽑습니다: ReLU 는 분산 $2/n$ (He 초깃값), tanh·sigmoid 는
    분산 $1/n$ (LeCun 초깃값). 층을 지날 때 신호와 기울기의 크기가 대략 유지되도록 고른 값입니다.
    같은 ReLU 신경망의 가중치를 모두 0.5 배, 2 배로 바꾸면 어떻게 되는지 봅니다.
    """),
    code("""
    def scaled_relu_network(scale):
        model = nn.MLP(2, [16] * depth + [1], activation="relu", seed=0)
        for layer in model.layers:
            for neuron in layer.neurons:
                for w in neuron.w:
                    w.data *= scale
        return model


    scales = (0.5, 1.0, 2.0)
    scaled = {s: layer_gradients(scaled_relu_network(s)) for s in scales}
    plt.figure(figsize=(7, 4))
    for s, values in scaled.items():
        plt.semilogy(layers, values, "o-", label=f"가중치 × {s}")
    plt.xticks(layers)
    plt.xlabel("층 번호 (0 = 입력 쪽, 10 = 출력 층)")
    plt.ylabel("가중치 기울기의 절댓값 평균 (로그 눈금)")
    plt.title("ReLU 신경망: 초깃값의 크기와 기울기")
    plt.legend()
    plt.show()
    for s, values in scaled.items():
        print(f"가중치 × {s}: 첫 층 {values[0]:.1e}, 출력 층 {values[depth]:.1e}")
    assert scaled[2.0][0] > 1e3 * scaled[1.0][0] > 1e6 * scaled[0.5][0]
    """),
    md(r"""
    그래프가 층마다 거의 평평하게 위아래로 옮겨 간 모양입니다. 층 $l$ 의 가중치 기울기는 아래에서 올라온 신호
    (층마다 약 "배율" 배씩 커진 값)와 위에서 내려온 기울기(역시 층마다 약 "배율" 배)의 곱이라, 어느 층이든
    약 $\text{배율}^{10}$ 배가 됩니다. 두 배로 키우면 출력이 약 $2^{10} \approx 1000$ 배가 되고 평균 제곱 오차의
    기울기도 그만큼 커져서, 기울기가 원래의 수십만 배로 **폭발** 합니다(첫 걸음에 발산하기 쉽습니다). 절반으로
    줄이면 약 $0.5^{10} \approx 0.001$ 배로 **소실** 됩니다. 활성화 함수만이 아니라 초깃값의 크기도 기울기가
    입력 쪽까지 살아서 내려가게 하는 조건입니다.

    ## 요약

    - 역전파는 층마다 국소적 미분을 곱합니다. 곱하는 수가 1 보다 작으면 기울기가 사라지고(소실), 크면 폭발합니다.
    - sigmoid 의 미분은 많아야 0.25 라서 층 10개면 $0.25^{10} \approx 10^{-6}$. 실제로 은닉층 10개인 sigmoid
      MLP 에서 첫 층의 기울기는 마지막 은닉층보다 약 $10^{-6}$ 배였습니다.
    - ReLU 의 미분은 켜진 유닛에서 정확히 1 이라 기울기가 깊은 층까지 전달됩니다: 「일반적으로 ReLU를 많이
      사용함」 의 이유입니다. 대신 유닛이 죽을 수 있습니다(죽은 ReLU).
    - 초깃값의 크기도 중요합니다: He 초깃값(분산 $2/n$)에서 가중치를 두 배로 하면 폭발, 절반으로 하면 소실.

    ## 연습 문제

    답은 각 문제 아래 셀의 `None` 을 바꿔 쓰고, 그다음 셀로 채점합니다. 풀이는 접힌 칸(「풀이 보기」)에 있습니다.

    **1.** sigmoid 층 5개를 거꾸로 지나면 기울기는 많아야 몇 배가 되나요? (가중치는 생각하지 않습니다.)
    """),
    *exercise(
        answer="""
        # 많아야 몇 배인지 (숫자)
        factor_5_layers = None
        """,
        expected="0.25**5",
        hint="sigmoid 미분의 가장 큰 값이 층마다 한 번씩 곱해집니다. 더하는 것이 아니라 곱하는 것입니다.",
        solution="""
        factor_5_layers = 0.25**5
        print(factor_5_layers)  # 0.0009765625: 약 1000분의 1
        """,
    ),
    md(r"""
    **2.** 층 10개면 $0.25^{10}$ 이 100만분의 1보다 작았습니다. 그러면 sigmoid 층을 몇 개 지나야 $0.25^n$ 이
    처음으로 10억분의 1($10^{-9}$)보다 작아지나요? 가장 작은 $n$ 을 쓰세요.
    """),
    *exercise(
        answer="""
        # 가장 작은 층 수 n (정수)
        layers_below_one_billionth = None
        """,
        expected="math.ceil(9 / math.log10(4))",  # 0.25^n < 10^-9  <=>  n log10(4) > 9
        imports="import math",
        hint=(
            "n = 1, 2, 3, … 에 대해 0.25^n 을 계산해 10억분의 1 (1e-9) 과 비교해 보세요. "
            "층 수는 정수입니다: 처음으로 작아지는 n 을 쓰세요."
        ),
        solution="""
        layers_below_one_billionth = next(n for n in range(1, 100) if 0.25**n < 1e-9)
        print(layers_below_one_billionth)
        """,
        explanation=(
            "$0.25^{14} \\approx 3.7 \\times 10^{-9}$ 은 아직 크고, $0.25^{15} \\approx 9.3 \\times 10^{-10}$ "
            "에서 처음으로 작아집니다. 식으로는 $0.25^n < 10^{-9}$ 이 $n \\log_{10} 4 > 9$, 곧 "
            "$n > 9 / 0.602 \\approx 14.9$ 와 같습니다."
        ),
    ),
    md(r"""
    **3.** tanh 는 포화하면 미분이 작아집니다. $z = 2$ 에서 tanh 의 미분을 `backward()` 로 구하세요(손으로 계산한
    값이 아니라 `x.grad` 를 쓰세요). 채점 셀은 값과 함께, 출력 `y` 에서 `backward()` 를 불렀는지도 확인합니다.
    """),
    *exercise(
        answer="""
        x = Value(2.0)
        # x 에 tanh 를 적용한 출력을 y 에 넣고, y 에서 역전파한 뒤 x 의 기울기를 쓰세요
        y = None  # 출력 y (Value)
        tanh_slope_at_2 = None  # backward() 로 구한 미분, 곧 x.grad (숫자)
        """,
        expected="1 - math.tanh(2.0) ** 2",
        imports="import math",
        graded="tanh_slope_at_2",
        method="grad_from_backward(y)",
        hint=(
            "1절의 slope 함수와 같은 순서입니다: 함수를 적용한 출력에서 backward() 를 부르면 "
            "입력의 .grad 에 그 점의 미분이 들어갑니다."
        ),
        solution="""
        x = Value(2.0)
        y = x.tanh()
        y.backward()
        tanh_slope_at_2 = x.grad
        print(tanh_slope_at_2)  # 1 - tanh(2)^2: 최댓값 1 의 약 14분의 1
        """,
    ),
    further_reading(
        (
            book(6),
            "6.2절 「가중치의 초깃값」 은 층마다 활성화 값의 분포를 그려 sigmoid 신경망의 기울기 소실을 보이고, "
            "Xavier 초깃값과 He 초깃값을 설명합니다. 이 노트북의 3절과 4절을 다른 그림으로 봅니다.",
        ),
        (
            CS231N_NN2,
            "가중치 초기화 (Weight Initialization) 절이 분산을 입력 수 $n$ 에 맞추는 까닭과, ReLU 에는 "
            "분산 $2/n$ (He 초깃값) 을 쓰라는 권장을 설명합니다: 4절의 `nn.MLP` 초깃값과 같습니다.",
        ),
        (
            LECTURE,
            "강의의 MLP 는 tanh 를 씁니다(노트북 10). 그 MLP 에 층을 더 쌓고 3절처럼 층별 기울기를 재어 보세요.",
        ),
    ),
]

if __name__ == "__main__":
    build(NAME, CELLS)
