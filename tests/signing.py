"""Signing a produced PDF the way a signatory's tool does, and validating every signature."""

from __future__ import annotations

import datetime as dt
import functools
import io
import tempfile
from dataclasses import dataclass
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
    now = dt.datetime.now(dt.UTC)
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
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from docgen.signed import indexed_reader

    vc = ValidationContext(trust_roots=[signer.signing_cert], allow_fetching=False)
    reader = indexed_reader(data)  # one reader: it indexes the file once
    return [(sig.field_name, validate_pdf_signature(sig, vc))
            for sig in reader.embedded_signatures]


@dataclass(frozen=True)
class Authority:
    """A test certification authority: its certificate (asn1crypto), key and PEM bytes."""

    cert: Any
    key: Any
    pem: bytes


TEST_AUTHORITY = "Autorité d'essai docgen"


def authority(name: str = TEST_AUTHORITY) -> Authority:
    """A self-signed CA (ECDSA P-256), one per name per test run."""
    return _authority(name)


@functools.cache
def _authority(name: str) -> Authority:
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=True, crl_sign=True,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                           critical=False)
            .sign(key, hashes.SHA256()))
    return Authority(
        cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        key=asn1_keys.PrivateKeyInfo.load(key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption())),
        pem=cert.public_bytes(serialization.Encoding.PEM))


def person_signer(common_name: str, issuer: str = TEST_AUTHORITY) -> Any:
    """A signatory's certificate (its subject's CN is `common_name`), issued by the test
    authority `issuer`, for signing (digital signature and non-repudiation), with its key;
    one per name and authority per test run."""
    return _person_signer(common_name, issuer)


@functools.cache
def _person_signer(common_name: str, issuer: str) -> Any:
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    cert, key = _issue(common_name, issuer, time_stamping=False)
    return signers.SimpleSigner(signing_cert=cert, signing_key=key,
                                cert_registry=SimpleCertificateStore.from_certs(
                                    [authority(issuer).cert]))


@functools.cache
def time_stamper(fixed: dt.datetime | None = None) -> Any:
    """A time-stamping authority answering in-process (pyHanko's DummyTimeStamper), its
    certificate issued by the test authority; `fixed` is the time it stamps, if given."""
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    cert, key = _issue("Horodatage d'essai docgen", TEST_AUTHORITY, time_stamping=True)
    return DummyTimeStamper(tsa_cert=cert, tsa_key=key, fixed_dt=fixed,
                            certs_to_embed=SimpleCertificateStore.from_certs(
                                [authority().cert]))


def _issue(common_name: str, issuer: str, time_stamping: bool) -> tuple[Any, Any]:
    """A certificate (asn1crypto) and its key, issued by the test authority `issuer`: for
    signing (digital signature, non-repudiation; ECDSA P-256) or for time-stamping (RSA)."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    ca = authority(issuer)
    ca_key = serialization.load_der_private_key(ca.key.dump(), password=None)
    ca_cert = x509.load_der_x509_certificate(ca.cert.dump())
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048) if time_stamping \
        else ec.generate_private_key(ec.SECP256R1())  # pyHanko's DummyTimeStamper: RSA only
    now = dt.datetime.now(dt.UTC)
    builder = (x509.CertificateBuilder()
               .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]))
               .issuer_name(ca_cert.subject).public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(days=1))
               .not_valid_after(now + dt.timedelta(days=30))
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=True,
                                            content_commitment=not time_stamping,
                                            key_encipherment=False, data_encipherment=False,
                                            key_agreement=False, key_cert_sign=False,
                                            crl_sign=False, encipher_only=False,
                                            decipher_only=False), critical=True)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                   ca_cert.public_key()), critical=False))
    if time_stamping:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    cert = builder.sign(ca_key, hashes.SHA256())
    return (asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
            asn1_keys.PrivateKeyInfo.load(key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption())))


def sign_as(data: bytes, signatures: list[tuple[str, Any]], timestamper: Any = None) -> bytes:
    """Each (field, signer) in turn, each signature an incremental update over the previous;
    with `timestamper`, each signature carries a timestamp token of its own."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    for field, signer in signatures:
        data = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data)),
                                signers.PdfSignatureMetadata(field_name=field), signer=signer,
                                timestamper=timestamper, existing_fields_only=True).getvalue()
    return data
