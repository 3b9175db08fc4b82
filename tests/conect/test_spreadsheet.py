import pytest

from conect.spreadsheet import neutralise


@pytest.mark.parametrize("dangerous", ["=SUM(A1)", "+1", "-1+2", "@cmd", "\tx", "\rx"])
def test_formula_starts_become_text(dangerous):
    assert neutralise(dangerous) == "'" + dangerous


def test_numbers_and_plain_text_pass():
    assert neutralise(-5) == "-5"  # a number is never a formula
    assert neutralise("Ana") == "Ana" and neutralise(None) == ""
