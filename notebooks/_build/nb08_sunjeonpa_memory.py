"""08 순전파와 역전파의 메모리 (seed 003)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from nbtools import build, code, exercise, intro, md, plot_setup  # noqa: E402
from nbtools import CS231N, LECTURE, book, further_reading  # noqa: E402

NAME = "08_sunjeonpa_memory"

CELLS = [
    intro(r"""
    # 08. 순전파와 역전파의 메모리

    역전파를 배울 때 흔히 듣는 말이 있습니다: 연쇄법칙으로 기울기를 구하려면 순전파 때의 중간 값을 모두
    기억해 두어야 하지만, 순전파만 할 때는 앞에서부터 차례로 계산하고 지나가면 되므로 메모리가 훨씬 덜 든다.

    역전파는 $\dfrac{\partial L}{\partial a} = \dfrac{\partial L}{\partial c}\dfrac{\partial c}{\partial a}$
    를 출력에서 입력 쪽으로 계산합니다. 국소적 미분 $\partial c/\partial a$ 는 순전파 때의 값을 써서
    계산하므로(예: $c = a\cdot b$ 이면 $\partial c/\partial a = b$), 순전파의 **모든 중간 노드를 역전파가 끝날
    때까지 들고 있어야** 합니다. 반대로 예측만 할 때는 한 층을 계산하고 나면 앞 층의 값은 버려도 됩니다.

    이 노트북에서는 이 말을 숫자로 확인합니다.

    1. 순전파가 기록하는 노드 수를 셉니다.
    2. `no_grad()` 안에서 같은 계산을 하면 그래프가 남지 않는다는 것을 봅니다.
    3. 두 경우의 메모리를 `tracemalloc` 으로 잽니다.
    """),
    plot_setup(
        """
        import gc
        import random
        import tracemalloc
        from itertools import pairwise

        from micrograd_kr import GraphError, Parameter, Value, no_grad
        from micrograd_kr.graph import count_nodes
        """,
    ),
    md(r"""
    ## 작은 다층 퍼셉트론

    엔진만으로 입력 2개, 은닉층 16개·16개, 출력 1개의 신경망(2-16-16-1, 활성화 함수 tanh)을 만듭니다.
    뉴런 하나는 $\tanh\left(\sum_j w_j x_j + b\right)$ 입니다.
    """),
    code("""
    rng = random.Random(0)
    sizes = [2, 16, 16, 1]
    layers = [
        [([Parameter(rng.uniform(-1, 1)) for _ in range(n_in)], Parameter(0.0)) for _ in range(n_out)]
        for n_in, n_out in pairwise(sizes)
    ]
    params = [p for layer in layers for ws, b in layer for p in [*ws, b]]


    def forward(x):
        for layer in layers:
            x = [sum((w * xi for w, xi in zip(ws, x)), b).tanh() for ws, b in layer]
        return x[0]


    print("매개변수 수 (parameters):", len(params))
    assert len(params) == 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1
    """),
    md(r"""
    ## 1. 순전파가 기록하는 노드 수

    입력 $B$ 개에 대한 손실 $L = \sum_{i=1}^{B} \mathrm{net}(x_i)^2$ 를 만들고, 그래프의 노드 수를
    `count_nodes` 로 셉니다. 샘플 하나가 지나갈 때마다 곱셈·덧셈·tanh 노드가 새로 생기므로, 노드 수는
    $B$ 에 비례해서 늘어납니다: $\;\text{nodes}(B) = a\,B + c$ ($c$ 는 파라미터 수 근처).
    """),
    code("""
    def batch(n):
        r = random.Random(n)
        return [[Value(r.uniform(-2, 2)), Value(r.uniform(-2, 2))] for _ in range(n)]


    def loss_of(xs):
        return sum(forward(x) ** 2 for x in xs)


    batch_sizes = [1, 2, 5, 10, 20, 40]
    nodes = [count_nodes(loss_of(batch(n))) for n in batch_sizes]
    for n, k in zip(batch_sizes, nodes):
        print(f"B = {n:2d}: 노드 {k:6d}개")

    per_sample = nodes[1] - nodes[0]
    assert all(k == nodes[0] + (n - 1) * per_sample for n, k in zip(batch_sizes, nodes))
    print(f"샘플 하나가 늘 때마다 노드가 정확히 {per_sample}개 늘어납니다")
    """),
    md(r"""
    ## 2. `no_grad()`: 그래프 없이 계산하기

    `no_grad()` 안의 연산은 입력을 기억하지 않습니다. 결과 값은 똑같지만, 출력 노드는 부모가 없는
    잎(leaf)이므로 그래프의 노드 수는 1입니다. 그만큼 역전파는 할 수 없습니다. 기울기가 전달될 길이
    없으니, 조용히 0을 주는 대신 `backward()` 가 오류(`GraphError`)를 내고 파라미터의 `.grad` 는
    0으로 남습니다.
    """),
    code("""
    xs = batch(10)
    with_graph = loss_of(xs)
    with no_grad():
        without_graph = loss_of(xs)

    print(f"그래프를 기록한 손실 : {with_graph.data:.10f}  노드 {count_nodes(with_graph)}개")
    print(f"no_grad() 안의 손실  : {without_graph.data:.10f}  노드 {count_nodes(without_graph)}개")
    assert with_graph.data == without_graph.data
    assert count_nodes(without_graph) == 1 and without_graph.is_leaf

    try:
        without_graph.backward()
    except GraphError as exc:
        print("GraphError:", str(exc)[:45], "...")
    assert all(p.grad == 0.0 for p in params)  # nothing reached the parameters
    with_graph.backward()
    assert any(p.grad != 0.0 for p in params)  # the recorded graph carries the gradient back
    """),
    md(r"""
    ## 3. 메모리 재기

    `tracemalloc` 은 파이썬이 할당한 메모리를 추적합니다. 계산하는 동안의 **최대 사용량(peak)** 을
    재면, 그래프를 기록할 때는 모든 노드가 손실이 살아 있는 동안 남아 있고, `no_grad()` 에서는
    다 쓴 값이 바로 사라지므로 최댓값이 작게 유지됩니다.

    정확한 바이트 수는 파이썬 버전과 컴퓨터에 따라 다르므로, 여기서는 **관계** 만 확인합니다.
    """),
    code("""
    def peak_bytes(xs, grad=True):
        gc.collect()
        tracemalloc.start()
        if grad:
            loss = loss_of(xs)
        else:
            with no_grad():
                loss = loss_of(xs)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        del loss
        return peak


    peaks_graph = [peak_bytes(batch(n), grad=True) for n in batch_sizes]
    peaks_plain = [peak_bytes(batch(n), grad=False) for n in batch_sizes]
    for n, k, a, b in zip(batch_sizes, nodes, peaks_graph, peaks_plain):
        print(
            f"B = {n:2d}: 그래프 기록 {a / 1024:8.1f} KiB (노드당 {a / k:5.0f} B)"
            f"   no_grad() {b / 1024:6.1f} KiB"
        )
    """),
    code("""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 3.8))
    ax1.plot(batch_sizes, nodes, "o-", color="tab:red")
    ax1.set_xlabel("배치 크기 B")
    ax1.set_ylabel("그래프의 노드 수")
    ax1.set_title("순전파가 기록한 노드")
    ax2.plot(batch_sizes, [p / 1024 for p in peaks_graph], "o-", color="tab:red", label="그래프 기록")
    ax2.plot(batch_sizes, [p / 1024 for p in peaks_plain], "o-", color="tab:blue", label="no_grad()")
    ax2.set_xlabel("배치 크기 B")
    ax2.set_ylabel("최대 메모리 (KiB)")
    ax2.set_title("순전파 동안 tracemalloc 최대값")
    ax2.legend()
    plt.tight_layout()
    plt.show()
    """),
    md(r"""
    빨간 선(그래프를 기록)은 $B$ 에 비례해 늘고, 파란 선(`no_grad()`)은 거의 평평합니다. 코드로 확인합니다.

    - 그래프를 기록하면 최대 메모리가 $B$ 와 함께 커집니다 ($B=40$ 이 $B=5$ 의 몇 배).
    - `no_grad()` 의 최대 메모리는 $B$ 가 커져도 조금밖에 늘지 않습니다($B=5 \to 40$ 에서 늘어난 양이
      그래프를 기록할 때 늘어난 양의 10분의 1도 안 됩니다).
    - $B = 40$ 에서 그래프를 기록한 쪽이 `no_grad()` 보다 열 배 넘게 씁니다.
    """),
    code("""
    big, small = batch_sizes.index(40), batch_sizes.index(5)
    assert peaks_graph[big] > 4 * peaks_graph[small]
    grow_graph = peaks_graph[big] - peaks_graph[small]
    grow_plain = peaks_plain[big] - peaks_plain[small]
    assert grow_plain < 0.1 * grow_graph
    assert peaks_graph[big] > 10 * peaks_plain[big]
    ratio = peaks_graph[big] / peaks_plain[big]
    print(f"B = 40: 그래프를 기록하면 no_grad() 의 {ratio:.0f}배 메모리가 듭니다")
    """),
    md(r"""
    ## 요약

    - 순전파는 연산마다 노드를 하나씩 기록합니다. 노드 수는 샘플 수에 정확히 비례해서 늘어납니다.
    - 역전파는 국소적 미분을 계산하려고 순전파의 모든 값을 필요로 하므로, 그래프 전체가 메모리에 남습니다.
    - 학습이 아니라 예측만 할 때는 `no_grad()` 를 쓰면 그래프가 남지 않고(노드 1개), 최대 메모리가
      샘플 수와 상관없이 작게 유지됩니다. 대신 역전파는 할 수 없습니다.
    - 처음의 말 그대로: 순전파만 하는 것이 메모리에 유리합니다.

    ## 연습 문제

    답은 각 문제 아래 셀의 `None` 을 바꿔 쓰고, 그다음 셀로 채점합니다. 풀이는 접힌 칸(「풀이 보기」)에 있습니다.

    **1.** 샘플 하나가 더해질 때 늘어나는 노드 수 `per_sample` 을 손으로 세어 보세요.
    (힌트: 입력이 $n$ 개인 뉴런 하나는 곱셈 $n$ 개, 덧셈 $n$ 개, tanh 1개를 만듭니다. 입력 $x$ 두 개와
    손실의 제곱·덧셈도 잊지 마세요. `x ** 2` 의 지수 `2` 같은 상수도 잎 노드 하나가 됩니다.)
    """),
    *exercise(
        answer="""
        # 샘플 하나당 노드 수 (정수, 손으로 센 값)
        my_per_sample = None
        """,
        expected="sum(n_out * (2 * n_in + 1) for n_in, n_out in [(2, 16), (16, 16), (16, 1)]) + 5",
        hint="층 n_in → n_out 은 뉴런 n_out 개 × (곱셈 n_in + 덧셈 n_in + tanh 1) 개입니다. 층 밖의 노드(입력, 손실 쪽)도 세세요.",
        solution="""
        # layer n_in -> n_out: n_out neurons x (n_in mul + n_in add + 1 tanh); per sample also
        # 2 input leaves, the ** 2 node, its exponent 2 (a constant leaf) and 1 add into the sum
        my_per_sample = sum(n_out * (2 * n_in + 1) for n_in, n_out in pairwise(sizes)) + 2 + 3
        print("손으로 센 샘플당 노드 수:", my_per_sample, "  엔진에서 센 수:", per_sample)
        """,
    ),
    md(r"""
    **2.** 은닉층을 16개에서 32개로 늘리면 샘플당 노드 수는 약 몇 배가 될까요? (소수 첫째 자리까지)
    """),
    *exercise(
        answer="""
        # 2-32-32-1 의 샘플당 노드 수 ÷ 2-16-16-1 의 샘플당 노드 수
        my_ratio = None
        """,
        expected="(2 * 32**2 + 8 * 32 + 6) / (2 * 16**2 + 8 * 16 + 6)",
        hint="가운데 h × h 층이 가장 큽니다. 위 문제의 식에 h = 16 과 h = 32 를 넣어 나눠 보세요.",
        solution="""
        # the 16 x 16 middle layer dominates: 2-32-32-1 costs about 3.6x as many nodes
        def per_sample_nodes(h):
            s = [2, h, h, 1]
            return sum(n_out * (2 * n_in + 1) for n_in, n_out in pairwise(s)) + 5


        my_ratio = per_sample_nodes(32) / per_sample_nodes(16)
        print(f"은닉 뉴런 32개와 16개의 노드 수 비: {my_ratio:.2f}")
        """,
    ),
    further_reading(
        (book(5), "곱셈 계층과 덧셈 계층을 구현하면서, 역전파에 쓰려고 순전파의 입력을 저장해 두는 이유를 보여 줍니다."),
        (CS231N, "순전파의 중간 값을 저장해 두었다가(caching) 역전파에서 다시 쓰는 방식을 설명합니다."),
        (LECTURE, "`Value` 가 자식 노드(`_prev`)를 기억하는 구조가 곧 이 노트북에서 센 그래프입니다."),
    ),
]

if __name__ == "__main__":
    build(NAME, CELLS)
