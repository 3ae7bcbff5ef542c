#!/usr/bin/env python3
"""Builds crates/sitrep-ner/data/person_names.tsv: given names and surnames for the
tagger's person-name gazetteer bits (sitrep_ner::flags::GIVEN_NAME and ::PERSON).

Sources, downloaded by name and pinned hash with the ordinary clients into
target-ner-data/ and read straight out of the archives (nothing is installed or
imported):

1. the 1990 US Census name frequency files (public domain, a work of the US
   government), as shipped in the PyPI package `names` 0.3.0 (MIT): every given name of
   the male and female lists, and the surnames that together cover 80% of the
   population (24,792 of 88,799);
2. the per-locale person-name lists of the PyPI package `Faker` 40.54.0 (MIT): first and
   last names of every locale written in Latin script, and of the Russian, Ukrainian
   and Bulgarian locales romanised here (two or three common systems each, e.g. Юрій ->
   Yurii, Yuriy; Сергій -> Serhii, Serhiy, Sergiy), since news names people from everywhere; names that are ordinary
   English words (lower-case entries of Debian `wamerican`, SCOWL size 50, as in
   scripts/build_kb.py) are left out of this part.

Output is lower-case, sorted, one name per line with its kind (`given`, `surname` or
`both`), so the same inputs give the same bytes.

Usage: python3 crates/sitrep-ner/data/build_person_names.py
"""
import ast
import hashlib
import io
import pathlib
import subprocess
import sys
import tarfile
import zipfile

PACKAGE = "names==0.3.0"
SHA256 = "726e46254f2ed03f1ffb5d941dae3bc67c35123941c29becd02d48d0caa2a671"
SURNAME_CUMULATIVE_PERCENT = 80.0
FAKER = ("Faker==40.54.0", "faker-40.54.0-py3-none-any.whl",
         "2dd88ee8cb63a9149e19ef48bdd73879bc3854d8ba2d6c1535e902a762e603f7")
WAMERICAN = ("wamerican=2020.12.07-2", "wamerican_2020.12.07-2_all.deb",
             "c8f8e2b2ad0d37bfdd41f0e40f1e4c8e5f907467d768a1d3698b164e9617f0b4")

# Romanisation of Cyrillic names: a BGN/PCGN-like system and a simpler one (Ukrainian
# national style), so both "Yuriy" and "Yurii", "Andriy" and "Andrii" are known.
_COMMON = {
    "а": "a", "б": "b", "в": "v", "д": "d", "ж": "zh", "з": "z", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ъ": "",
    "'": "", "’": "", "-": "-",
}
ROMAN = {
    "ru": [
        {**_COMMON, "г": "g", "е": "e", "ё": "yo", "и": "i", "й": "y", "ы": "y", "э": "e",
         "ю": "yu", "я": "ya"},
        {**_COMMON, "г": "g", "е": "e", "ё": "e", "и": "i", "й": "i", "ы": "y", "э": "e",
         "ю": "iu", "я": "ia"},
    ],
    "uk": [
        {**_COMMON, "г": "h", "ґ": "g", "е": "e", "є": "ye", "и": "y", "і": "i", "ї": "yi",
         "й": "y", "ю": "yu", "я": "ya"},
        {**_COMMON, "г": "h", "ґ": "g", "е": "e", "є": "ie", "и": "y", "і": "i", "ї": "i",
         "й": "i", "ю": "iu", "я": "ia"},
        # the older spelling with g for г, common in English news ("Sergiy", "Igor")
        {**_COMMON, "г": "g", "ґ": "g", "е": "e", "є": "ye", "и": "y", "і": "i", "ї": "yi",
         "й": "y", "ю": "yu", "я": "ya"},
    ],
    "bg": [
        {**_COMMON, "г": "g", "е": "e", "и": "i", "й": "y", "щ": "sht", "ъ": "a",
         "ю": "yu", "я": "ya"},
    ],
}

here = pathlib.Path(__file__).resolve().parent
root = here.parent.parent.parent
cache = root / "target-ner-data"
out = here / "person_names.tsv"


def fetch(cmd: list[str], fname: str, digest: str) -> pathlib.Path:
    path = cache / fname
    if not path.exists():
        subprocess.run(cmd, cwd=cache, check=True)
    got = hashlib.sha256(path.read_bytes()).hexdigest()
    if got != digest:
        sys.exit(f"{path}: sha256 {got}, expected {digest}")
    return path


def deb_member(deb: pathlib.Path, inner: str) -> bytes:
    """One file out of a .deb (an `ar` archive holding data.tar.*)."""
    data = deb.read_bytes()
    pos = 8
    while pos < len(data):
        header = data[pos:pos + 60]
        name = header[:16].decode().strip().rstrip("/")
        size = int(header[48:58].decode().strip())
        body = data[pos + 60:pos + 60 + size]
        pos += 60 + size + (size & 1)
        if name.startswith("data.tar"):
            with tarfile.open(fileobj=io.BytesIO(body)) as tar:
                return tar.extractfile(inner).read()
    sys.exit(f"{deb}: no data archive")


