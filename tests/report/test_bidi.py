from tabayyun.report.bidi import FSI, PDI, isolate_html, isolate_text


def test_latin_names_and_dates_are_isolated_as_one_run_in_plain_text():
    assert isolate_text("يناقضه «نص» (skynews, 2018-07-21)") == f"يناقضه «نص» ({FSI}skynews, 2018-07-21{PDI})"
    assert isolate_text("(وكالة الاختبار, 2019-03-19)") == f"(وكالة الاختبار, {FSI}2019-03-19{PDI})"
    assert isolate_text("بلا أرقام") == "بلا أرقام"


def test_html_isolation_escapes_everything_else():
    out = isolate_html("«<b>» https://x.org/a?b=1&c=2")
    assert out == '«&lt;<bdi dir="ltr">b</bdi>&gt;» <bdi dir="ltr">https://x.org/a?b=1&amp;c=2</bdi>'


def test_a_bare_number_is_left_as_it_is():
    assert isolate_text("الادعاء 500، الدليل 157") == "الادعاء 500، الدليل 157"
