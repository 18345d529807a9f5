"""Paper output: the PDF/print layout, fonts, CJK line breaking, the review report, the calendar page."""
