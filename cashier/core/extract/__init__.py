"""The CMIS debt extract, pure (stdlib): column profiles (:mod:`.profile`), the header
(:mod:`.header`), cells (:mod:`.cells`), bills and customers (:mod:`.bills`, :mod:`.customers`),
the row parser (:mod:`.rows`) and its columnar fast path (:mod:`.batch`), the tuples they give
(:mod:`.columns`)."""
