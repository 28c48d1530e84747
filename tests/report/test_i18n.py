from tabayyun.report.i18n import reason_ar


def test_known_reasons_render_in_arabic():
    assert reason_ar("number mismatch: claim 500, evidence 157") == "اختلاف في الأرقام: الادعاء 500، الدليل 157"
    assert reason_ar("opposite action: claim 'release', evidence 'capture'") == \
        "فعل معاكس: الادعاء يذكر الإفراج والدليل يذكر الأسر"
    assert reason_ar("supported by «نص» (رويترز, 2019-03-19)") == "يؤيده «نص» (رويترز, 2019-03-19)"


def test_unknown_reason_is_kept():
    assert reason_ar("something new") == "something new"
