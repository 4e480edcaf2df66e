"""Signing a produced PDF the way a signatory's tool does, and validating every signature."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any


@functools.cache
def throwaway_signer() -> Any:
    """A self-signed ECDSA P-256 certificate and its key, made once per test run."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    from pyhanko.sign import signers

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Signataire d'essai docgen")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=True, crl_sign=True,
                                         encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    with tempfile.TemporaryDirectory() as tmp:  # SimpleSigner.load reads the files right away
        folder = Path(tmp)
        (folder / "key.pem").write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
        (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return signers.SimpleSigner.load(str(folder / "key.pem"), str(folder / "cert.pem"))


def sign_in_turn(data: bytes, fields: list[str], signer: Any) -> bytes:
    """Each field signed in turn, each signature an incremental update over the previous ones."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    for field in fields:
        out = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data)),
                               signers.PdfSignatureMetadata(field_name=field),
                               signer=signer, existing_fields_only=True)
        data = out.getvalue()
    return data


def validate_all(data: bytes, signer: Any) -> list[tuple[str, Any]]:
    """Every embedded signature of the final file with its validation status, in file order.
    An earlier signature is checked against every later revision (pyHanko's difference
    analysis), so it proves it survived the signatures made after it."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    vc = ValidationContext(trust_roots=[signer.signing_cert], allow_fetching=False)
    with _indexed_object_streams():
        reader = PdfFileReader(io.BytesIO(data))  # one reader: it indexes the file once
        return [(sig.field_name, validate_pdf_signature(sig, vc))
                for sig in reader.embedded_signatures]


@contextlib.contextmanager
def _indexed_object_streams() -> Iterator[None]:
    """pyHanko 0.38 reads an object of an object stream by walking the stream's header from the
    start, for every object: quadratic, about 25 s of CPU for the ~3 600 objects of a tagged
    convention when its difference analysis indexes the file. Here each stream's header is read
    once; the objects are read by pyHanko's own parser at the same offsets, and every case the
    index does not cover (a missing object, a bad header, strict-mode index checks, a stream
    inside a stream) goes to pyHanko's own method, errors included."""
    from pyhanko.pdf_utils import generic, misc
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.decode_limits import DecodePurpose

    original = getattr(PdfFileReader, "_get_object_from_stream", None)
    if original is None:  # another pyHanko: nothing to speed up here, run it as it is
        yield
        return

    def header(reader: Any, stmnum: int) -> tuple[bytes, int, int, dict[int, tuple[int, int]]] | None:
        stream = generic.Reference(stmnum, 0, reader).get_object()
        if not isinstance(stream, generic.StreamObject) or stream.get("/Type") != "/ObjStm":
            return None
        data = stream.read_data(DecodePurpose.OBJECT_STREAM)
        buf = io.BytesIO(data)
        offsets: dict[int, tuple[int, int]] = {}
        try:
            for i in range(stream["/N"]):
                misc.read_non_whitespace(buf, seek_back=True)
                objnum = generic.NumberObject.read_from_stream(buf)
                misc.read_non_whitespace(buf, seek_back=True)
                offset = generic.NumberObject.read_from_stream(buf)
                offsets.setdefault(objnum, (i, offset))  # the first entry, as pyHanko's walk
        except ValueError:
            return None
        return data, int(stream["/First"]), int(stream["/N"]), offsets

    def get_object_from_stream(self: Any, idnum: int, stmnum: int, idx: int) -> Any:
        index = self.__dict__.setdefault("_docgen_test_objstm", {})
        if stmnum not in index:
            index[stmnum] = header(self, stmnum)
        entry = index[stmnum]
        if entry is None:
            return original(self, idnum, stmnum, idx)
        data, first, count, offsets = entry
        hit = offsets.get(idnum)
        if hit is None or not 0 <= idx < count or (self.strict and hit[0] != idx):
            return original(self, idnum, stmnum, idx)
        buf = io.BytesIO(data)
        buf.seek(first + hit[1])
        try:
            obj = generic.read_object(buf, generic.Reference(idnum, 0, self))
        except (misc.PdfStreamError, misc.PdfReadError):
            return original(self, idnum, stmnum, idx)
        if isinstance(obj, (generic.StreamObject, generic.IndirectObject)):
            return original(self, idnum, stmnum, idx)
        return obj

    PdfFileReader._get_object_from_stream = get_object_from_stream  # type: ignore[method-assign]
    try:
        yield
    finally:
        PdfFileReader._get_object_from_stream = original  # type: ignore[method-assign]
