#!/usr/bin/env python3
"""Builds the bundled map v2 (seed/*.csv) from the v1 seed and the research
evidence in this folder (JSON Lines, one sourced fact per line; SPEC.md).

Run once, from the repository root:  python3 docs/evidence/build_seed.py
The v1 seed is read from git (V1 below), so the build is reproducible. After
v2, seed/*.csv is edited by hand like any other data; this script documents
how v2 was made and which rules turned evidence into rows (docs/data.md).
"""
import collections
import csv
import io
import json
import os
import re
import subprocess
import sys

V1 = "9ed72f9"  # the last commit with the v1 bundled map
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EVIDENCE = ["existing", "crp2", "new2015", "new_a", "new_b", "new_c", "fill_a", "fill_b", "fill_c", "fill_d", "new_e", "new_f"]
DATA_VERSION = "2.0.0"
DATA_DATE = "2026-11-26"

# CRP.2 section -> govmap issue code.
ISSUE = {
    "2.1": "infrastructure.communications-infrastructure", "2.2": "infrastructure.technical-standards",
    "2.3": "infrastructure.web-standards", "2.4": "infrastructure.ip-numbers", "2.5": "infrastructure.dns",
    "2.6": "infrastructure.root-zone", "2.7": "infrastructure.net-neutrality",
    "2.8": "infrastructure.cloud-computing", "2.9": "infrastructure.convergence",
    "2.10": "infrastructure.internet-of-things",
    "3.1": "security.cybersecurity", "3.2": "security.cybercrime", "3.3": "security.critical-infrastructure",
    "3.4": "security.cyber-conflict", "3.5": "security.child-safety", "3.6": "security.encryption",
    "3.7": "security.spam", "3.8": "security.digital-signatures",
    "4.1": "human-rights.freedom-of-expression", "4.2": "human-rights.privacy",
    "4.3": "human-rights.disability-rights", "4.4": "human-rights.womens-rights",
    "5.1": "legal.jurisdiction", "5.2": "legal.dispute-resolution", "5.3": "legal.copyright",
    "5.4": "legal.trademark", "5.5": "legal.labour-law", "5.6": "legal.intermediaries",
    "6.1": "economic.e-commerce", "6.2": "economic.e-money", "6.3": "economic.consumer-protection",
    "6.4": "economic.taxation",
    "7.1": "development.access", "7.2": "development.digital-divide", "7.3": "development.capacity-development",
    "8.1": "sociocultural.content-policy", "8.2": "sociocultural.cultural-diversity",
    "8.3": "sociocultural.multilingualism", "8.4": "sociocultural.online-education",
    "8.5": "sociocultural.global-public-good",
}

# Region names in the evidence -> M49 region codes (countries -> their M49
# sub-region, with the country kept in the link's note).
REGION = {
    "europe": ["europe"], "africa": ["africa"], "european union": ["europe"], "europe (european union)": ["europe"],
    "european union (europe)": ["europe"], "western africa": ["western-africa"], "americas": ["americas"],
    "latin america and the caribbean": ["latin-america-and-the-caribbean"], "asia-pacific": ["asia", "oceania"],
    "asia-pacific (asia and oceania)": ["asia", "oceania"], "asia-pacific (arf region)": ["asia", "oceania"],
    "asia-pacific (pacific rim economies in asia, oceania and the americas)": ["asia", "oceania", "americas"],
    "arab region (western asia and northern africa)": ["western-asia", "northern-africa"],
    "oic member countries (asia and africa)": ["asia", "africa"],
    "southern europe": ["southern-europe"], "eastern europe": ["eastern-europe"], "caribbean": ["caribbean"],
    "eastern africa": ["eastern-africa"], "southern africa": ["southern-africa"],
    "northern africa": ["northern-africa"], "middle africa": ["middle-africa"], "asia": ["asia"],
    "oceania": ["oceania"], "northern america": ["northern-america"], "south-eastern asia": ["south-eastern-asia"],
    "united states": ["northern-america"], "united states of america": ["northern-america"],
    "united kingdom of great britain and northern ireland": ["northern-europe"], "united kingdom": ["northern-europe"],
    "germany": ["western-europe"], "netherlands": ["western-europe"], "brazil": ["south-america"],
    "canada (waterloo, ontario)": ["northern-america"], "switzerland (geneva)": ["western-europe"],
    "india": ["southern-asia"], "japan": ["eastern-asia"], "france": ["western-europe"],
}

