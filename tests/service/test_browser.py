"""End to end in Debian's Chromium (headless), driven by Playwright: the server runs as
``python -m tabayyun.service`` on a free loopback port, on a small evidence base.

Set TABAYYUN_SCREENSHOTS=DIR to keep screenshots of the main views (docs/screenshots/ in the repo).
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import tabayyun
from tests.service.conftest import TOKEN, XSS_TITLE, build_base

CHROMIUM = os.environ.get("TABAYYUN_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
XSS_POST = "زعم منشور أن <script>alert(1)</script> الجسر الجديد <img src=x onerror=alert(2)> انهار أمس في المدينة."


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("browser-base")
    build_base(db).close()
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(Path(tabayyun.__file__).parents[1]), os.environ.get("PYTHONPATH", "")]), "TABAYYUN_TOKEN": TOKEN}
    proc = subprocess.Popen([sys.executable, "-m", "tabayyun.service", "--db", str(db), "--port", str(port),
                             "--public-url", "https://desk.example.org"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("server did not start: " + (proc.stdout.read() if proc.stdout else ""))
            time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(base_url=server, viewport={"width": 1100, "height": 900}, locale="ar")
    pg = context.new_page()
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    yield pg
    context.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    out = Path(os.environ.get("TABAYYUN_SCREENSHOTS") or tmp_path_factory.mktemp("shots"))
    out.mkdir(parents=True, exist_ok=True)
    return out


def test_paste_check_and_open_evidence(page, shots):
    from tests.conftest import seed_parts

    page.goto("/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.get_by_label("الصق منشورا أو مقالا").fill(seed_parts()[1])
    page.screenshot(path=shots / "01-paste.png")
    page.get_by_role("button", name="تحقق").click()
    page.wait_for_url("**/checks/*")
    claims = page.locator("#post a.claim")
    assert claims.count() >= 2
    panels = page.locator("section.panel")
    assert panels.count() == claims.count()
    assert panels.nth(0).is_visible() and not panels.nth(1).is_visible()  # one claim's evidence at a time
    refuted = page.locator("#post a.claim.v-refuted").first
    target = refuted.get_attribute("data-target")
    refuted.click()
    panel = page.locator(f"#{target}")
    assert panel.is_visible() and panel.evaluate("el => el === document.activeElement")
    assert panel.locator(".evidence li").count() >= 1 and "مفنَّد" in panel.inner_text()
    page.screenshot(path=shots / "02-check.png", full_page=True)
    panel.get_by_role("link", name="افتح المستند").first.click()
    page.wait_for_url("**/documents/**")
    assert page.locator("mark").is_visible()
    page.screenshot(path=shots / "03-document.png")


def test_keyboard_opens_a_claim(page):
    page.goto("/")
    page.get_by_label("الصق منشورا أو مقالا").fill("أسرت قوات سوريا الديمقراطية 157 مقاتلا معظمهم أجانب قرب الباغوز.")
    page.get_by_role("button", name="تحقق").click()
    page.wait_for_url("**/checks/*")
    page.locator("#post a.claim").first.focus()
    page.keyboard.press("Enter")
    assert page.locator("section.panel").first.evaluate("el => el === document.activeElement")


def test_search_and_phone_layout(browser, server, shots):
    context = browser.new_context(base_url=server, viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto("/search")
    page.get_by_label("ابحث في قاعدة الأدلة").first.fill("الباغوز")
    page.get_by_role("button", name="ابحث").click()
    results = page.locator("ol.results > li")
    assert results.count() >= 2
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")  # no sideways scroll
    page.screenshot(path=shots / "04-search-phone.png", full_page=True)
    context.close()


def test_add_a_document_with_the_token_only(page, shots):
    page.goto("/add")
    page.get_by_label("رمز الكتابة").fill("wrong-token")
    page.get_by_label("النص").fill("أعلنت هيئة الأرصاد أن موجة حر شديدة ستضرب الساحل الأسبوع المقبل.")
    page.get_by_role("button", name="أضف").click()
    assert "رمز غير صحيح" in page.locator("[role=alert]").inner_text()
    page.goto("/add")
    page.get_by_label("رمز الكتابة").fill(TOKEN)
    page.get_by_label("العنوان").fill("موجة حر")
    page.get_by_label("المصدر").fill("نشرة الطقس")
    page.get_by_label("النص").fill("أعلنت هيئة الأرصاد أن موجة حر شديدة ستضرب الساحل الأسبوع المقبل.")
    page.get_by_role("button", name="أضف").click()
    assert "أُضيف 1 مستند" in page.locator("[role=status]").inner_text()
    page.screenshot(path=shots / "05-add.png", full_page=True)
    page.goto("/search?q=موجة حر شديدة")
    assert "نشرة الطقس" in page.locator("ol.results").inner_text()


def test_markup_is_shown_as_text_in_the_browser(page):
    page.goto("/documents/xss-1")
    assert page.locator("h1").inner_text() == XSS_TITLE
    assert "<script>alert(1)</script>" in page.locator(".post").inner_text()
    page.goto("/search?q=الجسر الجديد")
    page.goto("/")
    page.get_by_label("الصق منشورا أو مقالا").fill(XSS_POST)
    page.get_by_label("تحقق من كل الادعاءات لا الجديرة بالتحقق فقط").check()
    page.get_by_role("button", name="تحقق").click()
    page.wait_for_url("**/checks/*")
    assert "<img src=x onerror=alert(2)>" in page.locator("#post").inner_text()
    assert page.locator("#post img, #post script").count() == 0
    assert page.dialogs == []


def test_english_history_and_export(page, shots):
    page.goto("/checks")
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.get_by_role("heading", name="History of checks").is_visible()
    page.screenshot(path=shots / "06-history-en.png", full_page=True)
    page.locator("ol.history a").first.click()
    page.get_by_role("link", name="Printable report").click()
    assert page.locator("h1").inner_text().startswith("تقرير تحقق")
    page.screenshot(path=shots / "07-report.png", full_page=True)
    page.go_back()
    response = page.request.get(page.url.split("#")[0].replace("/checks/", "/api/checks/") + "/claimreview")
    assert response.ok and response.json()["@context"] == "https://schema.org"
    assert response.json()["@graph"][0]["url"].startswith("https://desk.example.org/checks/")


_DATE_ORDER_JS = """li => {
  const out = [];
  const walker = document.createTreeWalker(li, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const m of node.data.matchAll(/(\\d{4})-(\\d{2})-(\\d{2})/g)) {
      const left = (a, b) => { const r = document.createRange(); r.setStart(node, a); r.setEnd(node, b);
                               return r.getBoundingClientRect().left; };
      const year = left(m.index, m.index + 4), day = left(m.index + 8, m.index + 10);
      out.push([m[0], year < day]);
    }
  }
  return out;
}"""


def test_dates_in_arabic_reason_lines_read_in_order(page):
    page.goto("/")
    page.get_by_label("الصق منشورا أو مقالا").fill("أسرت قوات سوريا الديمقراطية 500 مقاتل معظمهم أجانب قرب الباغوز.")
    page.get_by_role("button", name="تحقق").click()
    page.wait_for_url("**/checks/*")
    reasons = page.locator("section.panel").first.locator("ul.reasons li")
    dates = [d for i in range(reasons.count()) for d in reasons.nth(i).evaluate(_DATE_ORDER_JS)]
    assert any(d == "2019-03-19" for d, _ in dates)  # the Arabic-named source's date is cited
    assert all(in_order for _, in_order in dates), dates  # year drawn left of day: 2019-03-19, not 19-03-2019


def test_review_a_claim_on_the_desk_and_see_it_in_the_history(page):
    from tests.service.conftest import TOKEN as WRITE_TOKEN

    page.goto("/")
    page.get_by_label("الصق منشورا أو مقالا").fill("أسرت قوات سوريا الديمقراطية 500 مقاتل معظمهم أجانب قرب الباغوز.")
    page.get_by_role("button", name="تحقق").click()
    page.wait_for_url("**/checks/*")
    panel = page.locator("section.panel").first
    assert "لم يراجعه أحد بعد" in panel.inner_text()
    panel.locator("details.review summary").click()
    panel.get_by_label("رمز الكتابة").fill(WRITE_TOKEN)
    panel.get_by_label("تذكّر الرمز في هذه الجلسة").check()
    panel.get_by_label("الحكم", exact=True).select_option("refuted")
    panel.get_by_label("اسم المراجِع").fill("سارة")
    panel.get_by_label("ملاحظة").fill("قالت قسد إنها أسرت 157 مقاتلا")
    panel.locator("input[name=cite]").first.check()
    panel.get_by_role("button", name="وقّع المراجعة").click()
    page.wait_for_load_state()
    panel = page.locator("section.panel").first
    signed = panel.locator("p.signed").inner_text()
    assert "مفنَّد" in signed and "سارة" in signed and "زائف" in signed
    assert "حكم تبيّن" in panel.inner_text()  # the machine verdict stays beside the signed one
    panel.locator("details.review summary").click()
    assert "الرمز محفوظ لهذه الجلسة" in panel.inner_text()  # remembered: no token field the second time
    page.goto("/checks")
    first = page.locator("ol.history li").first
    assert first.locator(".badge").count() >= 1 and "✓ 1/1" in first.inner_text()


def test_times_are_shown_in_the_readers_locale_and_zone(browser, server):
    context = browser.new_context(base_url=server, locale="en-US", timezone_id="Asia/Riyadh")
    pg = context.new_page()
    pg.goto("/lang/en?next=/")
    pg.locator("textarea").first.fill("ارتفعت أسعار النفط إلى 90 دولارا للبرميل")
    pg.locator("form button[type=submit]").first.click()
    pg.wait_for_url("**/checks/*")
    pg.goto("/checks")
    first = pg.locator("ol.history time").first
    iso = first.get_attribute("datetime")
    shown = first.inner_text()
    assert first.get_attribute("title") == iso and shown != iso  # "Nov 27, 2026, 12:35 AM" style
    hour_utc = int(iso[11:13])
    assert f"{(hour_utc + 3) % 12 or 12}:{iso[14:16]}" in shown  # Riyadh is UTC+3
    context.close()


def test_stories_list_and_a_story_page(page, shots):
    from tests.conftest import seed_parts

    page.goto("/")
    page.get_by_label("الصق منشورا أو مقالا").fill(seed_parts()[1])
    page.get_by_role("button", name="تحقق").click()
    page.wait_for_url("**/checks/*")
    page.get_by_role("link", name="القصص").click()
    page.wait_for_url("**/stories")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.get_by_label("المصدر").fill("Reuters")
    page.get_by_role("button", name="صفِّ").click()
    stories = page.locator("ol.stories > li")
    assert stories.count() == 1 and "Reuters (1)" in stories.inner_text()
    page.screenshot(path=shots / "08-stories.png", full_page=True)
    stories.locator("h2 a").click()
    page.wait_for_url("**/stories/s-*")
    assert page.locator("ol.timeline > li").count() >= 1 and "2019-03-19" in page.locator("ol.timeline").inner_text()
    assert page.locator("ol.claims li .badge").count() >= 1
    page.screenshot(path=shots / "09-story.png", full_page=True)
    page.locator("ol.claims li a").first.click()
    page.wait_for_url("**/checks/*")
