"""Evidence index: BM25 over sentences (tantivy), sentence vectors with a cache, hybrid retrieval."""
from tabayyun.index.lexical import LexicalIndex
from tabayyun.index.retriever import Retriever, Window
from tabayyun.index.vectors import E5Encoder, EmbeddingCache, Encoder, cached_encoder, make_encoder

__all__ = ["LexicalIndex", "Retriever", "Window", "Encoder", "E5Encoder", "EmbeddingCache", "cached_encoder",
           "make_encoder"]
