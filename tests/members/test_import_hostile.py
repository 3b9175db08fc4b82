"""Every upload endpoint against a corpus of hostile files (issue 11, Must 5): never a 5xx, never
a person written, and a file that cannot be imported leaves nothing behind (no ImportJob, no
stored text: docs/privacy.md)."""

import codecs

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import ImportJob, ImportRow, Person

pytestmark = pytest.mark.django_db

GOOD = "first_name,last_name,email\nAna,Ruiz,ana@x.org\nTom,Berg,tom@x.org\n"
# name → (file name, bytes, refused by the form?)
CORPUS = {
    "empty": ("people.csv", b"", True),
    "binary": ("people.csv", bytes(range(256)) * 64, True),
    "nul byte": ("people.csv", b"first_name,last_name\nAna\x00,Ruiz\n", True),
    "xlsx renamed .csv": ("people.csv", b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 200, True),
    "old .xls": ("people.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200, True),
    "png renamed": ("people.csv", b"\x89PNG\r\n\x1a\n" + b"\x00\x01" * 100, True),
    "pdf renamed": ("people.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", True),
    "field over 131,072 characters": (
        "people.csv",
        b"first_name,last_name\n" + b"A" * 140_000 + b",Ruiz\n",
        True,
    ),
    "quoted field over the limit": (
        "people.csv",
        b'first_name,last_name\n"' + b"B\n" * 70_000 + b'",Ruiz\n',
        True,
    ),
    "unclosed quote": ("people.csv", b'first_name,last_name\n"Ana,Ruiz\n', False),
    "bad encoding (invalid UTF-8)": (
        "people.csv",
        b"first_name,last_name\n\xff\xfe\xfa,\x81\x8d\n",
        False,
    ),
    "UTF-16 without BOM": ("people.csv", GOOD.encode("utf-16-le"), True),
    "UTF-16 with BOM": ("people.csv", codecs.BOM_UTF16_LE + GOOD.encode("utf-16-le"), False),
    "10,000 columns": (
        "people.csv",
        (",".join(f"c{i}" for i in range(10_000)) + "\n" + "x," * 9_999 + "x\n").encode(),
        True,
    ),
    "10,000 columns after a good header": (
        "people.csv",
        ("first_name,last_name\n" + "Ana," * 9_999 + "Ruiz\n").encode(),
        False,
    ),
    "only a header": ("people.csv", b"first_name,last_name,email\n", True),
    "header without a first-name column": ("people.csv", b"surname,email\nRuiz,a@x.org\n", True),
    "CRLF line ends": ("people.csv", GOOD.replace("\n", "\r\n").encode(), False),
    "CR line ends (old Mac)": ("people.csv", GOOD.replace("\n", "\r").encode("mac_roman"), False),
    "formula injection": (
        "people.csv",
        b'first_name,last_name,email\n=HYPERLINK("http://evil.example","x"),+1-2,@SUM(A1)\n'
        b"-2+3,=cmd|' /C calc'!A0,bad@\n",
        False,
    ),
    "not a csv name": ("people.exe", GOOD.encode(), True),
    "blank lines only": ("people.csv", b"first_name\n\n\n,\n", True),
}


def upload(client, name, data, congregation):
    file = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post(
        reverse("members:import_start"), {"file": file, "congregation": congregation.pk}
    )


@pytest.mark.parametrize("case", list(CORPUS))
def test_hostile_file(case, client, login, lead, congregation):
    name, data, refused = CORPUS[case]
    login(client, lead)
    response = upload(client, name, data, congregation)
    assert response.status_code < 500
    if refused:
        assert response.status_code == 200
        assert response.context["form"].errors["file"]
        assert not ImportJob.objects.exists() and not ImportRow.objects.exists()
    else:
        job = ImportJob.objects.get()
        assert response.status_code == 302 and job.status in (
            ImportJob.Status.PREVIEW,
            ImportJob.Status.INVALID,
        )
        if job.status == ImportJob.Status.INVALID:
            assert job.content == ""
        for url in (
            job.get_absolute_url(),
            job.get_absolute_url() + "?show=error&page=2",
            reverse("members:import_rejected", args=[job.pk]),
        ):
            assert client.get(url).status_code == 200
        body = b"".join(
            client.get(reverse("members:import_rejected", args=[job.pk])).streaming_content
        ).decode("utf-8-sig")
        assert "\n=" not in body and ",=" not in body and ",+" not in body  # neutralised
    assert not Person.objects.exists()


def test_the_corpus_counts(capsys):
    refused = sum(1 for *_rest, no in CORPUS.values() if no)
    assert (len(CORPUS), refused) == (22, 15)
