#!/usr/bin/env python3
"""Reads a govmap picture the way a checker of a printed figure would.

read_picture.py svg FILE   -> JSON: page size, scale, nodes (id, class, fill,
                              label box, font sizes), edges (id, class), title
                              lines, and every pair of node labels that overlap.
read_picture.py png FILE   -> JSON: width, height, share of non-white pixels and
                              distinct colours (a PNG decoder on zlib alone).

Only the standard library: xml.etree parses the SVG, zlib inflates the PNG.
"""
import json
import re
import struct
import sys
import xml.etree.ElementTree as ET
import zlib

SVG = "{http://www.w3.org/2000/svg}"


def points(value):
    m = re.fullmatch(r"([0-9.]+)(pt|px)?", value)
    if not m:
        raise SystemExit(f"not a length: {value}")
    return float(m.group(1)) * (0.75 if m.group(2) == "px" else 1.0)


def polygon_box(element):
    xs, ys = [], []
    for pair in element.get("points").split():
        x, y = pair.split(",")
        xs.append(float(x))
        ys.append(float(y))
    return [min(xs), min(ys), max(xs), max(ys)]


def path_box(element):
    numbers = [float(n) for n in re.findall(r"-?[0-9.]+(?:e-?[0-9]+)?", element.get("d"))]
    xs, ys = numbers[0::2], numbers[1::2]
    return [min(xs), min(ys), max(xs), max(ys)]


def read_svg(path):
    root = ET.parse(path).getroot()
    out = {"width_pt": points(root.get("width")), "height_pt": points(root.get("height"))}
    graph = root.find(f"{SVG}g")
    m = re.search(r"scale\(([0-9.]+)", graph.get("transform", ""))
    scale = float(m.group(1)) if m else 1.0
    out["scale"] = scale
    out["title"] = [t.text or "" for t in graph.findall(f"{SVG}text")]
    # Graphviz writes a label as one <text> per line, inside a node's group
    # (an <a> wrapper when the node has a tooltip).
    nodes, edges = [], []
    for g in graph.iter(f"{SVG}g"):
        classes = (g.get("class") or "").split()
        if "node" in classes:
            texts = list(g.iter(f"{SVG}text"))
            shape = next(iter(g.iter(f"{SVG}path")), None)
            box = path_box(shape) if shape is not None else polygon_box(next(g.iter(f"{SVG}polygon")))
            sizes = [float(t.get("font-size")) for t in texts]
            ys = [float(t.get("y")) for t in texts]
            # The label's box: the lines' baselines less the ascent, plus the
            # descent; horizontally inside the node's box less its margin.
            label = [box[0] + 2.5, min(ys) - 0.8 * max(sizes), box[2] - 2.5, max(ys) + 0.25 * max(sizes)]
            fill = shape.get("fill") if shape is not None else None
            nodes.append({
                "id": g.get("id"),
                "class": [c for c in classes if c != "node"],
                "text": "\n".join(t.text or "" for t in texts),
                "font_sizes": sizes,
                "fill": fill,
                "label_box": label,
            })
        elif "edge" in classes:
            edges.append({"id": g.get("id"), "class": [c for c in classes if c != "edge"]})
    out["nodes"] = nodes
    out["edges"] = edges
    overlaps = []
    for i, a in enumerate(nodes):
        for b in nodes[i + 1:]:
            x = min(a["label_box"][2], b["label_box"][2]) - max(a["label_box"][0], b["label_box"][0])
            y = min(a["label_box"][3], b["label_box"][3]) - max(a["label_box"][1], b["label_box"][1])
            if x > 0 and y > 0:
                area = lambda box: (box[2] - box[0]) * (box[3] - box[1])
                share = x * y / min(area(a["label_box"]), area(b["label_box"]))
                overlaps.append({"a": a["id"], "b": b["id"], "share": share})
    out["overlaps"] = overlaps
    return out


def read_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit("not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour_type, _, _, interlace = header
    if depth != 8 or colour_type not in (2, 6) or interlace:
        raise SystemExit(f"unsupported PNG: depth {depth}, colour type {colour_type}, interlace {interlace}")
    channels = 4 if colour_type == 6 else 3
    raw = zlib.decompress(idat)
    stride = width * channels
    previous = bytearray(stride)
    non_white, colours = 0, set()
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            up_left = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else up_left)) & 255
        for i in range(0, stride, channels):
            pixel = bytes(line[i:i + channels])
            transparent = channels == 4 and pixel[3] == 0
            if not transparent and pixel[:3] != b"\xff\xff\xff":
                non_white += 1
            if len(colours) < 1000:
                colours.add(pixel)
        previous = line
    return {"width": width, "height": height, "non_white": non_white / (width * height), "colours": len(colours)}


if __name__ == "__main__":
    kind, path = sys.argv[1], sys.argv[2]
    print(json.dumps(read_svg(path) if kind == "svg" else read_png(path)))
