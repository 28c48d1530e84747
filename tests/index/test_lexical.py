"""The tantivy index against a second engine (bm25s) on the same terms, and its crash repair."""
import bm25s
import numpy as np
import pytest

from tabayyun.index import LexicalIndex
from tabayyun.index.lexical import query_terms
from tabayyun.text import analyze, expand_query

SENTENCES = [
    "أسرت قوات سوريا الديمقراطية 157 مقاتلا معظمهم أجانب",
    "خرج أكثر من 60 ألف شخص من الباغوز خلال شهرين",
    "ارتفعت أسعار النفط إلى 70 دولارا للبرميل",
    "فاز المنتخب الوطني على ضيفه بثلاثة أهداف مقابل هدف",
    "أعلنت وزارة الصحة بدء حملة تطعيم ضد شلل الأطفال",
    "قالت قوات سوريا الديمقراطية إن المعارك مستمرة قرب الفرات",
    "تراجعت أسعار الذهب مع ارتفاع الدولار الأمريكي",
    "المقاتلون الأجانب في الباغوز من أكثر المقاتلين خبرة",
]
QUERIES = ["قسد أسرت مقاتلين أجانب", "أسعار النفط للبرميل", "حملة التطعيم", "الباغوز شهرين", "المنتخب هدف"]


@pytest.fixture
def index(tmp_path):
    lex = LexicalIndex(tmp_path / "index")
    lex.add(enumerate(SENTENCES, 1))
    lex.commit()
    return lex


def test_ranking_matches_bm25s(index):
    engine = bm25s.BM25(k1=1.2, b=0.75, method="lucene")
    engine.index([analyze(s) for s in SENTENCES], show_progress=False)
    for query in QUERIES:
        terms = [t for t in analyze(query) if t in engine.vocab_dict]
        docs, scores = engine.retrieve([terms], k=3, show_progress=False)
        theirs = [int(d) + 1 for d, s in zip(docs[0], scores[0]) if s > 0]
        ours = index.search(query, k=len(theirs))
        assert [sid for sid, _ in ours][0] == theirs[0], query
        assert set(sid for sid, _ in ours) == set(theirs), query
        # tantivy keeps Lucene's old (k1 + 1) factor; otherwise the scores agree
        ours_scores = np.array([score for _, score in ours]) / (1.2 + 1)
        assert np.allclose(ours_scores, scores[0][: len(ours)], rtol=0.05), query


def test_search_on_empty_or_stopword_query(index):
    assert index.search("") == [] and index.search("في من على") == []


def test_a_claims_query_terms_are_its_expansion_analysed_once_and_search_the_same(index):
    for query in QUERIES:
        terms = query_terms(query)
        assert terms == tuple(dict.fromkeys(analyze(expand_query(query)))) and len(set(terms)) == len(terms)
        assert index.search_terms(terms) == index.search(expand_query(query)) != []
    assert index.search_terms(()) == []


def test_delete_after_undoes_an_unfinished_catch_up(index):
    index.add([(9, "جملة أضيفت قبل الانقطاع عن الباغوز")])
    index.commit()
    assert len(index) == 9
    index.delete_after(8)
    index.commit()
    assert len(index) == 8 and 9 not in [sid for sid, _ in index.search("الباغوز")]


def test_window_admits_by_source_and_date_and_leaves_out_undated_documents_under_a_date_bound():
    from tabayyun.index import Window
    from tabayyun.records import Document

    dated = Document(id="a", text="نص", source="s1", date="2019-04-02T10:00:00")
    undated = Document(id="b", text="نص", source="s1")
    assert Window().admits(undated)
    assert Window(sources=frozenset({"s1"})).admits(undated)
    assert not Window(sources=frozenset({"s2"})).admits(dated)
    assert Window(since="2019-04-02", before="2019-04-03").admits(dated)
    assert not Window(before="2019-04-02").admits(dated)
    assert not Window(since="2019-04-03").admits(dated)
    assert not Window(before="2030-01-01").admits(undated)
