#!/usr/bin/env python3
"""Checks a running govmap serve against docs/openapi.yaml: every operation is
called, and every JSON answer is validated (jsonschema, draft 2020-12) against
the schema the document gives for its status; a status the document does not
list fails. Usage: check_api.py BASE_URL OPENAPI_YAML"""
import json
import warnings
import pathlib
import re
import sys
import urllib.error
import urllib.request

import jsonschema
import yaml

# RefResolver is deprecated from jsonschema 4.18; Debian 12 has 4.10, without its successor.
warnings.simplefilter("ignore", DeprecationWarning)

base, spec_path = sys.argv[1].rstrip("/"), pathlib.Path(sys.argv[2]).resolve()
spec = yaml.safe_load(spec_path.read_text())
api = base + "/api/v1"

# The document is the root of its own references; gaps.schema.json sits beside it.
gaps_schema = json.loads((spec_path.parent / "gaps.schema.json").read_text())
store = {spec_path.as_uri(): spec, (spec_path.parent / "gaps.schema.json").as_uri(): gaps_schema,
         gaps_schema["$id"]: gaps_schema}


def resolver():
    """A fresh one per validation: a resolver keeps the scope of the last
    document it entered."""
    return jsonschema.RefResolver(spec_path.as_uri(), spec, store=store)


def local(ref):
    node = spec
    for part in ref.lstrip("#/").split("/"):
        node = node[part]
    return node

failures, called = [], set()


def operation(method, path):
    for template, item in spec["paths"].items():
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
        if re.match(pattern, path) and method in item:
            return template, item[method]
    return None, None


def call(method, path, body=None, expect=None):
    url = api + path
    data = json.dumps(body).encode() if body is not None else None
    headers = {"X-Requested-With": "govmap", "Content-Type": "application/json"} if method == "post" else {}
    request = urllib.request.Request(url, data=data, headers=headers, method=method.upper())
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            status, ctype, text = r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        status, ctype, text = e.code, e.headers.get("Content-Type", ""), e.read()
    template, op = operation(method, path.split("?")[0])
    where = f"{method.upper()} {path} -> {status}"
    if op is None:
        failures.append(f"{where}: no such operation in the document")
        return None
    called.add(op["operationId"])
    if expect is not None and status != expect:
        failures.append(f"{where}: expected {expect}")
    responses = op["responses"]
    response = responses.get(str(status)) or responses.get("default")
    if response is None:
        failures.append(f"{where}: status not documented")
        return None
    if "$ref" in response:
        response = local(response["$ref"])
    mime = ctype.split(";")[0].strip()
    content = response.get("content", {})
    if mime not in content:
        failures.append(f"{where}: content type {mime} not documented ({', '.join(content)})")
        return None
    if mime != "application/json":
        return text
    value = json.loads(text)
    schema = content[mime]["schema"]
    try:
        jsonschema.Draft202012Validator(schema, resolver=resolver()).validate(value)
    except jsonschema.ValidationError as e:
        failures.append(f"{where}: {e.message} at {list(e.absolute_path)}")
    print(f"ok {where}")
    return value


info = call("get", "/info", expect=200)
call("get", "/areas?limit=5", expect=200)
call("get", "/areas?undr=x", expect=400)
mechanisms = call("get", "/mechanisms", expect=200) or []
call("get", "/sources?limit=3", expect=200)
call("get", "/regions", expect=200)
call("get", "/areas?area=no-such-area", expect=400)
if mechanisms:
    call("get", "/mechanisms/" + mechanisms[0]["slug"], expect=200)
call("get", "/mechanisms/no-such-mechanism", expect=404)
call("get", "/search?q=forum&limit=3", expect=200)
call("get", "/search", expect=400)
call("get", "/graph", expect=200)
call("get", "/graph?max-nodes=1", expect=200)
call("get", "/graph?under=no-such-area", expect=400)
call("get", "/gaps", expect=200)
call("get", "/gaps?format=markdown", expect=200)
call("get", "/gaps?by-region=1&kinds=uncovered,thin", expect=200)
call("get", "/gaps?as-of=1066", expect=400)
call("get", "/export?format=gexf", expect=200)
call("get", "/export?format=cytoscape", expect=200)
call("get", "/export", expect=400)
proposals = call("get", "/proposals?status=all", expect=200) or []
if proposals:
    call("get", f"/proposals/{proposals[0]['id']}", expect=200)
call("get", "/proposals/999999999", expect=404)
call("post", "/proposals/999999999/reject", body={}, expect=400)
call("post", "/proposals/999999999/accept", body={"note": "x"}, expect=422)

missing = {op["operationId"] for item in spec["paths"].values() for op in item.values()} - called
if missing:
    failures.append("operations never called: " + ", ".join(sorted(missing)))
for f in failures:
    print("FAIL", f)
sys.exit(1 if failures else 0)
