"""Verifying a signed original (design.md §3) before the register records it, with pyHanko: the
issued PDF is the file's first revision byte for byte; every expected field is signed and no
other; each signature is intact and valid (and, when authorities are given, chains to one of
them); the revisions after the issued one add signatures and form filling, nothing else; each
signer's certificate names the expected signatory. Nothing is fetched from the network and
nothing the PDF says about itself is taken on trust: every claim is checked against the bytes.

The file is read in-process, bounded: a size limit, pyHanko's strict reader with its default
decoding limits, and every error pyHanko or asn1crypto raise on hostile bytes turned into a
refusal that names the file and the check that failed.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import hashlib
import io
import logging
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import messages as msg
from .errors import EXIT_INVALID, DocgenError

if TYPE_CHECKING:
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader

MAX_SIGNED_BYTES = 150 * 1024 * 1024  # the ACTES maximum for an act with its annexes
MAX_PAGE_TREE = 100_000  # nodes of the page tree walked to find widgets (a convention has ~40)
# revisions of a signed original: the issued PDF's, then one per signature, and perhaps one per
# signature more for validation data (a DSS); each signature's difference analysis reads every
# revision after its own, so their number bounds the time a hostile file can take
MAX_REVISIONS = 100


@dataclass(frozen=True)
class Expected:
    """One signatory the issued PDF waits for."""

    field: str  # signature field name in the issued PDF, e.g. "Signature_Etat"
    nom: str  # the signatory's name as the act prints it, e.g. "Dalila ZANE"
    pour: str = ""  # for whom (« l'État »), for messages only


@dataclass(frozen=True)
class Signed:
    """One verified signature, one per signature field, in signing order."""

    field: str
    signataire: str  # the certificate subject's common name
    attendu: str  # Expected.nom
    accepte: bool  # the name differs, but the user accepted this signer (--accepter-signataire)
    date: datetime.datetime | None  # the timestamp's time if any, else the signing time claimed
    confiance: bool | None  # True: chains to a given authority; None: no authority given


class SignedRefused(DocgenError):
    """A signed original docgen will not record; the message names the file and the check."""

    exit_code = EXIT_INVALID


def verify_signed(pdf: bytes, name: str, issued_sha256: str, issued_size: int,
                  expected: Sequence[Expected], accept: Sequence[str] = (),
                  authorities: Sequence[bytes] = ()) -> list[Signed]:
    """The signatures of `pdf`, the signed version of the issued PDF (`issued_sha256`,
    `issued_size` from the register), one per field of `expected`, in signing order; raises
    SignedRefused at the first check that fails (with every problem that check found)."""
    if len(pdf) > MAX_SIGNED_BYTES:
        raise SignedRefused(msg.SIGNED_TOO_BIG.format(
            file=name, size=len(pdf) >> 20, limit=MAX_SIGNED_BYTES >> 20))
    if b"%PDF-" not in pdf[:1024]:
        raise SignedRefused(msg.SIGNED_NOT_PDF.format(file=name))
    roots = load_authorities(authorities)
    _quiet_pyhanko()
    with _refusing(msg.SIGNED_UNREADABLE, file=name):
        reader = indexed_reader(pdf)
        if reader.encrypted:
            raise SignedRefused(msg.SIGNED_ENCRYPTED.format(file=name))
        if reader.xrefs.total_revisions > MAX_REVISIONS:
            raise SignedRefused(msg.SIGNED_TOO_MANY_REVISIONS.format(
                file=name, n=reader.xrefs.total_revisions, limit=MAX_REVISIONS))
        fields = _signature_fields(reader, name, expected)
    check = _Check(reader, name, roots)
    sigs = sorted((check.embedded(field, ref) for field, ref in fields),
                  key=lambda sig: sig.signed_revision)  # signing order
    issued_revisions = check.issued(pdf, issued_sha256, issued_size, sigs)
    statuses = [check.status(sig) for sig in sigs]
    check.modifications(sigs, statuses)
    check.since_issue(issued_revisions - 1)
    check.trust(sigs, statuses)
    by_field = {e.field: e for e in expected}
    return check.signers([(sig.field_name, status, by_field[sig.field_name])
                          for sig, status in zip(sigs, statuses)], accept)


def load_authorities(authorities: Sequence[bytes]) -> list[asn1_x509.Certificate]:
    """The certificates of each authority given, PEM (one or several) or DER."""
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509

    roots = []
    for n, data in enumerate(authorities, 1):
        try:
            if pem.detect(data):
                ders = [der for kind, _, der in pem.unarmor(data, multiple=True)
                        if kind == "CERTIFICATE"]
                if not ders:
                    raise SignedRefused(msg.SIGNED_NO_AUTHORITY.format(n=n))
            else:
                ders = [data]
            for der in ders:
                cert = asn1_x509.Certificate.load(der, strict=True)
                cert.native  # parses every part now: a broken certificate fails here  # noqa: B018
                roots.append(cert)
        except (ValueError, TypeError, KeyError):
            raise SignedRefused(msg.SIGNED_AUTHORITY_UNREADABLE.format(n=n)) from None
    return roots


# ------------------------------------------------------------------ reading hostile bytes

@functools.cache
def _quiet_pyhanko() -> None:
    """pyHanko logs what it meets in a hostile or unsigned file (with tracebacks) as warnings;
    with no logging set up, Python would print them on stderr beside docgen's own message. A
    null handler keeps them out unless the program configures logging itself."""
    for name in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).addHandler(logging.NullHandler())


@functools.cache
def _hostile_errors() -> tuple[type[BaseException], ...]:
    """What pyHanko, asn1crypto and its own asserts raise on malformed input (pyHanko's
    PdfError family; asn1crypto's and pyHanko's ValueError family, SignatureValidationError and
    SuspiciousModification included; lookups and type confusions on objects of the wrong type;
    nesting too deep). Not Exception: a bug of docgen's own stays a bug."""
    from pyhanko.pdf_utils.misc import PdfError

    return (PdfError, ValueError, KeyError, IndexError, TypeError, AttributeError,
            AssertionError, RecursionError, OverflowError, EOFError)


