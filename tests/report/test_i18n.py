from tabayyun.report.i18n import reason_ar


def test_known_reasons_render_in_arabic():
    assert reason_ar("number mismatch: claim 500, evidence 157") == "اختلاف في الأرقام: الادعاء 500، الدليل 157"
    assert reason_ar("opposite action: claim 'release', evidence 'capture'") == \
        "فعل معاكس: الادعاء يذكر الإفراج والدليل يذكر الأسر"
    assert reason_ar("supported by «نص» (رويترز, 2019-03-19)") == "يؤيده «نص» (رويترز, 2019-03-19)"


def test_a_bounded_figure_renders_its_bound_in_arabic():
    assert reason_ar("number mismatch: claim 100, evidence at least 150") == \
        "اختلاف في الأرقام: الادعاء 100، الدليل على الأقل 150"
    assert reason_ar("number mismatch: claim about 137, evidence at most 100") == \
        "اختلاف في الأرقام: الادعاء نحو 137، الدليل على الأكثر 100"


def test_unknown_reason_is_kept():
    assert reason_ar("something new") == "something new"
