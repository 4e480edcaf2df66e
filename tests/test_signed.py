"""Verifying a signed original (docgen/signed.py): the example's convention and avenant signed
by test certificates named after the signatories the acts print, then tampered with in the ways
a signed original goes wrong, each refused with a message naming the file and the failed check."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from docgen import signed as signed_module
from docgen.signed import Expected, Signed, SignedRefused, normalised_name, verify_signed
from tests.signing import authority, person_signer, sign_as, time_stamper

# the signature blocks of the example's convention and avenant, as printed under each signing
# space (checked with pdftotext: tests/test_pdf.py BLOCKS), in the parties' order
EXPECTED = [
    Expected("Signature_Commune_Argentiere", "Alain SANCHEZ", "la Commune"),
    Expected("Signature_EPCI", "Cyrille DRUJON D’ASTROS", "la Communauté de communes"),
    Expected("Signature_Etat", "Dalila ZANE", "l’État"),
    Expected("Signature_Departement", "Jean-Marie BERNARD", "le Département"),
]
NAME = "convention-signee.pdf"


def signatures(who: dict[str, str] | None = None,
               fields: list[Expected] = EXPECTED) -> list[tuple[str, Any]]:
    """(field, signer) for each field, signed by its printed signatory unless `who` says."""
    who = who or {}
    return [(e.field, person_signer(who.get(e.field, e.nom))) for e in fields]


def verify(data: bytes, issued: bytes, **options: Any) -> list[Signed]:
    return verify_signed(data, NAME, hashlib.sha256(issued).hexdigest(), len(issued),
                         options.pop("expected", EXPECTED), **options)


def refusal(data: bytes, issued: bytes, **options: Any) -> str:
    with pytest.raises(SignedRefused) as caught:
        verify(data, issued, **options)
    assert caught.value.exit_code == 1
    return str(caught.value)


def incremental(data: bytes, edit: Callable[[Any], None]) -> bytes:
    """`data` with one more revision, written by pyHanko's incremental writer after `edit`."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    edit(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def add_text(writer: Any, page: int = 0) -> None:
    """A line of text drawn on a page: a content stream appended to the page's /Contents."""
    from pyhanko.pdf_utils import generic

    page_ref, _ = writer.find_page_for_modification(page)
    page_obj = page_ref.get_object()
    stream = writer.add_object(generic.StreamObject(
        stream_data=b"BT /F1 24 Tf 100 100 Td (Ajout apres signature) Tj ET"))
    contents = page_obj.raw_get("/Contents")
    kept = list(contents.get_object()) if isinstance(contents.get_object(), generic.ArrayObject) \
        else [contents]
    page_obj["/Contents"] = generic.ArrayObject([*kept, stream])
    writer.update_container(page_obj)


def add_note(writer: Any, page: int = 0) -> None:
    """A FreeText annotation (a typed note) added to a page."""
    from pyhanko.pdf_utils import generic

    page_ref, _ = writer.find_page_for_modification(page)
    page_obj = page_ref.get_object()
    note = writer.add_object(generic.DictionaryObject({
        generic.pdf_name("/Type"): generic.pdf_name("/Annot"),
        generic.pdf_name("/Subtype"): generic.pdf_name("/FreeText"),
        generic.pdf_name("/Rect"): generic.ArrayObject([generic.FloatObject(v)
                                                        for v in (50, 50, 300, 100)]),
        generic.pdf_name("/Contents"): generic.TextStringObject("Montant : 0 €"),
        generic.pdf_name("/DA"): generic.TextStringObject("/Helv 12 Tf 0 g"),
    }))
    annots = page_obj.get("/Annots")
    page_obj["/Annots"] = generic.ArrayObject(
        [*(list(annots.get_object()) if annots is not None else []), note])
    writer.update_container(page_obj)


@pytest.fixture(scope="module")
def convention(built: Path) -> bytes:
    return (built / "convention.pdf").read_bytes()


@pytest.fixture(scope="module")
def avenant(built: Path) -> bytes:
    return (built / "avenant-01.pdf").read_bytes()


@pytest.fixture(scope="module")
def signed_convention(convention: bytes) -> bytes:
    return sign_as(convention, signatures())


@pytest.fixture(scope="module")
def signed_avenant(avenant: bytes) -> bytes:
    return sign_as(avenant, signatures())