def english_words() -> set[str]:
    deb = fetch(["apt-get", "download", WAMERICAN[0]], WAMERICAN[1], WAMERICAN[2])
    text = deb_member(deb, "./usr/share/dict/american-english").decode("utf-8")
    return {w for w in text.split("\n") if w and w[0].islower()}


def literal_names(node) -> list[str]:
    """Names in a tuple/list literal, or the keys of a dict / OrderedDict literal."""
    if isinstance(node, (ast.Tuple, ast.List)):
        out = []
        for e in node.elts:
            if isinstance(e, ast.Constant) and isinstance(e.value, str):
                out.append(e.value)
            elif isinstance(e, ast.Tuple) and e.elts and isinstance(e.elts[0], ast.Constant):
                out.append(e.elts[0].value)
        return out
    if isinstance(node, ast.Dict):
        return [k.value for k in node.keys if isinstance(k, ast.Constant)]
    if isinstance(node, ast.Call) and node.args:
        return literal_names(node.args[0])
    return []


def is_latin(name: str) -> bool:
    return all(c.isascii() or ("\u00c0" <= c <= "\u024f") for c in name) and any(
        c.isalpha() for c in name)


def faker_names() -> tuple[set[str], set[str]]:
    whl = fetch([sys.executable, "-m", "pip", "download", FAKER[0], "--no-deps",
                 "--only-binary=:all:", "-d", "."], FAKER[1], FAKER[2])
    given: set[str] = set()
    surnames: set[str] = set()
    with zipfile.ZipFile(whl) as z:
        for member in sorted(z.namelist()):
            parts = member.split("/")
            if parts[:3] != ["faker", "providers", "person"] or parts[-1] != "__init__.py":
                continue
            locale = parts[3] if len(parts) == 5 else ""
            tree = ast.parse(z.read(member).decode("utf-8"))
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Assign) and len(node.targets) == 1
                        and isinstance(node.targets[0], ast.Name)):
                    continue
                var = node.targets[0].id
                if var.startswith("first_names"):
                    target = given
                elif var.startswith("last_names"):
                    target = surnames
                else:
                    continue
                for name in literal_names(node.value):
                    for word in name.split():
                        for form in romanise(word, locale[:2]):
                            target.add(form.lower())
    return given, surnames


def romanise(word: str, lang: str) -> list[str]:
    if is_latin(word):
        return [word]
    out = []
    for table in ROMAN.get(lang, []):
        low = word.lower()
        if all(c in table for c in low):
            out.append("".join(table[c] for c in low))
    return out


def main() -> int:
    cache.mkdir(exist_ok=True)
    archive = cache / "names-0.3.0.tar.gz"
    if not archive.exists():
        subprocess.run(
            [sys.executable, "-m", "pip", "download", PACKAGE, "--no-deps",
             "--no-binary", ":all:", "-d", str(cache)],
            check=True,
        )
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    if digest != SHA256:
        print(f"{archive}: sha256 {digest}, expected {SHA256}", file=sys.stderr)
        return 1
    kinds: dict[str, set[str]] = {}
    with tarfile.open(archive) as tar:
        def rows(member: str):
            f = tar.extractfile(f"names-0.3.0/names/{member}")
            for line in f.read().decode("ascii").splitlines():
                cols = line.split()
                if len(cols) == 4:
                    yield cols[0].lower(), float(cols[2])

        for member in ("dist.male.first", "dist.female.first"):
            for name, _ in rows(member):
                kinds.setdefault(name, set()).add("given")
        for name, cumulative in rows("dist.all.last"):
            if cumulative <= SURNAME_CUMULATIVE_PERCENT:
                kinds.setdefault(name, set()).add("surname")
    common = english_words()
    given, surnames = faker_names()
    for names, kind in ((given, "given"), (surnames, "surname")):
        for name in names:
            if len(name) >= 2 and name not in common and "\t" not in name:
                kinds.setdefault(name, set()).add(kind)
    with out.open("w", encoding="utf-8") as f:
        f.write("# Generated by build_person_names.py - do not edit. Sources: the 1990 US Census\n")
        f.write("# name files (public domain; via PyPI `names` 0.3.0, MIT) and the person-name\n")
        f.write("# lists of PyPI `Faker` 40.54.0 (MIT); see the script for what is kept.\n")
        for name in sorted(kinds):
            k = kinds[name]
            kind = "both" if len(k) == 2 else next(iter(k))
            f.write(f"{name}\t{kind}\n")
    print(f"wrote {out} ({len(kinds)} names)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
