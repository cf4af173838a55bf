// Runs themes/default/static/search.js under Node against an index written to a folder, so
// that src/search/client_tests.rs can compare its answers with the Rust evaluator's.
//
//   node tests/search-client.cjs <site folder> <queries.json>
//
// Prints one JSON line per query: {total, atMost, about, hits: [{id, url, excerpt}], pinned:
// [{id, url, title}]}, or {terms}
// for the {tokens} and {variants} checks, or {paths} (the index files the client names) for
// the {paths} check.
'use strict';
const fs = require('fs');
const path = require('path');

const [site, queriesFile] = process.argv.slice(2);
const noop = () => {};
function element() {
  return {
    dataset: {}, textContent: '', className: '', style: {},
    appendChild: noop, setAttribute: noop, removeAttribute: noop, addEventListener: noop,
    focus: noop, getAttribute: (name) => (name === 'data-base' ? '/' : null),
    querySelector: () => element(), elements: []
  };
}
const form = element();
globalThis.window = globalThis;
globalThis.addEventListener = noop;
globalThis.document = {
  querySelector: () => form,
  getElementById: () => element(),
  createElement: () => element(),
  createTextNode: () => element()
};
globalThis.location = { search: '', pathname: '/search/' };
globalThis.history = { pushState: noop, replaceState: noop };
globalThis.FormData = class { forEach() {} };
globalThis.fetch = async (url) => {
  const file = path.join(site, url.replace(/^\//, ''));
  if (!fs.existsSync(file)) {
    return { status: 404, ok: false };
  }
  const bytes = fs.readFileSync(file);
  return {
    status: 200,
    ok: true,
    arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)
  };
};

require(path.resolve(__dirname, '../themes/default/static/search.js'));

(async () => {
  const queries = JSON.parse(fs.readFileSync(queriesFile, 'utf8'));
  for (const q of queries) {
    if (q.tokens !== undefined) {
      const terms = window.postkamerSearch.tokens(q.tokens, 48).map((t) => t.term);
      process.stdout.write(JSON.stringify({ terms }) + '\n');
      continue;
    }
    if (q.paths !== undefined) {
      const p = window.postkamerSearch.paths;
      const a = q.paths;
      const paths = [
        p.root, p.dates, p.shard(a.n), p.tailBlock(a.shard, a.key, a.tier, a.block),
        p.docs(a.block), p.rests(a.block), p.facet(a.facet, a.value), p.bucket(a.n)
      ];
      const [block, place] = p.blockOf(a.id, a.perBlock);
      paths.push(`${block}/${place}`);
      process.stdout.write(JSON.stringify({ paths }) + '\n');
      continue;
    }
    if (q.variants !== undefined) {
      const terms = window.postkamerSearch.variants(q.language, q.variants);
      process.stdout.write(JSON.stringify({ terms }) + '\n');
      continue;
    }
    const result = await window.postkamerSearch.run(q);
    const hits = (result.hits || []).map((h) => ({ id: h.id, url: h.doc.url, excerpt: h.excerpt }));
    const pinned = (result.pinned || []).map((p) => ({ id: p.id, url: p.url, title: p.title }));
    process.stdout.write(JSON.stringify({ total: result.total || 0, atMost: !!result.atMost, about: !!result.about, hits, pinned }) + '\n');
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
