"""What parsing an extract remembers from row to row (pure, stdlib): the statistics and the
duplicate-detection state, shared by the row-by-row parser and the columnar fast path."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ParseStats:
    data_rows: int = 0  # non-empty rows after the header (excluding footer/repeated headers)
    empty_rows: int = 0
    footer_rows: int = 0
    trailing_rows: int = 0  # text rows below the totals row (signatures, notes)
    repeated_headers: int = 0
    duplicates: int = 0  # identical duplicate rows skipped
    legacy_text: int = 0  # TCVN-3 values repaired
    tier_warnings: int = 0
    customers: int = 0
    bills: int = 0
    warnings: list[str] = field(default_factory=list)

    def notes(self) -> list[str]:
        """Human-readable notes about what was skipped or repaired (English)."""
        s = self
        notes = list(s.warnings)
        if s.duplicates:
            notes.append(f"{s.duplicates} identical duplicate rows skipped")
        if s.empty_rows:
            notes.append(f"{s.empty_rows} empty rows skipped")
        if s.footer_rows:
            notes.append(f"{s.footer_rows} totals/footer rows skipped")
        if s.trailing_rows:
            notes.append(f"{s.trailing_rows} text rows below the totals skipped")
        if s.repeated_headers:
            notes.append(f"{s.repeated_headers} repeated header rows skipped")
        if s.legacy_text:
            notes.append(f"{s.legacy_text} texts in legacy TCVN-3 encoding converted to Unicode")
        if s.tier_warnings:
            notes.append(
                f"{s.tier_warnings} bills with unreadable or inconsistent tier detail (ignored)"
            )
        return notes


@dataclass
class ParseState:
    """The per-file state both parsing paths update the same way."""

    stats: ParseStats = field(default_factory=ParseStats)
    #: customer codes seen (their customer tuple was given once)
    seen_codes: set[str] = field(default_factory=set)
    #: "code\x1fbill_id" -> row << 64 | signature of the bill's values (duplicate detection)
    seen_bills: dict[str, int] = field(default_factory=dict)
    #: folded name/address words longer than 3 letters (the search vocabulary)
    terms: set[str] = field(default_factory=set)
    #: folded words (with their punctuation) already split into terms by the fast path
    known_words: set[str] = field(default_factory=set)
    #: the valid customer code of the row parsed last (None when its code was not valid)
    last_code: str | None = None

    def release(self) -> None:
        """Forget the duplicate-detection state once every row is parsed (peak memory)."""
        self.seen_bills = {}
        self.seen_codes = set()
        self.known_words = set()