ROLE = {"decides": "member", "observes": "observer", "consulted": "consulted", "open": "open_participation"}
ROLE_RANK = {"member": 0, "open_participation": 1, "consulted": 2, "observer": 3}
GROUPS = {"governments", "private_sector", "civil_society", "technical_community", "academia",
          "intergovernmental_organisations"}

# govmap's classification (docs/data.md): a mechanism is "adjacent" when its
# mandate lies outside the Internet, telecommunications and ICT and it takes
# up Internet issues as part of a wider one; everything else is "core".
ADJACENT = {
    "unga", "ecosoc", "unctad", "interpol", "interpol-igci", "unodc", "unodc-ieg-cybercrime", "commonwealth",
    "ecowas", "league-of-arab-states", "oas", "apec", "europol", "hrc", "ohchr", "unesco", "wipo", "wipo-amc",
    "wto", "oecd", "hmrc", "european-commission", "council-of-europe", "ilo", "un-tax-committee",
    "oecd-inclusive-framework-beps", "unicef", "un-women", "uncitral", "hcch", "fatf", "fsb", "bis-cpmi", "icpen",
    "ungcp", "ataf", "ciat", "platform-collaboration-tax", "g20", "world-bank-digital", "african-union", "asean",
    "european-union", "trips", "wct", "wppt", "marrakesh-treaty", "crpd", "unesco-2005-convention",
    "commonwealth-of-learning", "wassenaar-arrangement", "un-sr-freedom-of-expression", "un-sr-privacy",
    "osce-rfom", "osce", "global-privacy-assembly", "edpb", "appa", "ripd", "ccpcj", "nato", "oic",
    "lanzarote-convention", "un-cted", "virtual-global-taskforce", "unga-privacy-resolutions", "crpd-committee",
    "oecd-ecommerce-consumer-recommendation", "ibero-american-summit", "asean-regional-forum", "g8-lyon-group",
}

# Facts the evidence shows to be wrong or unsupported (issue 9's corrections).
DROP_RELATIONS = {("hrc-internet-resolutions", "feeds_into", "foc"),
                  ("unodc-ieg-cybercrime", "convened_by", "unodc")}
DROP_STAKEHOLDERS = {("itu-cwg-internet", "private_sector"), ("itu-cwg-internet", "civil_society"),
                     ("itu-cwg-internet", "technical_community")}
# The v1 "covers all 40 issues" links of the IGF and four regional IGFs,
# from sources that do not say so.
BLANKET = {("igf", "igf-wiki-snapshot"), ("africa-igf", "wgec-questionnaire-responses"),
           ("west-africa-igf", "wgec-questionnaire-responses"), ("eurodig", "govlab-eurodig-2015"),
           ("aprigf", "unesco-iu-aprigf")}
# Slugs the evidence spells two ways: the second is merged into the first.
SAME = {"eu-eidas": "eidas", "uncitral-model-law-esignatures": "uncitral-mles", "icdppc": "global-privacy-assembly",
        "igf-dc-net-neutrality": "igf-dc-network-neutrality", "coe-convention-108": "convention-108",
        "coe-lanzarote-convention": "lanzarote-convention", "wto-trips": "trips",
        "igf-dc-accessibility": "igf-dcad", "wipo-internet-treaties": "wct", "oecd-beps": "oecd-inclusive-framework-beps"}
WEAK_HOSTS = ("wikipedia", "wikiwand", "wikizero", "wiki2", "dbpedia", "everybodywiki", "alchetron")


def v1(name):
    text = subprocess.run(["git", "-C", ROOT, "show", f"{V1}:seed/{name}"], check=True, capture_output=True,
                          text=True).stdout
    return list(csv.DictReader(io.StringIO(text)))


def facts():
    for name in EVIDENCE:
        path = os.path.join(HERE, name + ".jsonl")
        if not os.path.exists(path):
            continue
        for n, line in enumerate(open(path, encoding="utf-8"), 1):
            line = line.strip()
            if not line:
                continue
            f = json.loads(line)
            f["_file"] = f"{name}.jsonl:{n}"
            f["mechanism"] = SAME.get(f.get("mechanism") or "", f.get("mechanism") or "")
            if isinstance(f.get("value"), dict) and "to" in f["value"]:
                f["value"]["to"] = SAME.get(f["value"]["to"], f["value"]["to"])
            if f.get("field") in ("not_found", "gap") or not f.get("source_url") or not f.get("mechanism"):
                continue
            if f.get("value") in (None, ""):
                continue
            yield f


def weak(url):
    return any(h in url for h in WEAK_HOSTS)


