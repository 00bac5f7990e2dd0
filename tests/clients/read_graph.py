"""Reads a govmap export with a real parser and prints what it saw as JSON:
node and edge counts, and the attributes of the nodes named on the command line.

    python3 read_graph.py graphml|gexf|csv FILE_OR_DIR [NODE_ID ...]
"""
import csv
import json
import os
import sys

import networkx as nx

fmt, path, wanted = sys.argv[1], sys.argv[2], sys.argv[3:]
if fmt == "graphml":
    g = nx.read_graphml(path, force_multigraph=True)
elif fmt == "gexf":
    if int(nx.__version__.split(".")[0]) < 3:
        sys.exit("networkx %s cannot read GEXF 1.3" % nx.__version__)
    g = nx.read_gexf(path)
elif fmt == "csv":
    with open(os.path.join(path, "nodes.csv"), newline="", encoding="utf-8") as f:
        nodes = list(csv.DictReader(f))
    with open(os.path.join(path, "edges.csv"), newline="", encoding="utf-8") as f:
        edges = list(csv.DictReader(f))
    by_id = {n["Id"]: n for n in nodes}
    print(json.dumps({"nodes": len(nodes), "edges": len(edges),
                      "node_columns": list(nodes[0].keys()) if nodes else [],
                      "edge_columns": list(edges[0].keys()) if edges else [],
                      "dangling": sum(1 for e in edges if e["Source"] not in by_id or e["Target"] not in by_id),
                      "attrs": {i: by_id.get(i) for i in wanted}}))
    sys.exit(0)
else:
    sys.exit("unknown format " + fmt)

attrs = {}
for i in wanted:
    if i in g.nodes:
        attrs[i] = {k: v for k, v in g.nodes[i].items() if not isinstance(v, dict)}
print(json.dumps({"nodes": g.number_of_nodes(), "edges": g.number_of_edges(), "attrs": attrs,
                  "types": {i: {k: type(v).__name__ for k, v in a.items()} for i, a in attrs.items()}}))
