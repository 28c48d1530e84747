"""Evidence index: BM25 over sentences (tantivy), sentence vectors with a cache, hybrid retrieval."""
from tabayyun.index.lexical import LexicalIndex
from tabayyun.index.retriever import Retriever
from tabayyun.index.vectors import EmbeddingCache, Encoder

__all__ = ["LexicalIndex", "Retriever", "Encoder", "EmbeddingCache"]
