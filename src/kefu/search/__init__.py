"""Search over tickets, customers and knowledge articles: one index, one ranking (see kefu.search.selectors)."""


def warm_up() -> None:
    """Load what the first search would otherwise wait for: jieba's dictionary with the shipped vocabulary,
    OpenCC's tables, the stemmer and pypinyin's data. Reads no database, so the server's configuration can call
    it before the workers fork (they then share the memory); calling it again costs nothing."""
    from kefu.search import fold, text, vocabulary

    vocabulary.apply(text._tokenizer(vocabulary_in_force=False), vocabulary.shipped())
    fold.fold("預熱")
    text.stem("warming")
    text.pinyin_tokens("张伟")
