from tabayyun.memory import TextMemory


def test_text_memory_keeps_the_newest_texts():
    memory: TextMemory[int] = TextMemory(2)
    memory.remember({"a": 1, "b": 2})
    memory.remember({"c": 3})
    assert memory.known(["a", "b", "c"]) == {"b": 2, "c": 3} and memory.get("a") is None