class Sources:
    def __init__(self, rows):
        self.rows = {r["key"]: r for r in rows}
        self.by_url = {r["url"]: r["key"] for r in rows if r["url"]}

    def key(self, f):
        url = f["source_url"].strip()
        if url in self.by_url:
            return self.by_url[url]
        host = re.sub(r"^www\.", "", re.sub(r"^https?://", "", url).split("/")[0])
        path = re.sub(r"^https?://[^/]+", "", url)
        words = re.sub(r"[^a-z0-9]+", "-", (host.split(".")[-2] if "." in host else host).lower() + "-" +
                       path.lower()).strip("-")
        words = re.sub(r"-(html?|php|aspx?|pdf|en)$", "", words)[:70].strip("-") or "source"
        key, n = words, 2
        while key in self.rows:
            key, n = f"{words}-{n}", n + 1
        title = (f.get("source_title") or host).strip()[:500]
        date = f.get("source_date") or ""
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
            date = ""
        self.rows[key] = {"key": key, "title": title, "url": url[:2048], "published": date,
                          "publisher": (f.get("source_publisher") or "")[:300]}
        self.by_url[url] = key
        return key


def main():
    mechanisms = {r["slug"]: dict(r) for r in v1("mechanisms.csv")}
    sources = Sources(v1("sources.csv"))
    by = collections.defaultdict(lambda: collections.defaultdict(list))
    for f in facts():
        by[f["mechanism"]][f["field"]].append(f)

    def first(slug, field, prefer_strong=True):
        fs = by[slug].get(field, [])
        if prefer_strong:
            fs = sorted(fs, key=lambda f: weak(f["source_url"]))
        return fs[0] if fs else None

    notes = collections.defaultdict(list)
    # ------------------------------------------------------------ mechanisms
    for slug in list(by):
        if slug in mechanisms:
            continue
        name = first(slug, "name")
        if not name:
            continue  # the evidence never names it: not on the map
        m = {"slug": slug, "name": str(name["value"]).strip()[:300], "acronym": "", "kind": "", "scope": "",
             "model": "", "centrality": "", "status": "", "founded": "", "ended": "", "url": "", "description": "",
             "source": sources.key(name)}
        mechanisms[slug] = m
    for slug, m in mechanisms.items():
        m.setdefault("open_participation", "")
        m.setdefault("authority", "")
        m.setdefault("note", "")
        for field in ("acronym", "url", "description"):
            f = first(slug, field)
            if f and not m.get(field):
                m[field] = str(f["value"]).strip()
        kind = first(slug, "kind")
        if kind and (not m["kind"] or kind["value"] == "observatory"):
            m["kind"] = kind["value"]
        scope = first(slug, "scope")
        if scope and not m["scope"]:
            m["scope"] = scope["value"]
        # Years: the first strong source; disagreements go into the note.
        for field in ("founded", "ended"):
            fs = by[slug].get(field, [])
            years = sorted({int(f["value"]) for f in fs if str(f["value"]).isdigit()})
            if not years:
                continue
            best = sorted(fs, key=lambda f: (weak(f["source_url"]), fs.index(f)))[0]
            if not m[field] or field == "ended":
                m[field] = str(int(best["value"]))
            if len(years) > 1:
                notes[slug].append(f"Sources disagree on the {field} year ({', '.join(map(str, years))}); "
                                   f"{m[field]} is from {best['source_url']}.")
        status = first(slug, "status")
        if status and status["value"] in ("active", "concluded", "one_off", "withdrawn"):
            if not (status["value"] == "active" and m["ended"]):
                m["status"] = status["value"]
        if m["ended"] and m["status"] in ("", "active"):
            m["status"] = "concluded"
        if not m["status"]:
            m["status"] = "active"
        op = first(slug, "open_participation")
        if op is not None:
            m["open_participation"] = "true" if op["value"] in (True, "true", "yes") else "false"
        auth = first(slug, "authority")
        if auth:
            m["authority"] = str(auth["value"]).strip()[:300]
        if not m["centrality"]:
            m["centrality"] = "adjacent" if slug in ADJACENT else "core"
        if not m["kind"]:
            m["kind"] = "organisation"
        if not m["source"]:
            f = first(slug, "description") or first(slug, "founded")
            if f:
                m["source"] = sources.key(f)

    # Corrections in descriptions (issue 9), each checked in the evidence.
    fix = {
        "budapest-convention": "Opened for signature on 23 November 2001, in force 1 July 2004; open to accession by "
                               "non-members of the Council of Europe: Japan signed in 2001 and accepted it in 2012; "
                               "Brazil acceded (deposit 30 November 2022). An additional protocol covers xenophobia "
                               "and racism.",
        "iana-functions": "Root zone, protocol parameters and number resources. Operated by ICANN until the IANA "
                          "stewardship transition; performed since 1 October 2016 by Public Technical Identifiers "
                          "(PTI), an affiliate of ICANN.",
        "itu-cwg-internet": "Established by ITU Council Resolution 1336 (2011); its members are ITU member states; "
                            "other stakeholders take part through open consultations.",
    }
    for slug, text in fix.items():
        if slug in mechanisms:
            mechanisms[slug]["description"] = text
    # ------------------------------------------------------------ stakeholders
    stake = {}
    for r in v1("stakeholders.csv"):
        if (r["mechanism"], r["group"]) in DROP_STAKEHOLDERS:
            continue
        stake[(r["mechanism"], r["group"])] = {**r, "note": "", "valid_from": "", "valid_to": ""}
    for slug, fields in by.items():
        for f in fields.get("participation", []):
            v = f["value"]
            if not isinstance(v, dict) or v.get("group") not in GROUPS or v.get("role") not in ROLE:
                continue
            role = ROLE[v["role"]]
            k = (slug, v["group"])
            if k in stake and ROLE_RANK[stake[k]["role"]] <= ROLE_RANK[role]:
                continue
            stake[k] = {"mechanism": slug, "group": v["group"], "role": role, "source": sources.key(f),
                        "note": (f.get("note") or "")[:2000], "valid_from": "", "valid_to": ""}
    # Formal model, where v1 had none: derived from the participation above.
    for slug, m in mechanisms.items():
        if m["model"]:
            continue
        deciding = {g for (s, g), r in stake.items() if s == slug and r["role"] in ("member", "open_participation")}
        deciding = {"governments" if g == "intergovernmental_organisations" else g for g in deciding}
        if m["open_participation"] == "true" or len(deciding) >= 2:
            m["model"] = "multistakeholder"
        elif deciding == {"private_sector"}:
            m["model"] = "private_sector"
        elif deciding == {"technical_community"}:
            m["model"] = "technical_community"
        elif deciding == {"civil_society"}:
            m["model"] = "civil_society"
        elif deciding == {"governments"}:
            m["model"] = "intergovernmental"
        elif deciding == {"academia"}:
            m["model"] = "civil_society"
            notes[slug].append("Decided by academic members; recorded with the formal model civil_society, the "
                               "nearest of govmap's five models.")
        elif not deciding and any(s == slug and g == "governments" for (s, g) in stake):
            m["model"] = "intergovernmental"
            notes[slug].append("No group is recorded as deciding (outcomes are statements of the host or "
                               "chair); the formal model is intergovernmental because governments convene it.")
    # ------------------------------------------------------------ areas
    areas = {}
    for r in v1("mechanism_areas.csv"):
        if (r["mechanism"], r["source"]) in BLANKET:
            continue
        areas[(r["mechanism"], r["area"])] = {**r, "note": r.get("note", ""), "valid_from": "", "valid_to": ""}
    for slug, fields in by.items():
        for f in fields.get("area", []):
            v = f["value"]
            if not isinstance(v, dict) or str(v.get("issue")) not in ISSUE:
                continue
            code = ISSUE[str(v["issue"])]
            strength = v.get("strength") if v.get("strength") in ("primary", "secondary") else "secondary"
            k = (slug, code)
            if k in areas:
                if strength == "primary" and areas[k]["strength"] != "primary" and areas[k].get("_research"):
                    areas[k]["strength"] = "primary"
                continue
            areas[k] = {"mechanism": slug, "area": code, "strength": strength, "source": sources.key(f),
                        "note": (f.get("note") or "")[:2000], "valid_from": "", "valid_to": "", "_research": True}
    # ------------------------------------------------------------ relations
    rels = {}
    for r in v1("relations.csv"):
        k = (r["from"], r["kind"], r["to"])
        if k not in DROP_RELATIONS:
            rels[k] = {**r, "note": "", "valid_from": "", "valid_to": ""}
    kinds = {"part_of", "reports_to", "feeds_into", "cooperates_with", "convened_by", "succeeded_by", "operated_by"}
    for slug, fields in by.items():
        for f in fields.get("relation", []):
            v = f["value"]
            if not isinstance(v, dict) or v.get("kind") not in kinds or not v.get("to") or v["to"] == slug:
                continue
            k = (slug, v["kind"], v["to"])
            if k in rels or k in DROP_RELATIONS:
                continue
            rels[k] = {"from": slug, "kind": v["kind"], "to": v["to"], "source": sources.key(f),
                       "note": (f.get("note") or "")[:2000],
                       "valid_from": str(v.get("from_year") or ""), "valid_to": str(v.get("to_year") or "")}
    # ------------------------------------------------------------ regions
    regions = {}
    for r in v1("regions.csv"):
        regions[(r["mechanism"], r["region"])] = {**r, "note": "", "valid_from": "", "valid_to": ""}
    for slug, fields in by.items():
        for f in fields.get("region", []):
            name = str(f["value"]).strip()
            codes = REGION.get(name.lower())
            if not codes:
                notes[slug].append(f"Region '{name}' is not a UN M49 region; not mapped.")
                continue
            for code in codes:
                k = (slug, code)
                if k not in regions:
                    country = "" if name.lower() in ("europe", "africa", "asia", "oceania", "americas") else name
                    regions[k] = {"mechanism": slug, "region": code, "source": sources.key(f),
                                  "note": f"as '{country}' in the source" if country else "",
                                  "valid_from": "", "valid_to": ""}

    apply_manual(mechanisms, rels, areas, stake, regions, sources)
    # Left out: no source gives a year the map needs (docs/data.md).
    for slug in ("world-bank-digital", "1net", "wgec-2"):
        mechanisms.pop(slug, None)
    # Weakly sourced facts that a finding turns on say so.
    if "ilo-c193-platform-economy" in mechanisms:
        notes["ilo-c193-platform-economy"].append(
            "Known only from a blog and news aggregators: no ILO page was found to confirm the adoption on 12 June "
            "2026, the number C193 or the vote. Check against the ILO's NORMLEX before relying on it.")
    # Multi-regional Commonwealth bodies are global, like the Commonwealth itself.
    for slug in ("cto", "commonwealth-of-learning"):
        if slug in mechanisms:
            mechanisms[slug]["scope"] = "global"
            notes[slug].append("Operates in Commonwealth member countries on every continent; recorded as global, "
                               "like the Commonwealth.")
    # An instrument or sub-body the evidence names without scope or formal
    # model takes them from the body that adopted or hosts it (its convened_by
    # or part_of relation); the note says so.
    for slug, m in mechanisms.items():
        if m["scope"] and m["model"]:
            continue
        parents = [r["to"] for (a, kind, b), r in sorted(rels.items())
                   if a == slug and kind in ("convened_by", "part_of") and b in mechanisms]
        for parent in parents:
            p = mechanisms[parent]
            taken = [f for f in ("scope", "model") if not m[f] and p[f]]
            for f in taken:
                m[f] = p[f]
            if taken:
                notes[slug].append(f"{' and '.join(taken).capitalize()} taken from {parent}, which "
                                   f"{'adopted' if m['kind'] == 'instrument' else 'hosts'} it.")
            if m["scope"] and m["model"]:
                break
    # A mechanism new in v2 stays off the map unless the evidence gives all the
    # map requires (founding year, participation, an issue link or observatory
    # kind, regions if regional): the research could not complete it.
    v1_slugs = {r["slug"] for r in v1("mechanisms.csv")}
    left_out = []
    for slug, m in list(mechanisms.items()):
        if slug in v1_slugs:
            continue
        has_part = m["open_participation"] or any(s == slug for (s, _) in stake) or (
            m["kind"] == "instrument" and any(a == slug and k in ("convened_by", "part_of") for (a, k, _) in rels))
        lacks = [what for what, ok in (("founded", m["founded"]), ("participation", has_part),
                                       ("areas", m["kind"] == "observatory" or any(s == slug for (s, _) in areas)),
                                       ("regions", m["scope"] == "global" or any(s == slug for (s, _) in regions)),
                                       ("scope/model", m["scope"] and m["model"]))
                 if not ok]
        if lacks:
            left_out.append(f"{slug} ({', '.join(lacks)})")
            del mechanisms[slug]
    if left_out:
        print("left out, evidence incomplete: " + "; ".join(sorted(left_out)), file=sys.stderr)
    # Only rows whose mechanisms are on the map.
    on_map = set(mechanisms)
    rels = {k: r for k, r in rels.items() if r["from"] in on_map and r["to"] in on_map}
    areas = {k: r for k, r in areas.items() if r["mechanism"] in on_map}
    stake = {k: r for k, r in stake.items() if r["mechanism"] in on_map}
    regions = {k: r for k, r in regions.items() if r["mechanism"] in on_map}
    for slug, ns in notes.items():
        if slug in mechanisms:
            mechanisms[slug]["note"] = " ".join(dict.fromkeys(ns))[:2000]
    used = {m["source"] for m in mechanisms.values()} | {r["source"] for t in (rels, areas, stake, regions)
                                                           for r in t.values()}
    areas_v1 = {r["source"] for r in v1("areas.csv")}

    def write(name, header, rows):
        with open(os.path.join(ROOT, "seed", name), "w", newline="", encoding="utf-8") as out:
            w = csv.DictWriter(out, fieldnames=header, extrasaction="ignore", lineterminator="\n")
            w.writeheader()
            for r in rows:
                w.writerow(r)

    write("sources.csv", ["key", "title", "url", "published", "publisher"],
          [r for k, r in sorted(sources.rows.items()) if k in used or k in areas_v1])
    # Issue notes: what the sources say of each issue's gaps (the evidence's
    # "gap" lines: CRP.2's "possible gaps" where it could be read).
    gaps = collections.defaultdict(list)
    for name in EVIDENCE:
        path = os.path.join(HERE, name + ".jsonl")
        if not os.path.exists(path):
            continue
        for line in open(path, encoding="utf-8"):
            f = json.loads(line)
            v = f.get("value")
            if f.get("field") == "gap" and isinstance(v, dict) and str(v.get("issue")) in ISSUE and f.get("source_url"):
                gaps[ISSUE[str(v["issue"])]].append(f)
    area_rows = v1("areas.csv")
    for a in area_rows:
        said = [f"\u201c{f['evidence'].strip()}\u201d ({(f.get('source_title') or '').strip()}, {f['source_url']})"
                for f in gaps.get(a["code"], [])[:2]]
        a["note"] = ("What the sources say of gaps: " + " ".join(said))[:2000] if said else ""
    write("areas.csv", ["code", "name", "level", "parent", "description", "note", "source"], area_rows)
    write("mechanisms.csv", ["slug", "name", "acronym", "kind", "scope", "model", "centrality", "status", "founded",
                             "ended", "url", "description", "open_participation", "authority", "note", "source"],
          [mechanisms[s] for s in sorted(mechanisms)])
    write("mechanism_areas.csv", ["mechanism", "area", "strength", "note", "valid_from", "valid_to", "source"],
          [areas[k] for k in sorted(areas)])
    write("relations.csv", ["from", "kind", "to", "note", "valid_from", "valid_to", "source"],
          [rels[k] for k in sorted(rels)])
    write("stakeholders.csv", ["mechanism", "group", "role", "note", "valid_from", "valid_to", "source"],
          [stake[k] for k in sorted(stake)])
    write("regions.csv", ["mechanism", "region", "note", "valid_from", "valid_to", "source"],
          [regions[k] for k in sorted(regions)])
    with open(os.path.join(ROOT, "seed", "map_info.csv"), "w", encoding="utf-8") as out:
        out.write(f"key,value\ndata_version,{DATA_VERSION}\ndata_date,{DATA_DATE}\n")
    print(f"{len(mechanisms)} mechanisms, {len(areas)} area links, {len(rels)} relations, {len(stake)} "
          f"participation rows, {len(regions)} region links, {len(used)} sources", file=sys.stderr)


def apply_manual(mechanisms, rels, areas, stake, regions, sources):
    """Dated links the evidence states (issue 9: IANA functions' operator, the
    OECD committee's renaming), kept here so that they stay explicit."""
    def rel(a, kind, b, src_url, frm="", to="", note=""):
        f = {"source_url": src_url, "source_title": "", "source_publisher": ""}
        rels[(a, kind, b)] = {"from": a, "kind": kind, "to": b, "source": sources.key(f), "note": note,
                              "valid_from": frm, "valid_to": to}
    pti = "https://pti.icann.org/"
    for k in [k for k in rels if k[0] == "iana-functions" and k[2] in ("icann", "pti")]:
        del rels[k]
    if "pti" in mechanisms:
        rel("iana-functions", "operated_by", "icann", pti, to="2016",
            note="ICANN performed the IANA functions until the stewardship transition (1 October 2016).")
        rel("iana-functions", "operated_by", "pti", pti, frm="2016",
            note="PTI, an affiliate of ICANN, has performed the IANA functions since 1 October 2016.")


if __name__ == "__main__":
    main()
