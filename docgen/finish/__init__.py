"""FINISH: the PDF of each document — Word-born ones read strictly and typeset by Typst, HTML-born\nones by WeasyPrint — signature fields, parity with the DOCX, the COPIL pack."""