@contextlib.contextmanager
def _refusing(pattern: str, **fields: str) -> Iterator[None]:
    """Turns the errors of hostile input met inside it into SignedRefused(pattern.format(…));
    a SignedRefused raised inside goes through as it is."""
    try:
        yield
    except _hostile_errors() as error:
        raise SignedRefused(pattern.format(detail=_detail(error), **fields)) from None


def _detail(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 120 else text[:117] + "…"


def indexed_reader(data: bytes, strict: bool = True) -> PdfFileReader:
    """pyHanko's reader of `data`, with each object stream's header read once (see
    _indexed_reader_class): the same objects, read in linear time."""
    return _indexed_reader_class()(io.BytesIO(data), strict=strict)


@functools.cache
def _indexed_reader_class() -> type[PdfFileReader]:
    """pyHanko 0.38 reads an object of an object stream by walking the stream's header from the
    start, for every object: quadratic, about 25 s of CPU for the ~3 600 objects of a tagged
    convention when its difference analysis indexes the file. This reader reads each stream's
    header once; the objects are read by pyHanko's own parser at the same offsets, and every case
    the index does not cover (a missing object, a bad header, strict-mode index checks, a stream
    inside a stream) goes to pyHanko's own method, errors included."""
    from pyhanko.pdf_utils import generic, misc
    from pyhanko.pdf_utils.decode_limits import DecodePurpose
    from pyhanko.pdf_utils.reader import PdfFileReader

    Header = tuple[bytes, int, int, dict[int, tuple[int, int]]]

    class IndexedPdfFileReader(PdfFileReader):
        _objstm_index: dict[int, Header | None]

        def _objstm_header(self, stmnum: int) -> Header | None:
            stream = generic.Reference(stmnum, 0, self).get_object()
            if not isinstance(stream, generic.StreamObject) or stream.get("/Type") != "/ObjStm":
                return None
            first, count = stream.get("/First"), stream.get("/N")
            if not isinstance(first, int) or not isinstance(count, int):
                return None
            data = stream.read_data(DecodePurpose.OBJECT_STREAM)
            buf = io.BytesIO(data)
            offsets: dict[int, tuple[int, int]] = {}
            try:
                for i in range(count):
                    misc.read_non_whitespace(buf, seek_back=True)
                    objnum = generic.NumberObject.read_from_stream(buf)
                    misc.read_non_whitespace(buf, seek_back=True)
                    offset = generic.NumberObject.read_from_stream(buf)
                    offsets.setdefault(objnum, (i, offset))  # the first entry, as pyHanko's walk
            except ValueError:
                return None
            return data, int(first), int(count), offsets

        def _get_object_from_stream(self, idnum: int, stmnum: int, idx: int) -> Any:
            original = super()._get_object_from_stream
            index = self.__dict__.setdefault("_objstm_index", {})
            if stmnum not in index:
                index[stmnum] = self._objstm_header(stmnum)
            entry = index[stmnum]
            if entry is None:
                return original(idnum, stmnum, idx)
            data, first, count, offsets = entry
            hit = offsets.get(idnum)
            if hit is None or not 0 <= idx < count or (self.strict and hit[0] != idx):
                return original(idnum, stmnum, idx)
            buf = io.BytesIO(data)
            buf.seek(first + hit[1])
            try:
                obj = generic.read_object(buf, generic.Reference(idnum, 0, self))
            except (misc.PdfStreamError, misc.PdfReadError):
                return original(idnum, stmnum, idx)
            if isinstance(obj, (generic.StreamObject, generic.IndirectObject)):
                return original(idnum, stmnum, idx)
            return obj

    return IndexedPdfFileReader


# ------------------------------------------------------------------ the checks

def _who(e: Expected) -> str:
    return msg.SIGNED_WHO_POUR.format(nom=e.nom, pour=e.pour) if e.pour \
        else msg.SIGNED_WHO.format(nom=e.nom)


def _signature_fields(reader: PdfFileReader, name: str,
                      expected: Sequence[Expected]) -> list[tuple[str, Any]]:
    """(name, field reference) of each expected field, all signed; refused if one is missing,
    empty, doubled, if another signature field exists, or if a widget signs outside the form."""
    from pyhanko.pdf_utils import generic
    from pyhanko.sign.fields import enumerate_sig_fields

    found = list(enumerate_sig_fields(reader))
    problems: list[str] = []
    seen: set[str] = set()
    wanted = {e.field: e for e in expected}
    for field, value, _ in found:
        if field in seen:
            problems.append(msg.SIGNED_FIELD_TWICE.format(file=name, field=field))
        seen.add(field)
        if field not in wanted:
            state = msg.SIGNED_FIELD_UNEXPECTED_FILLED if value \
                else msg.SIGNED_FIELD_UNEXPECTED_EMPTY
            problems.append(msg.SIGNED_FIELD_UNEXPECTED.format(file=name, field=field,
                                                               state=state))
    filled = {field: ref for field, value, ref in found if value}
    for e in expected:
        if e.field not in seen:
            problems.append(msg.SIGNED_FIELD_MISSING.format(file=name, field=e.field, who=_who(e)))
        elif e.field not in filled:
            problems.append(msg.SIGNED_FIELD_EMPTY.format(file=name, field=e.field, who=_who(e)))
    refs = {ref.reference for _, _, ref in found if isinstance(ref, generic.IndirectObject)}
    for page in _widgets_outside(reader, refs):
        problems.append(msg.SIGNED_OUTSIDE_FIELD.format(file=name, page=page))
    if problems:
        raise SignedRefused("\n".join(dict.fromkeys(problems)))
    return [(e.field, filled[e.field]) for e in expected]


def _widgets_outside(reader: PdfFileReader, fields: set[Any]) -> Iterator[int]:
    """The page (1-based) of each signature widget whose field is not in the form's /Fields."""
    from pyhanko.pdf_utils import generic

    for number, page in enumerate(_pages(reader), 1):
        annots = _get(page, "/Annots")
        if not isinstance(annots, generic.ArrayObject):
            continue
        for raw in list.__iter__(annots):  # the entries as written, references not followed
            annot = _deref(raw)
            if not isinstance(annot, generic.DictionaryObject) \
                    or _get(annot, "/Subtype") != "/Widget":
                continue
            node, node_ref, kind = annot, raw, None
            for _ in range(32):  # /FT and the field are inherited along /Parent
                kind = kind or _get(node, "/FT")
                if "/T" in node or "/Parent" not in node:
                    break
                node_ref = node.raw_get("/Parent")
                node = _deref(node_ref)
                if not isinstance(node, generic.DictionaryObject):
                    break
            ref = node_ref.reference if isinstance(node_ref, generic.IndirectObject) else None
            if kind == "/Sig" and ref not in fields:
                yield number


def _pages(reader: PdfFileReader) -> Iterator[Any]:
    """The leaves of the page tree, in order, each node visited once, at most MAX_PAGE_TREE."""
    from pyhanko.pdf_utils import generic

    seen: set[Any] = set()
    stack: list[Any] = [reader.root.raw_get("/Pages")]
    while stack:
        raw = stack.pop()
        if isinstance(raw, generic.IndirectObject):
            if raw.reference in seen or len(seen) >= MAX_PAGE_TREE:
                continue
            seen.add(raw.reference)
        node = _deref(raw)
        if not isinstance(node, generic.DictionaryObject):
            continue
        kids = _get(node, "/Kids")
        if isinstance(kids, generic.ArrayObject):
            stack.extend(reversed(list(list.__iter__(kids))))
        elif _get(node, "/Type") != "/Pages":
            yield node


def _deref(value: Any) -> Any:
    from pyhanko.pdf_utils import generic

    return value.get_object() if isinstance(value, generic.IndirectObject) else value


def _get(node: Any, key: str) -> Any:
    """node[key] dereferenced, None if absent (pyHanko's DictionaryObject.get does not
    dereference)."""
    return _deref(node.get(key))


def _change(level: Any) -> str:
    """What a modification level beyond form filling means, in the user's words."""
    from pyhanko.sign.diff_analysis import ModificationLevel

    return msg.SIGNED_CHANGE_ANNOTATIONS if level == ModificationLevel.ANNOTATIONS \
        else msg.SIGNED_CHANGE_OTHER


def normalised_name(name: str) -> tuple[str, ...]:
    """A person's name as words compared: case, accents, hyphens, apostrophes and word order
    left out (« ZANE Dalila » is « Dalila Zane »; « Jean-Marie » is « Jean Marie »)."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("œ", "oe").replace("æ", "ae")
    return tuple(sorted(re.findall(r"[^\W_]+", text)))


def _common_name(cert: Any) -> str:
    """The subject's common name of an asn1crypto certificate ("" if it has none)."""
    value = cert.subject.native.get("common_name", "")
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    return str(value).strip()


class _Check:
    """The checks that need the open reader, in the order verify_signed runs them."""

    def __init__(self, reader: PdfFileReader, name: str, roots: list[Any]) -> None:
        from pyhanko_certvalidator import ValidationContext

        self.reader, self.name, self.roots = reader, name, roots
        # nothing fetched (no OCSP, CRL nor AIA); trust_roots=[] is no root at all, never the
        # system's list; revocation soft-fails without fetching, as nothing is at hand
        self.context = ValidationContext(trust_roots=roots, allow_fetching=False)
        self.names: dict[int, str] = {}  # id(embedded signature) → its signer, for messages

    def embedded(self, field: str, ref: Any) -> Any:
        from pyhanko.pdf_utils import generic
        from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

        with _refusing(msg.SIGNED_SIG_UNREADABLE, file=self.name, field=field):
            value = _get(ref.get_object(), "/V")
            if not isinstance(value, generic.DictionaryObject):
                raise ValueError(type(value).__name__)
            sig = EmbeddedPdfSignature(self.reader, ref, field)
            if sig.sig_object_type == "/DocTimeStamp":
                raise SignedRefused(msg.SIGNED_DOC_TIMESTAMP.format(file=self.name, field=field))
            self.names[id(sig)] = _common_name(sig.signer_cert) or msg.SIGNED_NO_NAME
        return sig

    def issued(self, pdf: bytes, sha256: str, size: int, sigs: list[Any]) -> int:
        """The number of revisions of the issued PDF, which must be the file's first ones, byte
        for byte, each signature made after them."""
        if len(pdf) < size or hashlib.sha256(pdf[:size]).hexdigest() != sha256.lower():
            self._broken(sigs)  # a signature broken by an edit says more than a wrong hash
            raise SignedRefused(msg.SIGNED_NOT_ISSUED.format(file=self.name, size=size))
        with _refusing(msg.SIGNED_NOT_FIRST_REVISION, file=self.name):
            # the issued bytes read alone: they must end where a revision of the file ends
            issued = indexed_reader(pdf[:size]).xrefs
        with _refusing(msg.SIGNED_UNREADABLE, file=self.name):
            full = self.reader.xrefs
            count = issued.total_revisions
            problem = None
            if full.total_revisions <= count:
                problem = msg.SIGNED_REVISION_COUNT
            for n in range(min(count, full.total_revisions)):
                a, b = issued.get_xref_container_info(n), full.get_xref_container_info(n)
                if (a.xref_section_type, a.declared_startxref, a.start_location, a.end_location,
                        a.size) != (b.xref_section_type, b.declared_startxref, b.start_location,
                                    b.end_location, b.size):
                    problem = problem or msg.SIGNED_REVISION_XREF.format(n=n + 1)
            for n in range(count, full.total_revisions):
                start = full.get_xref_container_info(n).start_location
                if start < size:
                    problem = problem or msg.SIGNED_REVISION_OVERLAP.format(n=n + 1, start=start)
            if any(sig.signed_revision < count for sig in sigs):
                problem = problem or msg.SIGNED_REVISION_COUNT
        if problem:
            raise SignedRefused(msg.SIGNED_NOT_FIRST_REVISION.format(file=self.name,
                                                                     detail=problem))
        return count

    def _broken(self, sigs: list[Any]) -> None:
        """Refused with the first signature whose bytes changed, if any (no difference analysis:
        only the digests and the signatures' cryptography)."""
        from pyhanko.sign.validation import validate_pdf_signature

        for sig in sigs:
            field, signer = sig.field_name, self.names[id(sig)]
            with _refusing(msg.SIGNED_SIG_UNREADABLE, file=self.name, field=field):
                status = validate_pdf_signature(sig, self.context, skip_diff=True)
            if not status.intact:
                raise SignedRefused(msg.SIGNED_NOT_INTACT.format(file=self.name, field=field,
                                                                 signer=signer))
            if not status.valid:
                raise SignedRefused(msg.SIGNED_INVALID.format(file=self.name, field=field,
                                                              signer=signer))

    def status(self, sig: Any) -> Any:
        """pyHanko's validation of one signature (its difference analysis included), refused
        unless intact, valid and covering its whole revision."""
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko.sign.validation.status import SignatureCoverageLevel

        where = self._where(sig)
        with _refusing(msg.SIGNED_SIG_UNREADABLE, file=self.name, field=sig.field_name):
            status = validate_pdf_signature(sig, self.context)
        if not status.intact:
            raise SignedRefused(msg.SIGNED_NOT_INTACT.format(**where))
        if not status.valid:
            raise SignedRefused(msg.SIGNED_INVALID.format(**where))
        if status.coverage not in (SignatureCoverageLevel.ENTIRE_FILE,
                                   SignatureCoverageLevel.ENTIRE_REVISION):
            raise SignedRefused(msg.SIGNED_COVERAGE.format(**where))
        return status

    def _where(self, sig: Any) -> dict[str, str]:
        return {"file": self.name, "field": sig.field_name, "signer": self.names[id(sig)]}

    def modifications(self, sigs: list[Any], statuses: list[Any]) -> None:
        """After each signature, signatures and form filling only, within its certification
        rules if any; refused naming the last signature followed by more (the change came
        after it, and before the next one, which saw no change after itself)."""
        from pyhanko.sign.diff_analysis import ModificationLevel

        problem = None
        for sig, status in zip(sigs, statuses):
            level = status.modification_level
            if level is None or level > ModificationLevel.FORM_FILLING:
                # a SuspiciousModification (pyHanko's diff_result) is a change it cannot explain
                problem = msg.SIGNED_MODIFIED_AFTER.format(detail=_change(level),
                                                           **self._where(sig))
            elif status.docmdp_ok is False:
                problem = msg.SIGNED_DOCMDP.format(**self._where(sig))
        if problem:
            raise SignedRefused(problem)

    def trust(self, sigs: list[Any], statuses: list[Any]) -> None:
        """Each signature's timestamp, if any, intact and valid; each signer's chain reaching
        one of the authorities, when some are given."""
        problems = []
        for sig, status in zip(sigs, statuses):
            ts = status.timestamp_validity
            if ts is not None and not (ts.intact and ts.valid):
                problems.append(msg.SIGNED_TIMESTAMP_BROKEN.format(**self._where(sig)))
            elif self.roots and not status.trusted:
                problems.append(msg.SIGNED_UNTRUSTED.format(detail=_trust_detail(status),
                                                            **self._where(sig)))
        if problems:
            raise SignedRefused("\n".join(problems))

    def since_issue(self, base: int) -> None:
        """Every revision after the issued one (`base`, 0-based) compared with it: signatures
        and form filling only (pyHanko's default difference policy, where signing may also set
        the form's /SigFlags, as the first signature of a PDF issued unsigned does)."""
        from pyhanko.sign.diff_analysis import DiffResult, ModificationLevel

        with _refusing(msg.SIGNED_MODIFIED_SINCE_ISSUE, file=self.name):
            result = _since_issue_policy().review_file(self.reader, base)
        level = result.modification_level if isinstance(result, DiffResult) \
            else ModificationLevel.OTHER  # a SuspiciousModification: a change unexplained
        if level > ModificationLevel.FORM_FILLING:
            raise SignedRefused(msg.SIGNED_MODIFIED_SINCE_ISSUE.format(file=self.name,
                                                                       detail=_change(level)))

    def signers(self, signed: list[tuple[str, Any, Expected]], accept: Sequence[str]
                ) -> list[Signed]:
        """Each signature's certificate names its expected signatory, or one the user accepted."""
        accepted = {normalised_name(a) for a in accept if normalised_name(a)}
        out, problems = [], []
        for field, status, e in signed:
            signer = _common_name(status.signing_cert)  # read once already: embedded()
            key = normalised_name(signer)
            if key and key == normalised_name(e.nom):
                accepte = False
            elif key and key in accepted:
                accepte = True
            else:
                problems.append(msg.SIGNED_WRONG_SIGNER.format(
                    file=self.name, field=field, signer=signer or msg.SIGNED_NO_NAME,
                    expected=e.nom, pour=msg.SIGNED_POUR.format(pour=e.pour) if e.pour else ""))
                continue
            ts = status.timestamp_validity
            date = ts.timestamp if ts is not None else status.signer_reported_dt
            out.append(Signed(field=field, signataire=signer, attendu=e.nom, accepte=accepte,
                              date=date, confiance=True if self.roots else None))
        if problems:
            raise SignedRefused("\n".join(problems))
        return out


@functools.cache
def _since_issue_policy() -> Any:
    """pyHanko's default difference policy, but for the form's /SigFlags (signatures exist,
    append only), which the first signer sets: a hint to viewers that changes no content."""
    from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, FormUpdatingRule, StandardDiffPolicy
    from pyhanko.sign.diff_analysis.constants import ACROFORM_EXEMPT_STRICT_COMPARISON

    default = DEFAULT_DIFF_POLICY
    assert default.form_rule is not None  # pyHanko's default policy vets the form
    return StandardDiffPolicy(
        global_rules=default.global_rules,
        form_rule=FormUpdatingRule(
            field_rules=default.form_rule.field_rules,
            ignored_acroform_keys=ACROFORM_EXEMPT_STRICT_COMPARISON | {"/SigFlags"}))


def _trust_detail(status: Any) -> str:
    """Why a chain did not reach the authorities given, in the user's words."""
    code = getattr(status.trust_problem_indic, "name", str(status.trust_problem_indic))
    if status.revoked or code.startswith("REVOKED"):
        return msg.SIGNED_TRUST_REVOKED
    if code == "NO_CERTIFICATE_CHAIN_FOUND":
        return msg.SIGNED_TRUST_NO_CHAIN
    if code.startswith(("OUT_OF_BOUNDS", "EXPIRED", "NOT_YET_VALID", "NO_POE")):
        return msg.SIGNED_TRUST_EXPIRED
    if code == "CHAIN_CONSTRAINTS_FAILURE":
        return msg.SIGNED_TRUST_USAGE
    return msg.SIGNED_TRUST_OTHER.format(code=code)