# ------------------------------------------------------------------ what is accepted

def test_each_field_signed_by_its_signatory_gives_one_signed_per_field(
        signed_convention: bytes, convention: bytes) -> None:
    before = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    result = verify(signed_convention, convention)
    assert [s.field for s in result] == [e.field for e in EXPECTED]  # in signing order
    assert [s.signataire for s in result] == [e.nom for e in EXPECTED]
    assert [s.attendu for s in result] == [e.nom for e in EXPECTED]
    assert not any(s.accepte for s in result)
    assert all(s.confiance is None for s in result)  # no authority given: « non vérifiée »
    assert all(s.date is not None and s.date > before for s in result)


def test_trusted_when_the_chain_reaches_an_authority_given(signed_avenant: bytes,
                                                           avenant: bytes) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    pem = authority().pem
    der = x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER)
    bundle = authority("Autre autorité d'essai").pem + pem  # a PEM file holding several
    for given in ([pem], [der], [bundle]):
        result = verify(signed_avenant, avenant, authorities=given)
        assert [s.confiance for s in result] == [True] * 4


def test_refused_when_the_chain_reaches_none_of_the_authorities_given(
        signed_avenant: bytes, avenant: bytes) -> None:
    text = refusal(signed_avenant, avenant, authorities=[authority("Autre autorité d'essai").pem])
    for e in EXPECTED:  # every signer named
        assert (f"{NAME} : le certificat de {e.nom} (champ « {e.field} ») ne remonte à aucune "
                "des autorités de confiance données (aucune chaîne de certification") in text


def test_an_unreadable_authority_is_refused(signed_avenant: bytes, avenant: bytes) -> None:
    text = refusal(signed_avenant, avenant, authorities=[authority().pem, b"pas un certificat"])
    assert text == "autorité de confiance n° 2 illisible : ni un certificat PEM ni un certificat DER."


def test_names_compare_without_case_accents_punctuation_or_word_order() -> None:
    assert normalised_name("ZANE Dalila") == normalised_name("Dalila ZANE")
    assert normalised_name("Cyrille Drujon d'Astros") == normalised_name("Cyrille DRUJON D’ASTROS")
    assert normalised_name("BERNARD Jean Marie") == normalised_name("Jean-Marie BERNARD")
    assert normalised_name("Élodie LŒUVRE") == normalised_name("elodie loeuvre")
    assert normalised_name("Dalila ZANE") != normalised_name("Dalila ZANE ZANE")  # a multiset
    assert normalised_name("Jean MARIE") != normalised_name("Jean-Marie BERNARD")


def test_a_certificate_naming_the_signatory_otherwise_is_accepted(avenant: bytes) -> None:
    data = sign_as(avenant, signatures({"Signature_Etat": "ZANE Dalila",
                                        "Signature_EPCI": "Cyrille Drujon d'Astros"}))
    result = verify(data, avenant)
    assert [s.signataire for s in result][1:3] == ["Cyrille Drujon d'Astros", "ZANE Dalila"]
    assert not any(s.accepte for s in result)


def test_an_issued_pdf_of_two_revisions_then_signed_is_accepted(avenant: bytes) -> None:
    issued = incremental(avenant, lambda writer: None)  # a second revision, changing nothing
    assert verify(sign_as(issued, signatures()), issued)


def test_a_signature_timestamped_is_dated_by_its_timestamp(avenant: bytes) -> None:
    stamped = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    data = sign_as(avenant, signatures(fields=EXPECTED[:3]))
    data = sign_as(data, signatures(fields=EXPECTED[3:]), timestamper=time_stamper(stamped))
    result = verify(data, avenant)
    assert result[3].date == stamped
    assert result[2].date is not None and result[2].date != stamped  # the time claimed


def test_a_document_timestamp_is_a_field_the_act_does_not_have(signed_avenant: bytes,
                                                               avenant: bytes) -> None:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    data = signers.PdfTimeStamper(time_stamper()).timestamp_pdf(
        IncrementalPdfFileWriter(io.BytesIO(signed_avenant)), "sha256").getvalue()
    text = refusal(data, avenant)
    assert text.startswith(f"{NAME} : champ de signature inattendu « ") and "(signé)" in text


# ------------------------------------------------------------------ who signed

