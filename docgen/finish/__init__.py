"""Signature PDF of a Word document: strict DOCX reader, Typst typesetting, fields, parity."""
