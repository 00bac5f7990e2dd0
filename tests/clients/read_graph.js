// Reads a govmap export with a real JavaScript client and prints what it saw
// as JSON: node and edge counts, and the attributes of the nodes named on the
// command line.
//
//   node read_graph.js gexf|graphml|dot|cytoscape FILE [NODE_ID ...]
'use strict';
const fs = require('fs');
const path = require('path');
const modules = path.join(__dirname, '..', 'node_modules');
const need = (name) => require(path.join(modules, name));

const [format, file, ...wanted] = process.argv.slice(2);
const text = fs.readFileSync(file, 'utf8');
const out = {nodes: 0, edges: 0, attrs: {}};

if (format === 'gexf' || format === 'graphml') {
  const {MultiDirectedGraph} = need('graphology');
  const parser = need(format === 'gexf' ? 'graphology-gexf' : 'graphology-graphml');
  const graph = parser.parse(MultiDirectedGraph, text);
  out.nodes = graph.order;
  out.edges = graph.size;
  for (const id of wanted) if (graph.hasNode(id)) out.attrs[id] = graph.getNodeAttributes(id);
} else if (format === 'dot') {
  const parse = need('dotparser');
  const [g] = parse(text);
  const nodes = new Map();
  let edges = 0;
  const walk = (children) => {
    for (const s of children) {
      if (s.type === 'node_stmt') {
        const attrs = {};
        for (const a of s.attr_list) attrs[a.id] = a.eq;
        nodes.set(s.node_id.id, attrs);
      } else if (s.type === 'edge_stmt') {
        edges += s.edge_list.length - 1;
      } else if (s.type === 'subgraph') {
        walk(s.children);
      }
    }
  };
  walk(g.children);
  out.nodes = nodes.size;
  out.edges = edges;
  for (const id of wanted) if (nodes.has(id)) out.attrs[id] = nodes.get(id);
} else if (format === 'cytoscape') {
  const cytoscape = need('cytoscape');
  const doc = JSON.parse(text);
  const cy = cytoscape({headless: true, elements: doc.elements});
  out.nodes = cy.nodes().length;
  out.edges = cy.edges().length;
  for (const id of wanted) {
    const n = cy.getElementById(id);
    if (n.nonempty()) out.attrs[id] = Object.assign({}, n.data(), {classes: n.classes()});
  }
} else {
  console.error('unknown format ' + format);
  process.exit(2);
}
console.log(JSON.stringify(out));
