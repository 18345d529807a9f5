"""Files in and out: the safe package layer, the layout parser, docx/xlsx/json readers and writers, import."""