def test_a_signature_by_another_person_is_refused_unless_accepted(avenant: bytes) -> None:
    data = sign_as(avenant, signatures({"Signature_Etat": "Karim MARTIN"}))
    assert refusal(data, avenant) == (
        f"{NAME} : le champ « Signature_Etat » est signé par « Karim MARTIN », et non par "
        "Dalila ZANE (pour l’État). Si cette personne signe bien à sa place (délégation, "
        "intérim), relancez avec --accepter-signataire \"Karim MARTIN\".")
    result = verify(data, avenant, accept=["MARTIN Karim"])
    assert [(s.field, s.signataire, s.attendu, s.accepte) for s in result][2] == (
        "Signature_Etat", "Karim MARTIN", "Dalila ZANE", True)
    assert not any(s.accepte for s in result[:2] + result[3:])
    # accepting someone else accepts no one else
    assert "signé par « Karim MARTIN »" in refusal(data, avenant, accept=["Karim MARTINEZ"])


# ------------------------------------------------------------------ fields

def test_a_field_left_empty_is_refused(avenant: bytes) -> None:
    data = sign_as(avenant, signatures(fields=EXPECTED[:3]))
    assert refusal(data, avenant) == (f"{NAME} : le champ « Signature_Departement » (Jean-Marie "
                                      "BERNARD, pour le Département) n'est pas signé.")


def test_the_unsigned_issued_pdf_itself_names_every_field(avenant: bytes) -> None:
    text = refusal(avenant, avenant)
    assert text.splitlines() == [f"{NAME} : le champ « {e.field} » ({e.nom}, pour {e.pour}) "
                                 "n'est pas signé." for e in EXPECTED]


def test_a_signature_in_a_field_the_act_does_not_have_is_refused(
        signed_avenant: bytes, avenant: bytes) -> None:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    data = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(signed_avenant)),
                            signers.PdfSignatureMetadata(field_name="Signature_Intrus"),
                            signer=person_signer("Dalila ZANE")).getvalue()
    assert refusal(data, avenant) == (f"{NAME} : champ de signature inattendu « Signature_Intrus » "
                                      "(signé) : le PDF émis ne le prévoit pas ; fichier refusé.")


def test_an_expected_field_absent_from_the_file_is_refused(signed_avenant: bytes,
                                                           avenant: bytes) -> None:
    expected = [*EXPECTED, Expected("Signature_Etat_2", "Martine CLAVEL", "l’État")]
    assert refusal(signed_avenant, avenant, expected=expected) == (
        f"{NAME} : le champ de signature « Signature_Etat_2 » (Martine CLAVEL, pour l’État) a "
        "disparu du fichier.")


def add_field(writer: Any, name: str, listed: bool) -> None:
    """A signature field with its widget on the first page, listed in the form or not."""
    from pyhanko.pdf_utils import generic

    page_ref, _ = writer.find_page_for_modification(0)
    page_obj = page_ref.get_object()
    field = writer.add_object(generic.DictionaryObject({
        generic.pdf_name("/Type"): generic.pdf_name("/Annot"),
        generic.pdf_name("/Subtype"): generic.pdf_name("/Widget"),
        generic.pdf_name("/FT"): generic.pdf_name("/Sig"),
        generic.pdf_name("/T"): generic.TextStringObject(name),
        generic.pdf_name("/Rect"): generic.ArrayObject([generic.FloatObject(0)] * 4),
        generic.pdf_name("/P"): page_ref,
    }))
    annots = page_obj.get("/Annots")
    page_obj["/Annots"] = generic.ArrayObject(
        [*(list(annots.get_object()) if annots is not None else []), field])
    writer.update_container(page_obj)
    if listed:
        fields = writer.root["/AcroForm"]["/Fields"]
        fields.append(field)
        writer.update_container(fields if fields.container_ref is not None
                                else writer.root["/AcroForm"])


def test_a_second_field_of_the_same_name_is_refused(signed_avenant: bytes,
                                                    avenant: bytes) -> None:
    data = incremental(signed_avenant, lambda w: add_field(w, "Signature_Etat", listed=True))
    assert refusal(data, avenant) == (f"{NAME} : deux champs de signature s'appellent "
                                      "« Signature_Etat » : fichier refusé.")


