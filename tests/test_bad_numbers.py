"""Numbers a learner can mistype: a vanishing gradcheck step, an int too large for a float."""

from __future__ import annotations

import math

import pytest

from micrograd_kr import DomainError, Value, gradcheck, numerical_grad
from micrograd_kr.cli import main

# In IEEE double precision 1 + 1e-17 == 1 and 1 - 1e-17 == 1: the spacing of floats near 1
# is 2.2e-16 above and 1.1e-16 below, so a step of 1e-17 rounds away.
assert 1.0 + 1e-17 == 1.0 and 1.0 - 1e-17 == 1.0


def square(x: Value) -> Value:
    return x * x


@pytest.mark.parametrize("check", [gradcheck, numerical_grad])
def test_a_step_that_vanishes_at_the_input_is_a_clear_error(check) -> None:
    with pytest.raises(ValueError, match="vanishes at that input") as info:
        check(square, [1.0], eps=1e-17)
    assert "input 0" in str(info.value) and "1.0" in str(info.value)


def test_the_error_names_the_input_where_the_step_vanishes() -> None:
    # at x = 0 the step is 1e-17 itself (0 + 1e-17 != 0); at y = 1 it rounds away
    with pytest.raises(ValueError, match="input 1") as info:
        numerical_grad(lambda x, y: 3 * x + y, [0.0, 1.0], eps=1e-17)
    assert "vanishes" in str(info.value)
    # the same eps is fine where every input keeps its step: d(3x + x*x)/dx at 0 is 3
    assert numerical_grad(lambda x: 3 * x + x * x, [0.0], eps=1e-17) == [3.0]


def test_a_step_that_overflows_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="overflows"):
        numerical_grad(square, [1e10], eps=1e300)


@pytest.mark.parametrize("eps", [True, "1e-6", None, math.nan, math.inf, -1e-6, 0.0])
@pytest.mark.parametrize("check", [gradcheck, numerical_grad])
def test_eps_must_be_a_positive_finite_number(check, eps: object) -> None:
    with pytest.raises((TypeError, ValueError), match="eps"):
        check(square, [1.0], eps=eps)


def test_cli_gradcheck_eps_that_vanishes_is_one_clear_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = main(["gradcheck", "x*x", "x=1", "--eps", "1e-17"])
    out, err = capsys.readouterr()
    assert status == 2 and out == "", (out, err)
    line = err.strip()
    assert "\n" not in line and "ZeroDivisionError" not in line, line
    assert "--eps" in line and "vanishes" in line and "x = 1.0" in line, line


def test_cli_gradcheck_eps_fine_at_zero_still_runs(capsys: pytest.CaptureFixture[str]) -> None:
    # d(x*x)/dx = 2x = 0 at x = 0, and the 1e-17 step is exact there
    assert main(["gradcheck", "x*x", "x=0", "--eps", "1e-17"]) == 0
    assert "일치 (ok)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("number", "bits", "power"),
    [(2**2000, 2001, 602), (-(3**5000), 7925, 2386), (2**1024, 1025, 308)],
    ids=["2**2000", "-(3**5000)", "2**1024"],
)
def test_an_int_too_large_for_a_float_is_a_domain_error_naming_its_size(
    number: int, bits: int, power: int
) -> None:
    # 2**2000 has 2001 bits and is about 10^(2000 log10 2) = 10^602
    with pytest.raises(DomainError, match=f"{bits}-bit int, about 10\\^{power}"):
        Value(number)


def test_the_largest_float_as_an_int_is_still_a_value() -> None:
    largest = int(1.7976931348623157e308)  # 2**1024 - 2**971
    assert Value(largest).data == 1.7976931348623157e308
