"""Linking references inside rendered HTML, and text that must never break the build."""
import random

from cityportal.legal_refs.extract import extract
from cityportal.legal_refs.inline import find_references, wrap_links


def linked(markup: str) -> str:
    markup, found = find_references(markup)
    return wrap_links(markup, [(f, f"/van-ban/{f.reference.id}/", f.reference.type or "") for f in found])


def test_references_in_prose_are_linked_with_a_title():
    out = linked("<p>Theo Nghị định số 04/2015/NĐ-CP của Chính phủ.</p>")
    assert out == ('<p>Theo Nghị định số <a class="legal-ref" href="/van-ban/04/2015/NĐ-CP/" '
                   'title="Nghị định">04/2015/NĐ-CP</a> của Chính phủ.</p>')


def test_never_inside_code_pre_or_an_existing_link():
    markup = ('<pre><code>Nghị định 30/2020/NĐ-CP</code></pre>'
              '<p><code>49/KH-UBND</code> <a href="https://vbpl.vn">Luật 10/2022/QH15</a></p>')
    assert find_references(markup)[1] == []
    assert linked(markup) == markup


def test_the_type_word_may_sit_in_another_element():
    markup, found = find_references("<p><strong>Thông tư</strong> số 02/2018 về trang phục</p>")
    assert [(f.reference.id, f.reference.type) for f in found] == [("02/2018", "Thông tư")]


def test_entities_keep_their_place():
    markup = "<p>&quot;Kế hoạch 49/KH-UBND&quot; &amp; Nghị định&nbsp;số 30/2020/NĐ-CP</p>"
    out = linked(markup)
    assert '&quot;Kế hoạch <a class="legal-ref" href="/van-ban/49/KH-UBND/" title="Kế hoạch">49/KH-UBND</a>&quot;' in out
    assert 'title="Nghị định">30/2020/NĐ-CP</a></p>' in out


def test_a_reference_cut_by_a_tag_is_listed_nowhere_rather_than_linked_wrongly():
    markup, found = find_references("<p>Nghị định 04/2015/<em>NĐ-CP</em></p>")
    assert all(markup[f.html_start:f.html_end] == f.reference.text for f in found)


def test_blocks_do_not_join_words_across_paragraphs():
    _, found = find_references("<p>Luật Đất đai</p><p>năm 2013 là năm</p>")
    assert found == []


def test_odd_text_never_crashes():
    rng = random.Random(20240601)
    alphabet = list("0123456789/-–.,:;()NĐQCPTBUVHKLđươăâêô ngàyNĐ-CP\n\u00a0<>&\"'") + [
        "ngày ", "tháng ", "năm ", "Luật ", "số ", "/QĐ-", "-NQ/TW", "Nghị định ", "<a>", "</a>", "<pre>",
    ]
    for _ in range(400):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))
        extract(text)
        linked(text)