def test_a_signature_widget_outside_the_form_is_refused(signed_avenant: bytes,
                                                        avenant: bytes) -> None:
    data = incremental(signed_avenant, lambda w: add_field(w, "Signature_Cachee", listed=False))
    assert refusal(data, avenant) == (f"{NAME} : page 1 : une signature hors des champs de "
                                      "signature du formulaire : fichier refusé.")


def test_an_encrypted_file_is_refused(signed_avenant: bytes, avenant: bytes) -> None:
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(signed_avenant)) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(owner="docgen", user=""))
    assert refusal(out.getvalue(), avenant).startswith(f"{NAME} : PDF chiffré : ")


# ------------------------------------------------------------------ the issued PDF, unchanged

def test_a_byte_edited_in_the_issued_part_breaks_the_first_signature(
        signed_convention: bytes, convention: bytes) -> None:
    data = bytearray(signed_convention)
    data[len(convention) // 2] ^= 0x01  # inside a page's compressed content
    assert refusal(bytes(data), convention) == (
        f"{NAME} : la signature du champ « Signature_Commune_Argentiere » (Alain SANCHEZ) n'est "
        "plus intacte : le fichier a été modifié après cette signature.")


def test_a_byte_edited_in_the_last_signature_breaks_it(signed_avenant: bytes,
                                                       avenant: bytes) -> None:
    at = signed_avenant.index(b"20", signed_avenant.rindex(b"/M (D")) + 3  # the last signing
    data = signed_avenant[:at] + (b"1" if signed_avenant[at:at + 1] != b"1" else b"2") \
        + signed_avenant[at + 1:]  # time's year, a digit still: a date as good as the other
    assert refusal(data, avenant) == (
        f"{NAME} : la signature du champ « Signature_Departement » (Jean-Marie BERNARD) n'est "
        "plus intacte : le fichier a été modifié après cette signature.")


def test_a_pdf_regenerated_rather_than_signed_is_refused(avenant: bytes) -> None:
    resaved = io.BytesIO()
    with pikepdf.open(io.BytesIO(avenant)) as pdf:  # the same document, saved again
        pdf.save(resaved)
    data = sign_as(resaved.getvalue(), signatures())
    assert refusal(data, avenant) == (
        f"{NAME} : ce n'est pas le PDF émis, signé : ses {len(avenant)} premiers octets n'ont "
        "pas l'empreinte SHA-256 du PDF émis enregistrée au registre (PDF régénéré, "
        "réenregistré ou converti plutôt que signé ?). Faites signer le PDF émis lui-même, sans "
        "l'ouvrir dans un autre logiciel.")


def test_a_recorded_size_that_is_not_the_end_of_a_revision_is_refused(
        signed_avenant: bytes, avenant: bytes) -> None:
    text = refusal(signed_avenant, avenant[:-30])  # the register's size cuts into the trailer
    assert text.startswith(f"{NAME} : commence par le PDF émis, mais sa première version n'est "
                           "pas le PDF émis octet pour octet (")


# ------------------------------------------------------------------ changes after signing

CHANGED_AFTER = ("{name} : modifié après la signature du champ « {field} » ({who}) par autre "
                 "chose que des signatures ou le remplissage du formulaire (contenu ou structure "
                 "du document changés) : fichier refusé.")


@pytest.mark.parametrize("edit", [add_text, add_note], ids=["text", "annotation"])
def test_a_page_changed_after_the_signatures_is_refused(
        signed_avenant: bytes, avenant: bytes, edit: Callable[[Any], None]) -> None:
    data = incremental(signed_avenant, edit)
    assert refusal(data, avenant) == CHANGED_AFTER.format(
        name=NAME, field="Signature_Departement", who="Jean-Marie BERNARD")


def test_a_change_between_two_signatures_names_the_signature_before_it(avenant: bytes) -> None:
    half = incremental(sign_as(avenant, signatures(fields=EXPECTED[:2])), add_text)
    data = sign_as(half, signatures(fields=EXPECTED[2:]))
    assert refusal(data, avenant) == CHANGED_AFTER.format(
        name=NAME, field="Signature_EPCI", who="Cyrille DRUJON D’ASTROS")


def test_a_change_signed_over_by_every_signatory_is_still_refused(avenant: bytes) -> None:
    """A page changed before the first signature: each signature covers it, so pyHanko finds
    nothing after any of them; only the comparison with the issued revision sees it."""
    data = sign_as(incremental(avenant, add_text), signatures())
    assert refusal(data, avenant) == (
        f"{NAME} : modifié depuis le PDF émis par autre chose que des signatures ou le "
        "remplissage du formulaire (contenu ou structure du document changés) : fichier refusé.")


# ------------------------------------------------------------------ not a signed original at all

@pytest.mark.parametrize("damage, message", [
    (lambda d: b"", "ce n'est pas un PDF"),
    (lambda d: b"PK\x03\x04 un fichier ZIP", "ce n'est pas un PDF"),
    (lambda d: d[: len(d) // 2], "PDF illisible"),
    (lambda d: d[:-100], "PDF illisible"),
    (lambda d: b"%PDF-1.7\n" + bytes(range(256)) * 64, "PDF illisible"),
    (lambda d: d.replace(b"startxref", b"startxref\n0\n%%EOF\n", 1), "PDF illisible"),
], ids=["empty", "zip", "half", "truncated", "garbage", "bad-startxref"])
def test_a_broken_or_foreign_file_is_refused(signed_avenant: bytes, avenant: bytes,
                                              damage: Callable[[bytes], bytes],
                                              message: str) -> None:
    text = refusal(damage(signed_avenant), avenant)
    assert text.startswith(f"{NAME} : {message}"), text


def test_a_file_over_the_limits_is_refused(signed_avenant: bytes, avenant: bytes,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    assert signed_module.MAX_SIGNED_BYTES == 150 * 1024 * 1024  # the ACTES maximum
    monkeypatch.setattr(signed_module, "MAX_REVISIONS", 4)  # the issued PDF and 4 signatures
    assert refusal(signed_avenant, avenant) == (
        f"{NAME} : 5 versions successives (mises à jour incrémentales) : la limite est de 4 "
        "pour un original signé ; fichier refusé.")
    monkeypatch.setattr(signed_module, "MAX_SIGNED_BYTES", 1024 * 1024 // 8)
    assert refusal(signed_avenant, avenant) == (
        f"{NAME} : fichier trop volumineux (0 Mio) : la limite est de 0 Mio pour un original "
        "signé (le maximum d'ACTES).")


def test_random_damage_to_the_signatures_ends_in_a_refusal(signed_avenant: bytes,
                                                           avenant: bytes) -> None:
    """Bytes flipped, dropped or repeated in the revisions the signatories added: every one is
    refused with a message (or, when the damage misses everything signed and read, accepted),
    never an error of pyHanko's or asn1crypto's reaching the caller."""
    rng = random.Random(24)
    start, end = len(avenant), len(signed_avenant)
    outcomes = []
    for _ in range(24):
        at = rng.randrange(start, end)
        kind = rng.choice(["flip", "drop", "repeat"])
        if kind == "flip":
            data = signed_avenant[:at] + bytes([signed_avenant[at] ^ (1 << rng.randrange(8))]) \
                + signed_avenant[at + 1:]
        elif kind == "drop":
            data = signed_avenant[:at] + signed_avenant[at + rng.randrange(1, 64):]
        else:
            data = signed_avenant[:at] + signed_avenant[at - 32:at] + signed_avenant[at:]
        try:
            verify(data, avenant)
            outcomes.append("accepted")
        except SignedRefused as refused:
            assert str(refused).startswith(f"{NAME} : "), str(refused)
            outcomes.append("refused")
    assert outcomes.count("refused") >= 18, outcomes


# ------------------------------------------------------------------ the object-stream index

def test_the_indexed_reader_reads_the_objects_pyhanko_reads(signed_avenant: bytes) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.reader import PdfFileReader

    from docgen.signed import indexed_reader

    plain, indexed = PdfFileReader(io.BytesIO(signed_avenant)), indexed_reader(signed_avenant)
    refs = sorted({(ref.idnum, ref.generation) for rev in range(plain.xrefs.total_revisions)
                   for ref in plain.xrefs.explicit_refs_in_revision(rev)})
    assert len(refs) > 500
    for idnum, gen in refs:
        a = plain.get_object(generic.Reference(idnum, gen, plain))
        b = indexed.get_object(generic.Reference(idnum, gen, indexed))
        assert type(a) is type(b) and repr(a) == repr(b), (idnum, gen)
