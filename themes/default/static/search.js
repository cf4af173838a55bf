/*
 * postkamer search client: reads the static index written by `postkamer build`
 * (src/search/mod.rs documents the format). Plain JavaScript, no build step.
 *
 * The form (partials/search-form.html) is a plain GET form to <base>search/ and works
 * without this script as far as the URL goes; this script runs the query in the browser.
 * The site's base path comes from the form's data-base attribute ("/" or "/archief/"),
 * so the index is found at <base>search/… under any sub-path.
 *
 * Every step mirrors src/search/oracle.rs, the test oracle in Rust; function names say
 * which Rust function they follow.
 */
(function () {
  'use strict';

  var form = document.querySelector('form[data-search]');
  if (!form || !window.fetch || !window.DecompressionStream || !window.TextDecoder) {
    return;
  }
  var base = form.getAttribute('data-base') || '/';
  var input = form.querySelector('input[name="q"]');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var pager = document.getElementById('search-pager');
  var strings = status ? status.dataset : {};
  var pinnedBox = document.getElementById('search-pinned');
  var pinnedList = document.getElementById('search-pinned-list');
  var also = document.getElementById('search-also');
  var suggest = document.getElementById('search-suggest');
  // True while the shown results are those of a query still being typed (last word a prefix).
  var typingNow = false;

  // Constants of src/search/oracle.rs, shard.rs, tokenize.rs, compound.rs and refs.rs.
  var MIN_PREFIX = 3;
  var MAX_EXPANSIONS = 50;
  var MAX_PREFIX_SHARDS = 2;
  var MAX_VARIANT_SHARDS = 2;
  var TITLE_BONUS = 1000;
  var PAGE_SIZE = 10;
  var EXCERPT_WORDS = 28;
  var EXCERPT_LEAD = 6;
  var PHRASE_BATCH = 10;
  var MAX_PHRASE_CHECKS = 60;
  var MIN_TAIL = 5;
  var FACETS = ['dossier', 'sender', 'recipient', 'tag', 'kind', 'status'];

  var MARK = /\p{M}/u;
  var ALNUM = /[\p{Alphabetic}\p{N}]/u;
  var NUMERIC = /\p{N}/u;
  var QUOTES = /["\u201c\u201d\u201e]/;
  var SPACES = /[ \t\n\r\u00a0]/;

  // The index's files, relative to the site root: src/search/layout.rs is their one spelling,
  // and client_tests.rs checks every path below against it. Nowhere else names a file.
  var paths = {
    root: 'search/index.bin',
    dates: 'search/dates.bin',
    shard: function (n) {
      return 'search/t/' + n + '.bin';
    },
    tailBlock: function (shard, key, tier, block) {
      return 'search/p/' + shard + '/' + key + '-' + tier + '-' + block + '.bin';
    },
    blockOf: function (id, perBlock) {
      return [Math.floor(id / perBlock), id % perBlock];
    },
    docs: function (block) {
      return 'search/d/' + block + '.bin';
    },
    rests: function (block) {
      return 'search/x/' + block + '.bin';
    },
    facet: function (facet, value) {
      return 'search/f/' + facet + '/' + escapeValue(value) + '.bin';
    },
    bucket: function (n) {
      return 'search/r/' + n + '.bin';
    }
  };

  /* ---------- fetching ---------- */

  var cache = new Map();

  /** Bytes of an index file (gunzipped), or null when the file does not exist. */
  function fetchBytes(path) {
    if (!cache.has(path)) {
      cache.set(path, fetch(base + path).then(function (response) {
        if (response.status === 404) {
          return null;
        }
        if (!response.ok) {
          throw new Error(path + ': ' + response.status);
        }
        return response.arrayBuffer().then(function (buffer) {
          return gunzip(new Uint8Array(buffer));
        });
      }));
    }
    return cache.get(path);
  }

  /** A host may already have decoded the gzip (Content-Encoding): check the magic bytes. */
  function gunzip(bytes) {
    if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
      return Promise.resolve(bytes);
    }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Response(stream).arrayBuffer().then(function (b) { return new Uint8Array(b); });
  }

  function fetchJson(path) {
    return fetchBytes(path).then(function (bytes) {
      if (!bytes) {
        throw new Error(path + ' is missing');
      }
      return JSON.parse(new TextDecoder().decode(bytes));
    });
  }

  var rootPromise = null;
  function root() {
    if (!rootPromise) {
      rootPromise = fetchJson(paths.root).then(function (r) {
        r.stop = new Set(r.stopWords);
        return r;
      });
    }
    return rootPromise;
  }

  /* ---------- tokenize.rs ---------- */

  /** for_each_token: the folded words of a text with their UTF-16 spans. */
  function tokens(text, maxTerm) {
    var out = [];
    var term = '';
    var chars = 0;
    var start = 0;
    var end = 0;
    var i = 0;
    function push(c, off, after) {
      if (chars === 0) {
        start = off;
      }
      if (chars < maxTerm) {
        term += c;
      }
      chars += 1;
      end = after;
    }
    function flush() {
      if (chars > 0) {
        out.push({ start: start, end: end, term: term });
        term = '';
        chars = 0;
      }
    }
    for (var ch of text) {
      var off = i;
      var after = i + ch.length;
      i = after;
      var cp = ch.codePointAt(0);
      if (cp < 128) {
        if ((cp >= 48 && cp <= 57) || (cp >= 97 && cp <= 122)) {
          push(ch, off, after);
        } else if (cp >= 65 && cp <= 90) {
          push(ch.toLowerCase(), off, after);
        } else {
          flush();
        }
        continue;
      }
      for (var d of ch.normalize('NFKD')) {
        for (var l of d.toLowerCase()) {
          if (MARK.test(l)) {
            if (chars > 0) {
              end = after;
            }
          } else if (ALNUM.test(l)) {
            push(l === '\u03c2' ? '\u03c3' : l, off, after);
          } else {
            flush();
          }
        }
      }
    }
    flush();
    return out;
  }

  /** Compares strings by code point, as Rust compares &str. */
  function cmp(a, b) {
    var n = Math.min(a.length, b.length);
    for (var i = 0; i < n; i++) {
      var x = a.charCodeAt(i);
      var y = b.charCodeAt(i);
      if (x !== y) {
        return unitOrder(x) - unitOrder(y);
      }
    }
    return a.length - b.length;
  }

  function unitOrder(u) {
    if (u >= 0xe000) {
      return u - 0x800;
    }
    if (u >= 0xd800) {
      return u + 0x2000;
    }
    return u;
  }

  /* ---------- stem.rs: variants ---------- */

  function isVowel(c) {
    return c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u' || c === 'y';
  }

  function isConsonant(c) {
    return c.length === 1 && c >= 'a' && c <= 'z' && !isVowel(c);
  }

  /** normalise_dutch_stem */
  function normaliseDutchStem(stem) {
    var chars = Array.from(stem);
    var n = chars.length;
    if (n >= 3 && chars[n - 1] === chars[n - 2] && isConsonant(chars[n - 1])) {
      chars.pop();
    }
    var last = chars[chars.length - 1];
    if (last === 'v') {
      chars[chars.length - 1] = 'f';
    } else if (last === 'z') {
      chars[chars.length - 1] = 's';
    }
    return chars.join('');
  }

  function strip(w, suffix) {
    return w.endsWith(suffix) ? w.slice(0, w.length - suffix.length) : null;
  }

  function pushSingulars(b, out) {
    out.push(b);
    var normalised = normaliseDutchStem(b);
    out.push(normalised);
    var chars = Array.from(normalised);
    var n = chars.length;
    var open = n >= 2 && isConsonant(chars[n - 1]) && isVowel(chars[n - 2]) &&
      (n === 2 || isConsonant(chars[n - 3]));
    if (open) {
      out.push(chars.slice(0, n - 1).join('') + chars[n - 2] + chars[n - 1]);
    }
  }

  function pushPlurals(w, out) {
    out.push(w + 'en', w + 's', w + 'n');
    var chars = Array.from(w);
    var n = chars.length;
    var last = chars[n - 1];
    var voiced = last === 'f' ? 'v' : last === 's' ? 'z' : last;
    var longVowel = n >= 3 && chars[n - 2] === chars[n - 3] && isVowel(chars[n - 2]);
    var stem = chars.slice(0, longVowel ? n - 2 : n - 1).join('');
    out.push(stem + voiced + 'en');
    var shortVowel = n >= 2 && isVowel(chars[n - 2]) && (n < 3 || !isVowel(chars[n - 3]));
    if (shortVowel && isConsonant(last)) {
      out.push(w + last + 'en');
    }
  }

  function dutchVariants(w) {
    var out = [];
    var b;
    if ((b = strip(w, 'heden')) !== null) {
      out.push(b + 'heid');
    }
    if ((b = strip(w, 'eren')) !== null) {
      out.push(b);
    }
    if ((b = strip(w, 'en')) !== null) {
      pushSingulars(b, out);
    }
    ['n', 's', 'e'].forEach(function (s) {
      var x = strip(w, s);
      if (x !== null) {
        out.push(x);
      }
    });
    pushPlurals(w, out);
    return out;
  }

  function englishVariants(w) {
    var out = [];
    var b;
    if ((b = strip(w, 'ies')) !== null) {
      out.push(b + 'y');
    }
    if ((b = strip(w, 'es')) !== null) {
      out.push(b);
    }
    if ((b = strip(w, 's')) !== null) {
      out.push(b);
    }
    if ((b = strip(w, 'y')) !== null) {
      out.push(b + 'ies');
    }
    out.push(w + 's', w + 'es');
    return out;
  }

  /** variants: spellings tried when the archive lacks the word itself. */
  function variants(language, word) {
    if (NUMERIC.test(word) || Array.from(word).length < 3) {
      return [];
    }
    var out = language === 'en' ? englishVariants(word) : dutchVariants(word);
    out = out.filter(function (v) { return v !== word && Array.from(v).length >= 2; });
    out.sort(cmp);
    return out.filter(function (v, i) { return i === 0 || v !== out[i - 1]; });
  }

  /* ---------- oracle.rs: parse ---------- */

  /** parse: query words, the prefix being typed (only when `prefix`: while typing, or
   * prefix=1 in the URL), and quoted phrases. */
  function parseQuery(text, r, prefix) {
    var parsed = { words: [], prefix: null, phrases: [], alternatives: [], excluded: [] };
    var segments = text.split(QUOTES);
    var lastOpen = null;
    var unclosed = segments.length % 2 === 0;
    segments.forEach(function (segment, n) {
      var isLast = n + 1 === segments.length;
      var quoted = n % 2 === 1 && !(isLast && unclosed);
      var toks = tokens(segment, r.maxTerm);
      var terms = toks.map(function (t) { return t.term; });
      if (quoted) {
        terms.forEach(function (term) {
          if (!r.stop.has(term)) {
            pushWord(parsed, term);
          }
        });
        if (terms.length > 0) {
          parsed.phrases.push(terms);
        }
      } else {
        parsePlain(segment, r, parsed);
      }
      var reachesEnd = toks.length > 0 && toks[toks.length - 1].end === segment.length;
      lastOpen = isLast && !quoted && reachesEnd ? terms[terms.length - 1] : null;
    });
    var head = lastOpen !== null && parsed.words[parsed.words.length - 1] === lastOpen &&
      parsed.excluded.indexOf(lastOpen) < 0;
    if (prefix && head && Array.from(lastOpen).length >= MIN_PREFIX && !r.stop.has(lastOpen) &&
        !NUMERIC.test(lastOpen)) {
      parsed.prefix = lastOpen;
    }
    return parsed;
  }

  function pushWord(parsed, term) {
    if (parsed.words.indexOf(term) < 0) {
      parsed.words.push(term);
      parsed.alternatives.push([]);
    }
  }

  /** parse_plain: `a OR b` makes b an alternative of a; `-word` excludes word. */
  function parsePlain(segment, r, parsed) {
    var orNext = false;
    segment.split(SPACES).forEach(function (piece) {
      if (piece === '') {
        return;
      }
      if (piece === 'OR') {
        orNext = parsed.words.length > 0;
        return;
      }
      var excluded = piece.length > 1 && piece[0] === '-';
      var body = excluded ? piece.slice(1) : piece;
      tokens(body, r.maxTerm).forEach(function (t) {
        var term = t.term;
        if (r.stop.has(term)) {
          return;
        }
        if (excluded) {
          if (parsed.excluded.indexOf(term) < 0) {
            parsed.excluded.push(term);
          }
        } else if (orNext) {
          var last = parsed.words.length - 1;
          if (parsed.words[last] !== term && parsed.alternatives[last].indexOf(term) < 0) {
            parsed.alternatives[last].push(term);
          }
        } else {
          pushWord(parsed, term);
        }
        orNext = false;
      });
    });
  }

  /* ---------- codec.rs and shard.rs ---------- */

  function Reader(bytes) {
    this.bytes = bytes;
    this.pos = 0;
  }
  Reader.prototype.varint = function () {
    var value = 0;
    var scale = 1;
    for (var i = 0; i < 8; i++) {
      if (this.pos >= this.bytes.length) {
        throw new Error('truncated index file');
      }
      var b = this.bytes[this.pos++];
      value += (b & 0x7f) * scale;
      if (b < 0x80) {
        return value;
      }
      scale *= 128;
    }
    throw new Error('bad varint');
  };
  Reader.prototype.take = function (n) {
    if (this.pos + n > this.bytes.length) {
      throw new Error('truncated index file');
    }
    var out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  };

  function readIdList(r, limit) {
    var n = r.varint();
    var ids = new Array(n);
    var id = 0;
    for (var i = 0; i < n; i++) {
      id = i === 0 ? r.varint() : id + r.varint();
      if (id >= limit) {
        throw new Error('bad letter id');
      }
      ids[i] = id;
    }
    return ids;
  }

  /** decode_shard */
  function decodeShard(bytes) {
    var magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
    if (magic !== 'PKS2') {
      throw new Error('not a shard');
    }
    var r = new Reader(bytes.subarray(4));
    var keyCount = r.varint();
    var keys = [];
    for (var k = 0; k < keyCount; k++) {
      keys.push(r.take(r.varint()));
    }
    var wordCount = r.varint();
    var words = [];
    var previous = new Uint8Array(0);
    var decoder = new TextDecoder();
    for (var w = 0; w < wordCount; w++) {
      var shared = r.varint();
      var suffix = r.take(r.varint());
      var current = new Uint8Array(shared + suffix.length);
      current.set(previous.subarray(0, shared));
      current.set(suffix, shared);
      previous = current;
      var n = r.varint();
      var ks = [];
      for (var j = 0; j < n; j++) {
        ks.push(r.varint());
      }
      words.push({ word: decoder.decode(current), keys: ks });
    }
    return { keys: keys, words: words, decoded: new Map() };
  }

  /** decode_entry: a key's postings ({head, tail: null}) or its head and where its tail is. */
  function decodeEntry(bytes, docs, levels) {
    if (bytes.length === 0 || bytes[0] > 1) {
      throw new Error('bad key entry');
    }
    if (bytes[0] === 0) {
      return { head: decodePostings(bytes.subarray(1), docs, levels), tail: null };
    }
    var rd = new Reader(bytes.subarray(1));
    var tail = { df: rd.varint(), shard: rd.varint(), key: rd.varint(), tiers: [] };
    var count = rd.varint();
    for (var t = 0; t < count; t++) {
      var tier = { topClass: rd.varint(), topId: rd.varint() };
      var later = readIdList(rd, docs);
      if (tier.topClass >= 2 * levels || tier.topId >= docs || later[0] === 0) {
        throw new Error('bad key entry');
      }
      tier.starts = [0].concat(later);
      tail.tiers.push(tier);
    }
    var head = decodePostings(rd.take(rd.bytes.length - rd.pos), docs, levels);
    if (tail.df > docs || head.df >= tail.df || count === 0) {
      throw new Error('bad key entry');
    }
    return { head: head, tail: tail };
  }

  /** Tier::range: ids [start, end) of block b. */
  function blockRange(tier, b, docs) {
    return [tier.starts[b], b + 1 < tier.starts.length ? tier.starts[b + 1] : docs];
  }

  /** Tier::block_of */
  function blockOf(tier, id) {
    var lo = 0;
    var hi = tier.starts.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (tier.starts[mid] <= id) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return Math.max(0, lo - 1);
  }

  /** decode_block: tail postings whose ids lie in [start, end). */
  function decodeBlock(bytes, range, levels) {
    var p = decodePostings(bytes, range[1], levels);
    var inside = function (ids) { return ids.length === 0 || ids[0] >= range[0]; };
    if (!inside(p.title) || !p.levels.every(inside)) {
      throw new Error('bad tail block');
    }
    return p;
  }

  /** decode_postings */
  function decodePostings(blob, docs, levels) {
    var r = new Reader(blob);
    var title = readIdList(r, docs);
    var byLevel = new Array(levels);
    for (var l = levels - 1; l >= 0; l--) {
      byLevel[l] = readIdList(r, docs);
    }
    var df = 0;
    byLevel.forEach(function (ids) { df += ids.length; });
    return { title: title, levels: byLevel, df: df };
  }

  function findWord(shard, word) {
    var lo = 0;
    var hi = shard.words.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      var c = cmp(shard.words[mid].word, word);
      if (c === 0) {
        return mid;
      }
      if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return -1;
  }

  /** decode_letter_set */
  function decodeLetterSet(bytes, docs) {
    if (!bytes || bytes.length === 0) {
      return [];
    }
    if (bytes[0] === 0) {
      return readIdList(new Reader(bytes.subarray(1)), docs);
    }
    var ids = [];
    for (var i = 0; i < docs && (i >> 3) + 1 < bytes.length; i++) {
      if (bytes[1 + (i >> 3)] & (1 << (i & 7))) {
        ids.push(i);
      }
    }
    return ids;
  }

  /** codec::MAX_VALUE_NAME */
  var MAX_VALUE_NAME = 96;

  /** codec::escape_value: a long spelling is cut and ends in '.' and the value's fnv64. */
  function escapeValue(value) {
    var bytes = new TextEncoder().encode(value);
    var out = '';
    bytes.forEach(function (b) {
      if ((b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b === 45) {
        out += String.fromCharCode(b);
      } else {
        out += '_' + (b < 16 ? '0' : '') + b.toString(16);
      }
    });
    out = out || '_';
    if (out.length > MAX_VALUE_NAME) {
      out = out.slice(0, MAX_VALUE_NAME - 17) + '.' + fnv64(bytes);
    }
    return out;
  }

  /** codec::fnv1a_64 as 16 hex digits (BigInt: the product needs 64 bits). */
  function fnv64(bytes) {
    var hash = BigInt('0xcbf29ce484222325');
    var prime = BigInt('0x100000001b3');
    var mask = BigInt('0xffffffffffffffff');
    bytes.forEach(function (b) {
      hash = ((hash ^ BigInt(b)) * prime) & mask;
    });
    var hex = hash.toString(16);
    return '0000000000000000'.slice(hex.length) + hex;
  }

  /* ---------- refs.rs ---------- */

  var MAX_LOOKUPS = 6;
  var MAX_PINS = 5;

  /** bucket_of: FNV-1a (32 bits) of the word's UTF-8 bytes, modulo the bucket count. */
  function bucketOf(word, buckets) {
    var hash = 0x811c9dc5;
    new TextEncoder().encode(word).forEach(function (b) {
      hash = Math.imul((hash ^ b) >>> 0, 0x01000193) >>> 0;
    });
    return hash % Math.max(1, buckets);
  }

  /** lookups: the first MAX_LOOKUPS distinct words of the query. */
  function lookups(words) {
    var out = [];
    words.forEach(function (w) {
      if (out.length < MAX_LOOKUPS && out.indexOf(w) < 0) {
        out.push(w);
      }
    });
    return out;
  }

  function containsRun(words, run) {
    for (var i = 0; run.length > 0 && i + run.length <= words.length; i++) {
      var all = true;
      for (var j = 0; j < run.length && all; j++) {
        all = words[i + j] === run[j];
      }
      if (all) {
        return true;
      }
    }
    return false;
  }

  /** matches: the query holds the form as a run; or, for a name, is a run ending it. */
  function refMatches(entry, words) {
    var form = entry[0].split(' ');
    if (containsRun(words, form)) {
      return true;
    }
    if (entry.length !== 3 || words.length === 0 || words.length > form.length) {
      return false;
    }
    var offset = form.length - words.length;
    return words.every(function (w, i) { return form[offset + i] === w; });
  }

  /** pin_order: letters first, forms of more words first, newest letter first. */
  function pinOrder(found) {
    var key = function (e) {
      return [e.length === 3 ? 1 : 0, -e[0].split(' ').length, e.length === 3 ? 0 : -e[1]];
    };
    found.sort(function (a, b) {
      var x = key(a);
      var y = key(b);
      return x[0] - y[0] || x[1] - y[1] || x[2] - y[2] || cmp(a[0], b[0]);
    });
    var out = [];
    var seen = new Set();
    found.forEach(function (e) {
      var name = e.length === 3 ? 'p ' + e[1] + ' ' + e[2] : 'l ' + e[1];
      if (out.length < MAX_PINS && !seen.has(name)) {
        seen.add(name);
        out.push(e);
      }
    });
    return out;
  }

  /** pins: what the query names by reference, as {id, url, title} (id null for a page). */
  function pinsOf(r, text) {
    var words = tokens(text, r.maxTerm).map(function (t) { return t.term; });
    if (!r.refBuckets) {
      return Promise.resolve([]);
    }
    var buckets = [];
    lookups(words).forEach(function (w) {
      var n = bucketOf(w, r.refBuckets);
      if (buckets.indexOf(n) < 0) {
        buckets.push(n);
      }
    });
    return Promise.all(buckets.map(function (n) {
      return fetchBytes(paths.bucket(n)).then(function (bytes) {
        return bytes ? JSON.parse(new TextDecoder().decode(bytes)) : [];
      });
    })).then(function (lists) {
      var found = [];
      lists.forEach(function (entries) {
        entries.forEach(function (e) {
          if (refMatches(e, words)) {
            found.push(e);
          }
        });
      });
      return Promise.all(pinOrder(found).map(function (e) {
        if (e.length === 3) {
          return { id: null, url: e[1], title: e[2] };
        }
        return loadDoc(r, e[1]).then(function (doc) {
          return { id: e[1], url: doc.url, title: doc.title, doc: doc };
        });
      }));
    });
  }

  /* ---------- oracle.rs: Searcher ---------- */

  /** shard_index: the last shard whose first word is <= word. */
  function shardIndex(r, word) {
    var lo = 0;
    var hi = r.shards.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (cmp(r.shards[mid], word) <= 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return Math.max(0, lo - 1);
  }

  var shardCache = new Map();
  function shard(n) {
    if (!shardCache.has(n)) {
      shardCache.set(n, fetchBytes(paths.shard(n)).then(function (bytes) {
        if (!bytes) {
          throw new Error(paths.shard(n) + ' is missing');
        }
        return decodeShard(bytes);
      }));
    }
    return shardCache.get(n);
  }

  /** add_word: the word's keys from shard n into the group; false when absent. */
  function addWord(r, n, word, group) {
    return shard(n).then(function (s) {
      var w = findWord(s, word);
      if (w < 0) {
        return false;
      }
      var keys = s.words[w].keys;
      keys.forEach(function (k) {
        if (!s.decoded.has(k)) {
          s.decoded.set(k, decodeEntry(s.keys[k], r.docs, r.levels));
        }
        group.keys.push(keyState(r, s.decoded.get(k)));
      });
      s.words.forEach(function (other) {
        if (other.keys.some(function (k) { return keys.indexOf(k) >= 0; })) {
          group.words.add(other.word);
        }
      });
      return true;
    });
  }

  /** group: what one query word stands for. */
  function wordGroup(r, word, isPrefix, alternatives) {
    var group = { keys: [], words: new Set(), prefix: null };
    var home = shardIndex(r, word);
    var chain = addWordOrVariants(r, word, group).then(function () {
      if (!isPrefix) {
        return null;
      }
      group.prefix = word;
      return addCompletions(r, home, word, group);
    });
    (alternatives || []).forEach(function (alternative) {
      chain = chain.then(function () { return addWordOrVariants(r, alternative, group); });
    });
    return chain.then(function () {
      return group;
    });
  }

  /** add_word_or_variants: the word's keys, or its spelling variants' when the archive lacks it. */
  function addWordOrVariants(r, word, group) {
    var home = shardIndex(r, word);
    return addWord(r, home, word, group).then(function (found) {
      if (found) {
        return null;
      }
      var extra = new Set();
      var chain = Promise.resolve();
      variants(r.language, word).forEach(function (v) {
        var n = shardIndex(r, v);
        if (n !== home && !extra.has(n)) {
          if (extra.size >= MAX_VARIANT_SHARDS) {
            return;
          }
          extra.add(n);
        }
        chain = chain.then(function () { return addWord(r, n, v, group); });
      });
      return chain;
    });
  }

  /** excluded: the letters with an excluded word (every block of its keys), or null. */
  function excludedSet(r, words) {
    if (words.length === 0) {
      return Promise.resolve(null);
    }
    var out = new Uint8Array(r.docs);
    return Promise.all(words.map(function (w) {
      return wordGroup(r, w, false, []).then(function (group) {
        return fetchBlocks(r, [group], allBlocks(r, [group.keys], null)).then(function () {
          group.keys.forEach(function (key) {
            key.known.forEach(function (c, id) {
              if (id < r.docs) {
                out[id] = 1;
              }
            });
          });
        });
      });
    })).then(function () { return out; });
  }

  function addCompletions(r, home, prefix, group) {
    var taken = 0;
    var last = Math.min(home + MAX_PREFIX_SHARDS, r.shards.length);
    var chain = Promise.resolve();
    var stopped = false;
    for (var n = home; n < last; n++) {
      if (n > home && !r.shards[n].startsWith(prefix)) {
        break;
      }
      (function (n) {
        chain = chain.then(function () {
          if (stopped) {
            return null;
          }
          return shard(n).then(function (s) {
            var completions = s.words.filter(function (w) {
              return w.word.startsWith(prefix) && w.word !== prefix;
            });
            var inner = Promise.resolve();
            completions.forEach(function (w) {
              inner = inner.then(function () {
                if (taken === MAX_EXPANSIONS) {
                  stopped = true;
                  return null;
                }
                taken += 1;
                return addWord(r, n, w.word, group);
              });
            });
            return inner;
          });
        });
      })(n);
    }
    return chain;
  }

  /** filter: letters passing the filters, or null when nothing is filtered. */
  function filterSet(r, filters) {
    var active = FACETS.filter(function (f) { return filters[f].length > 0; });
    var dated = filters.dateFrom !== null || filters.dateTo !== null;
    if (active.length === 0 && filters.year.length === 0 && !dated) {
      return Promise.resolve(null);
    }
    var pass = new Uint8Array(r.docs).fill(1);
    var jobs = active.map(function (facet) {
      return Promise.all(filters[facet].map(function (value) {
        return fetchBytes(paths.facet(facet, value));
      })).then(function (sets) {
        var any = new Uint8Array(r.docs);
        sets.forEach(function (bytes) {
          decodeLetterSet(bytes, r.docs).forEach(function (id) { any[id] = 1; });
        });
        andInto(pass, any);
      });
    });
    if (filters.year.length > 0) {
      var any = new Uint8Array(r.docs);
      r.years.forEach(function (y) {
        if (filters.year.indexOf(y[0]) >= 0) {
          any.fill(1, Math.max(0, y[1]), Math.min(r.docs, y[2]));
        }
      });
      andInto(pass, any);
    }
    if (dated) {
      jobs.push(dateRange(r, filters.dateFrom, filters.dateTo).then(function (range) {
        for (var id = 0; id < r.docs; id++) {
          if (id < range[0] || id >= range[1]) {
            pass[id] = 0;
          }
        }
      }));
    }
    return Promise.all(jobs).then(function () { return pass; });
  }

  function andInto(pass, other) {
    for (var i = 0; i < pass.length; i++) {
      pass[i] &= other[i];
    }
  }

  /** date_range: ids [start, end) of letters dated from..to inclusive. */
  function dateRange(r, from, to) {
    return fetchBytes(paths.dates).then(function (bytes) {
      if (!bytes) {
        throw new Error(paths.dates + ' is missing');
      }
      var rd = new Reader(bytes);
      var n = rd.varint();
      var dates = [];
      var date = 0;
      var id = 0;
      for (var i = 0; i < n; i++) {
        var z = rd.varint();
        date += z % 2 === 1 ? -(z + 1) / 2 : z / 2;
        id += rd.varint();
        dates.push([date, id]);
      }
      function firstAtOrAfter(d) {
        for (var j = 0; j < dates.length; j++) {
          if (dates[j][0] >= d) {
            return dates[j][1];
          }
        }
        return r.docs;
      }
      var start = from === null ? 0 : firstAtOrAfter(from);
      var end = to === null ? r.docs : firstAtOrAfter(to + 1);
      return [start, Math.max(start, end)];
    });
  }

  /* ---------- tiers.rs ---------- */

  function idf(df, docs) {
    return Math.log(1 + (docs - df + 0.5) / (df + 0.5));
  }

  /** KeyState::new: a fresh state per use, so that every query starts from the heads. */
  function keyState(r, entry) {
    var tail = entry.tail;
    var key = {
      idf: idf(tail ? tail.df : entry.head.df, r.docs),
      df: tail ? tail.df : entry.head.df,
      known: new Map(),
      tail: tail,
      done: tail ? tail.tiers.map(function (t) { return t.starts.map(function () { return false; }); }) : []
    };
    addPostings(key, entry.head, r.levels);
    return key;
  }

  /** KeyState::add: letter id -> class (title bit above the level). */
  function addPostings(key, p, levels) {
    p.levels.forEach(function (ids, level) {
      ids.forEach(function (id) { key.known.set(id, level); });
    });
    p.title.forEach(function (id) {
      var c = key.known.get(id);
      if (c !== undefined) {
        key.known.set(id, c | levels);
      }
    });
  }

  /** KeyState::score: the weight of class c, plus the title bonus. */
  function keyScore(r, key, c) {
    return key.idf * (((c % r.levels) + 0.5) / r.levels * (r.k1 + 1)) + (c >= r.levels ? TITLE_BONUS : 0);
  }

  /** KeyState::missing_at: [tier, block] of the first tier whose block at id is missing. */
  function missingAt(key, id) {
    if (!key.tail) {
      return null;
    }
    for (var t = 0; t < key.tail.tiers.length; t++) {
      var b = blockOf(key.tail.tiers[t], id);
      if (!key.done[t][b]) {
        return [t, b];
      }
    }
    return null;
  }

  /** KeyState::bound_at: the best score id can have in a missing block, or null. */
  function boundAt(r, key, id) {
    var missing = missingAt(key, id);
    if (missing === null) {
      return null;
    }
    var tier = key.tail.tiers[missing[0]];
    if (id <= tier.topId) {
      return keyScore(r, key, tier.topClass);
    }
    return tier.topClass === 0 ? null : keyScore(r, key, tier.topClass - 1);
  }

  /** block_passes */
  function blockPasses(range, pass) {
    if (!pass) {
      return true;
    }
    for (var id = range[0]; id < range[1]; id++) {
      if (pass[id] === 1) {
        return true;
      }
    }
    return false;
  }

  /** KeyState::open_tiers: [tier, open blocks] of every tier with open blocks, best first. */
  function openTiers(r, key, pass) {
    var out = [];
    key.done.forEach(function (done, t) {
      var blocks = [];
      done.forEach(function (fetched, b) {
        if (!fetched && blockPasses(blockRange(key.tail.tiers[t], b, r.docs), pass)) {
          blocks.push(b);
        }
      });
      if (blocks.length > 0) {
        out.push([t, blocks]);
      }
    });
    return out;
  }

  /** KeyState::top: [score, id] of the best posting of tier t. */
  function tierTop(r, key, t) {
    var tier = key.tail.tiers[t];
    return [keyScore(r, key, tier.topClass), tier.topId];
  }

  /** part: {absent} | {exact: score} | {bound: score, present}. */
  function wordPart(r, keys, id) {
    var best = null;
    var open = null;
    keys.forEach(function (key) {
      var c = key.known.get(id);
      if (c !== undefined) {
        var s = keyScore(r, key, c);
        best = best === null ? s : Math.max(best, s);
      } else {
        var b = boundAt(r, key, id);
        if (b !== null) {
          open = open === null ? b : Math.max(open, b);
        }
      }
    });
    if (open === null || (best !== null && best >= open)) {
      return best === null ? { absent: true } : { exact: best };
    }
    return { bound: best === null ? open : Math.max(best, open), present: best !== null };
  }

  function keyLists(groups) {
    return groups.map(function (g) { return g.keys; });
  }

  /** evaluate: the exact matches in order, whether the first `wanted` are proven, and how
   * many letters are known to match. */
  function tryRank(r, groups, pass, sort, wanted) {
    var ids = [];
    groups.forEach(function (keys) {
      keys.forEach(function (key) {
        key.known.forEach(function (c, id) {
          if (!pass || pass[id] === 1) {
            ids.push(id);
          }
        });
      });
    });
    ids.sort(function (a, b) { return a - b; });
    var round = { ranked: [], proven: false, certain: 0, blocking: [] };
    var uncertain = [];
    ids.forEach(function (id, i) {
      if (i > 0 && ids[i - 1] === id) {
        return;
      }
      var parts = groups.map(function (keys) { return wordPart(r, keys, id); });
      if (parts.some(function (p) { return p.absent; })) {
        return;
      }
      var total = 0;
      var exact = true;
      var present = true;
      parts.forEach(function (p) {
        if (p.exact !== undefined) {
          total += p.exact;
        } else {
          total += p.bound;
          exact = false;
          present = present && p.present;
        }
      });
      round.certain += present ? 1 : 0;
      (exact ? round.ranked : uncertain).push([id, total]);
    });
    sortRanked(round.ranked, sort);
    var unseen = unseenBound(r, groups, pass, sort);
    var last = round.ranked[Math.max(1, wanted) - 1];
    var isBelow = function (u) { return last !== undefined && below(u, last, sort); };
    round.blocking = uncertain.filter(function (u) { return !isBelow(u); }).map(function (u) { return u[0]; });
    round.proven = round.blocking.length === 0 && (unseen === null || isBelow(unseen));
    return round;
  }

  /** rank */
  function sortRanked(scored, sort) {
    if (sort === 'newest') {
      scored.sort(function (a, b) { return b[0] - a[0]; });
    } else if (sort === 'oldest') {
      scored.sort(function (a, b) { return a[0] - b[0]; });
    } else {
      scored.sort(function (a, b) { return b[1] - a[1] || b[0] - a[0]; });
    }
    return scored;
  }

  /** below: a letter bounded by [id, score] ranks strictly after `last`. */
  function below(u, last, sort) {
    if (sort === 'newest') {
      return u[0] < last[0];
    }
    if (sort === 'oldest') {
      return u[0] > last[0];
    }
    return u[1] < last[1] || (u[1] === last[1] && u[0] < last[0]);
  }

  var NO_ID = 4294967295;

  /** unseen_bound: [id, score] of the best a letter of no known posting could do, or null. */
  function unseenBound(r, groups, pass, sort) {
    var score = 0;
    var ids = [];
    var tieId = NO_ID;
    for (var g = 0; g < groups.length; g++) {
      var best = null;
      var newest = null;
      var oldest = null;
      groups[g].forEach(function (key) {
        var open = openTiers(r, key, pass);
        if (open.length === 0) {
          return;
        }
        var top = tierTop(r, key, open[0][0]);
        if (best === null || top[0] > best[0] || (top[0] === best[0] && top[1] > best[1])) {
          best = top;
        }
        open.forEach(function (o) {
          var blocks = o[1];
          var last = blockRange(key.tail.tiers[o[0]], blocks[blocks.length - 1], r.docs)[1] - 1;
          var first = blockRange(key.tail.tiers[o[0]], blocks[0], r.docs)[0];
          newest = newest === null ? last : Math.max(newest, last);
          oldest = oldest === null ? first : Math.min(oldest, first);
        });
      });
      if (best === null) {
        return null;
      }
      score += best[0];
      if (groups.length === 1) {
        tieId = best[1];
      }
      ids.push(sort === 'oldest' ? oldest : newest);
    }
    if (sort === 'newest') {
      return [Math.min.apply(null, ids), score];
    }
    if (sort === 'oldest') {
      return [Math.max.apply(null, ids), score];
    }
    return [tieId, score];
  }

  /** blocks_to_fetch: [word, key, tier, block] of the blocks to fetch next. */
  function blocksToFetch(r, groups, pass, sort, round) {
    if (sort === 'relevance' && round.blocking.length > 0) {
      return settlingBlocks(r, groups, round.blocking);
    }
    var out = [];
    var best = null;
    groups.forEach(function (keys, g) {
      keys.forEach(function (key, k) {
        var open = openTiers(r, key, pass);
        if (open.length === 0) {
          return;
        }
        if (sort === 'relevance') {
          var top = tierTop(r, key, open[0][0])[0];
          if (best === null || top > best[0]) {
            best = [top, g, k, open[0][0], open[0][1]];
          }
          return;
        }
        nextByDate(r, key, open, sort).forEach(function (tb) { out.push([g, k, tb[0], tb[1]]); });
      });
    });
    if (best !== null) {
      best[4].forEach(function (b) { out.push([best[1], best[2], best[3], b]); });
    }
    return out;
  }

  /** settling_blocks: for each letter, the missing block of every key that could still
   * change its score. */
  function settlingBlocks(r, groups, ids) {
    var seen = new Set();
    var out = [];
    ids.forEach(function (id) {
      groups.forEach(function (keys, g) {
        if (wordPart(r, keys, id).bound === undefined) {
          return;
        }
        keys.forEach(function (key, k) {
          var missing = key.known.has(id) ? null : missingAt(key, id);
          var name = missing && [g, k, missing[0], missing[1]].join(' ');
          if (missing && !seen.has(name)) {
            seen.add(name);
            out.push([g, k, missing[0], missing[1]]);
          }
        });
      });
    });
    return out;
  }

  /** next_by_date: [tier, block] of the newest (oldest) open block of the tiers that reach
   * furthest that way. */
  function nextByDate(r, key, open, sort) {
    var edges = open.map(function (o) {
      var blocks = o[1];
      var b = sort === 'oldest' ? blocks[0] : blocks[blocks.length - 1];
      var range = blockRange(key.tail.tiers[o[0]], b, r.docs);
      return [o[0], b, sort === 'oldest' ? NO_ID - range[0] : range[1]];
    });
    var furthest = Math.max.apply(null, edges.map(function (e) { return e[2]; }));
    return edges.filter(function (e) { return e[2] === furthest; });
  }

  /** all_blocks */
  function allBlocks(r, groups, pass) {
    var out = [];
    groups.forEach(function (keys, g) {
      keys.forEach(function (key, k) {
        openTiers(r, key, pass).forEach(function (o) {
          o[1].forEach(function (b) { out.push([g, k, o[0], b]); });
        });
      });
    });
    return out;
  }

  /** count: [total, estimated?] */
  function countResults(r, groups, pass, round) {
    if (allBlocks(r, groups, pass).length === 0) {
      return [round.ranked.length, false];
    }
    if (groups.length === 1 && groups[0].length === 1 && !pass) {
      return [groups[0][0].df, false];
    }
    var allowed = r.docs;
    if (pass) {
      allowed = 0;
      pass.forEach(function (b) { allowed += b; });
    }
    var estimate = allowed;
    var upper = allowed;
    groups.forEach(function (keys) {
      // A word's keys overlap: its share is that of a union of independent keys.
      var df = 0;
      var missed = 1;
      keys.forEach(function (key) {
        df += key.df;
        missed *= 1 - Math.min(key.df / Math.max(1, r.docs), 1);
      });
      upper = Math.min(upper, df);
      estimate *= 1 - missed;
    });
    return [Math.max(Math.min(Math.floor(estimate), upper), round.certain), true];
  }

  /** fetch_blocks: tail blocks into their keys' known postings. */
  function fetchBlocks(r, groups, blocks) {
    return Promise.all(blocks.map(function (x) {
      var key = groups[x[0]].keys[x[1]];
      var path = paths.tailBlock(key.tail.shard, key.tail.key, x[2], x[3]);
      return fetchBytes(path).then(function (bytes) {
        if (!bytes) {
          throw new Error(path + ' is missing');
        }
        return [key, x[2], x[3], decodeBlock(bytes, blockRange(key.tail.tiers[x[2]], x[3], r.docs), r.levels)];
      });
    })).then(function (fetched) {
      fetched.forEach(function (f) {
        addPostings(f[0], f[3], r.levels);
        f[0].done[f[1]][f[2]] = true;
      });
    });
  }

  /** prove: fetch tail blocks until the first `wanted` places are proven. */
  function prove(r, groups, pass, sort, wanted, phrases) {
    var first = phrases.length > 0 ? fetchBlocks(r, groups, allBlocks(r, keyLists(groups), pass))
      : Promise.resolve();
    function next() {
      var round = tryRank(r, keyLists(groups), pass, sort, wanted);
      if (round.proven) {
        return round;
      }
      var blocks = blocksToFetch(r, keyLists(groups), pass, sort, round);
      if (blocks.length === 0) {
        return round;
      }
      return fetchBlocks(r, groups, blocks).then(next);
    }
    return first.then(next);
  }

  /** A query of filters only: every letter that passes, in the order asked. */
  function rankAll(r, pass, sort) {
    var scored = [];
    for (var id = 0; id < r.docs; id++) {
      if (!pass || pass[id] === 1) {
        scored.push([id, 0]);
      }
    }
    return sortRanked(scored, sort);
  }

  var blocks = new Map();

  /** A block file (a JSON array, one entry per letter of the block), parsed once. */
  function loadBlock(path) {
    if (!blocks.has(path)) {
      blocks.set(path, fetchJson(path));
    }
    return blocks.get(path);
  }

  /** Entry `id` of the blocks named by `pathOf`: letter records or rests (layout::block_of). */
  function blockEntry(r, id, pathOf) {
    var at = paths.blockOf(id, r.letterBlock);
    var path = pathOf(at[0]);
    return loadBlock(path).then(function (entries) {
      if (!Array.isArray(entries) || entries[at[1]] === undefined) {
        throw new Error(path + ' is damaged');
      }
      return entries[at[1]];
    });
  }

  function loadDoc(r, id) {
    return blockEntry(r, id, paths.docs);
  }

  /** phrase_starts */
  function phraseStarts(toks, phrase) {
    var out = [];
    for (var i = 0; i + phrase.length <= toks.length; i++) {
      var all = true;
      for (var j = 0; j < phrase.length; j++) {
        if (toks[i + j].term !== phrase[j]) {
          all = false;
          break;
        }
      }
      if (all) {
        out.push(i);
      }
    }
    return out;
  }

  /** The rest of a cut letter's text (layout::rests), read only to verify a phrase. */
  function loadRest(r, id, doc) {
    if (!doc.cut) {
      return Promise.resolve('');
    }
    return blockEntry(r, id, paths.rests);
  }

  /** contains_phrases: the title or the whole text (kept text, then the rest) holds each. */
  function containsPhrases(r, doc, rest, phrases) {
    var title = tokens(doc.title, r.maxTerm);
    var text = tokens(doc.text + rest, r.maxTerm);
    return phrases.every(function (p) {
      return phraseStarts(title, p).length > 0 || phraseStarts(text, p).length > 0;
    });
  }

  /**
   * The page of results. Without phrases: the page's letters. With phrases: candidates are
   * checked against their text in rank order until the page is full; the total is exact
   * only when every candidate was checked (else `atMost` is true).
   */
  function pageOfResults(r, ranked, count, phrases, page) {
    var wanted = page * PAGE_SIZE;
    if (phrases.length === 0) {
      var slice = ranked.slice((page - 1) * PAGE_SIZE, wanted);
      return Promise.all(slice.map(function (x) { return loadDoc(r, x[0]); })).then(function (docs) {
        return { total: count[0], about: count[1], atMost: false, hits: slice.map(function (x, i) {
          return { id: x[0], doc: docs[i] };
        }) };
      });
    }
    var kept = [];
    var checked = 0;
    function next() {
      if (kept.length >= wanted || checked >= ranked.length || checked >= MAX_PHRASE_CHECKS * page) {
        var complete = checked >= ranked.length;
        return {
          total: complete ? kept.length : ranked.length - checked + kept.length,
          atMost: !complete,
          hits: kept.slice((page - 1) * PAGE_SIZE, wanted)
        };
      }
      var batch = ranked.slice(checked, checked + PHRASE_BATCH);
      checked += batch.length;
      return Promise.all(batch.map(function (x) {
        return loadDoc(r, x[0]).then(function (doc) {
          return loadRest(r, x[0], doc).then(function (rest) { return [doc, rest]; });
        });
      })).then(function (docs) {
        docs.forEach(function (d, i) {
          if (containsPhrases(r, d[0], d[1], phrases)) {
            kept.push({ id: batch[i][0], doc: d[0] });
          }
        });
        return next();
      });
    }
    return Promise.resolve().then(next);
  }

  /** is_tail_of: a compound ending in a query word (compound.rs indexes its tails). */
  function isTailOf(tail, word) {
    return Array.from(tail).length >= MIN_TAIL && word.length > tail.length && word.endsWith(tail);
  }

  /** hit_flags */
  function hitFlags(toks, groups, phrases) {
    var flags = toks.map(function (t) {
      return groups.some(function (g) {
        if (g.words.has(t.term) || (g.prefix !== null && t.term.startsWith(g.prefix))) {
          return true;
        }
        var tail = false;
        g.words.forEach(function (w) {
          tail = tail || isTailOf(w, t.term);
        });
        return tail;
      });
    });
    phrases.forEach(function (p) {
      phraseStarts(toks, p).forEach(function (s) {
        for (var j = 0; j < p.length; j++) {
          flags[s + j] = true;
        }
      });
    });
    return flags;
  }

  /** excerpt_window */
  function excerptWindow(flags) {
    var n = flags.length;
    var w = Math.min(EXCERPT_WORDS, n);
    var count = 0;
    for (var i = 0; i < w; i++) {
      count += flags[i] ? 1 : 0;
    }
    var best = [0, count];
    for (var s = 1; s <= n - w; s++) {
      count = count + (flags[s + w - 1] ? 1 : 0) - (flags[s - 1] ? 1 : 0);
      if (count > best[1]) {
        best = [s, count];
      }
    }
    var firstHit = best[0];
    for (var j = best[0]; j < best[0] + w; j++) {
      if (flags[j]) {
        firstHit = j;
        break;
      }
    }
    var start = Math.min(Math.max(0, firstHit - EXCERPT_LEAD), n - w);
    return [start, start + w];
  }

  /** excerpt: [text, isHit] fragments. */
  function excerpt(r, text, groups, phrases) {
    var toks = tokens(text, r.maxTerm);
    if (toks.length === 0) {
      return [];
    }
    var flags = hitFlags(toks, groups, phrases);
    var win = excerptWindow(flags);
    var out = [];
    var at = toks[win[0]].start;
    if (win[0] > 0) {
      out.push(['\u2026 ', false]);
    }
    for (var i = win[0]; i < win[1]; i++) {
      if (flags[i]) {
        if (toks[i].start > at) {
          out.push([text.slice(at, toks[i].start), false]);
        }
        out.push([text.slice(toks[i].start, toks[i].end), true]);
        at = toks[i].end;
      }
    }
    var stop = toks[win[1] - 1].end;
    if (stop > at) {
      out.push([text.slice(at, stop), false]);
    }
    if (win[1] < toks.length) {
      out.push([' \u2026', false]);
    }
    return out;
  }

  /** search: the whole query. */
  function runSearch(state) {
    return root().then(function (r) {
      return Promise.all([r, pinsOf(r, state.q)]);
    }).then(function (rootAndPins) {
      var r = rootAndPins[0];
      var pinned = rootAndPins[1];
      var parsed = parseQuery(state.q, r, state.prefix);
      if (parsed.words.length === 0 && !hasFilters(state.filters)) {
        var typed = tokens(state.q, r.maxTerm).length > 0;
        return { r: r, empty: true, stopOnly: typed, pinned: pinned, parsed: parsed };
      }
      var wanted = state.page * PAGE_SIZE;
      var groups;
      return Promise.all([
        Promise.all(parsed.words.map(function (w, i) {
          return wordGroup(r, w, w === parsed.prefix, parsed.alternatives[i]);
        })),
        filterSet(r, state.filters),
        excludedSet(r, parsed.excluded)
      ]).then(function (all) {
        groups = all[0];
        var pass = all[1];
        if (all[2]) {
          pass = pass || new Uint8Array(r.docs).fill(1);
          all[2].forEach(function (e, id) {
            if (e) {
              pass[id] = 0;
            }
          });
        }
        if (groups.length === 0) {
          var all = rankAll(r, pass, state.sort);
          return [all, [all.length, false]];
        }
        return prove(r, groups, pass, state.sort, wanted, parsed.phrases).then(function (round) {
          return [round.ranked, countResults(r, keyLists(groups), pass, round)];
        });
      }).then(function (ranking) {
        return pageOfResults(r, ranking[0], ranking[1], parsed.phrases, state.page).then(function (page) {
          page.r = r;
          page.pinned = pinned;
          page.parsed = parsed;
          page.hits.forEach(function (h) {
            h.excerpt = excerpt(r, h.doc.text, groups, parsed.phrases);
          });
          if (page.total > 0 || pinned.length > 0) {
            return page;
          }
          return suggestion(r, state.q, parsed, groups).then(function (q) {
            page.suggestion = q;
            return page;
          });
        });
      });
    });
  }

  function hasFilters(filters) {
    return FACETS.some(function (f) { return filters[f].length > 0; }) ||
      filters.year.length > 0 || filters.dateFrom !== null || filters.dateTo !== null;
  }

  /* ---------- spelling suggestions (browser only: nothing to rank) ---------- */

  /** Edit distance (insert, delete, substitute, swap two neighbours), or max + 1 when above. */
  function editDistance(a, b, max) {
    a = Array.from(a);
    b = Array.from(b);
    if (Math.abs(a.length - b.length) > max) {
      return max + 1;
    }
    var rows = [];
    for (var i = 0; i <= a.length; i++) {
      rows.push([i]);
      for (var j = 1; j <= b.length; j++) {
        rows[i].push(i === 0 ? j : 0);
      }
    }
    for (i = 1; i <= a.length; i++) {
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          d = Math.min(d, rows[i - 2][j - 2] + 1);
        }
        rows[i][j] = d;
      }
    }
    return rows[a.length][b.length];
  }

  /** The archive's word nearest to `word` in the shard the query already read (and the one
   * before it): at most one edit for short words, two for longer; the most used wins a tie. */
  function nearestWord(r, word) {
    var max = Array.from(word).length < 5 ? 1 : 2;
    var home = shardIndex(r, word);
    var shards = home > 0 ? [home - 1, home] : [home];
    return Promise.all(shards.map(shard)).then(function (list) {
      var best = null;
      list.forEach(function (s) {
        s.words.forEach(function (w) {
          if (w.word === word || NUMERIC.test(w.word)) {
            return;
          }
          var d = editDistance(word, w.word, max);
          if (d > max) {
            return;
          }
          var df = 0;
          w.keys.forEach(function (k) {
            if (!s.decoded.has(k)) {
              s.decoded.set(k, decodeEntry(s.keys[k], r.docs, r.levels));
            }
            var e = s.decoded.get(k);
            df = Math.max(df, e.tail ? e.tail.df : e.head.df);
          });
          if (best === null || d < best.d || (d === best.d && df > best.df)) {
            best = { word: w.word, d: d, df: df };
          }
        });
      });
      return best && best.word;
    });
  }

  /** A query to suggest when nothing was found: each word the archive lacks replaced by its
   * nearest word; null when no word could be replaced. */
  function suggestion(r, text, parsed, groups) {
    var missing = parsed.words.filter(function (w, i) { return groups[i].keys.length === 0; });
    if (missing.length === 0) {
      return Promise.resolve(null);
    }
    return Promise.all(missing.map(function (w) { return nearestWord(r, w); })).then(function (near) {
      var out = tokens(text, r.maxTerm).map(function (t) {
        var i = missing.indexOf(t.term);
        return i >= 0 && near[i] ? near[i] : t.term;
      }).join(' ');
      return near.some(function (n) { return n; }) ? out : null;
    });
  }

  /* ---------- URL state ---------- */

  /** A partial ISO date as a sort date: the start (or, for `end`, the end) of its period. */
  function sortDate(iso, end) {
    var m = /^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$/.exec(iso || '');
    if (!m) {
      return null;
    }
    var month = m[2] ? Number(m[2]) : end ? 12 : 1;
    var day = m[3] ? Number(m[3]) : end ? 31 : 1;
    return Number(m[1]) * 10000 + month * 100 + day;
  }

  function stateFromUrl() {
    var p = new URLSearchParams(location.search);
    var filters = {};
    FACETS.forEach(function (f) {
      filters[f] = p.getAll(f).filter(function (v) { return v !== ''; });
    });
    filters.year = p.getAll('year').map(Number).filter(function (y) { return y !== 0 && !isNaN(y); });
    filters.dateFrom = sortDate(p.get('date_from'), false);
    filters.dateTo = sortDate(p.get('date_to'), true);
    var sort = p.get('sort');
    return {
      q: p.get('q') || '',
      filters: filters,
      sort: sort === 'newest' || sort === 'oldest' ? sort : 'relevance',
      page: Math.max(1, parseInt(p.get('page') || '1', 10) || 1),
      prefix: p.get('prefix') === '1'
    };
  }

  /** The URL of the form's current values (empty fields left out). */
  function urlFromForm(page) {
    var p = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (typeof value === 'string' && value !== '' && !(key === 'sort' && value === 'relevance')) {
        p.append(key, value);
      }
    });
    if (page > 1) {
      p.set('page', String(page));
    }
    var query = p.toString();
    return location.pathname + (query ? '?' + query : '');
  }

  /** Puts the URL's values back into the form (after back/forward). The filters' summary
   * counts the filters the URL sets, so that a shared link does not hide why results are few;
   * on a wide screen the filters open too, on a phone they stay folded below the box so
   * that the results come first. */
  function fillForm() {
    var p = new URLSearchParams(location.search);
    var more = form.querySelector('details');
    var filtered = 0;
    p.forEach(function (value, key) {
      var setting = key !== 'q' && key !== 'page' && key !== 'prefix' && key !== 'sort' && value !== '';
      filtered += setting ? 1 : 0;
    });
    var summary = more && more.querySelector('.search-filters-count');
    if (summary) {
      summary.textContent = filtered > 0 ? ' (' + filtered + ')' : '';
    }
    var wide = !window.matchMedia || window.matchMedia('(min-width: 48em)').matches;
    if (more && filtered > 0 && wide) {
      more.open = true;
    }
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === 'submit') {
        return;
      }
      var values = p.getAll(el.name);
      if (el.tagName === 'SELECT') {
        Array.prototype.forEach.call(el.options, function (o) {
          o.selected = values.indexOf(o.value) >= 0;
        });
        if (values.length === 0 && !el.multiple) {
          el.selectedIndex = 0;
        }
      } else if (el.type === 'checkbox' || el.type === 'radio') {
        el.checked = values.indexOf(el.value) >= 0;
      } else {
        el.value = values[0] || '';
      }
    });
  }

  /* ---------- rendering (DOM text nodes only, never innerHTML from data) ---------- */

  function say(template, values) {
    return (template || '').replace(/\{(\w+)\}/g, function (_, k) {
      return values[k] !== undefined ? String(values[k]) : '';
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function announce(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function countText(result) {
    if (result.total === 0) {
      return strings.none;
    }
    if (result.atMost) {
      return say(strings.atMost, { count: result.total });
    }
    if (result.about) {
      return say(strings.about, { count: result.total });
    }
    return result.total === 1 ? strings.one : say(strings.many, { count: result.total });
  }

  /** The label the filter form gives a value (`question` -> "Vraag"): one wording for both. */
  function labelOf(name, value) {
    var found = null;
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name !== name) {
        return;
      }
      if (field.tagName === 'SELECT') {
        Array.prototype.forEach.call(field.options, function (o) {
          found = found || (o.value === value ? o.textContent.trim() : null);
        });
      } else if (field.value === value && field.parentNode) {
        found = found || field.parentNode.textContent.trim();
      }
    });
    return found || value;
  }

  /** The status of a letter as a result shows it: in days as of the build ("Antwoord 77 dagen
   * te laat"), as on the letter's page, else in the reply status filter's wording. */
  function statusText(doc) {
    return doc.statusText || labelOf('status', doc.status);
  }

  /** Kind and reply status of a result: "Vraag · Wacht op antwoord". */
  function renderFacts(doc) {
    var facts = el('p', 'search-hit-facts');
    facts.appendChild(el('span', 'search-hit-kind', labelOf('kind', doc.kind)));
    if (doc.status) {
      facts.appendChild(document.createTextNode(' \u00b7 '));
      facts.appendChild(el('span', 'search-hit-status status status-' + doc.status, statusText(doc)));
    }
    return facts;
  }

  function renderHit(hit, heading) {
    var doc = hit.doc;
    var li = el('li', 'search-hit');
    var h = el(heading || 'h2', 'search-hit-title');
    var a = el('a', null, doc.title);
    a.href = base + doc.url;
    h.appendChild(a);
    li.appendChild(h);
    var meta = el('p', 'search-hit-meta');
    meta.appendChild(el('span', 'search-hit-cite', doc.dossier + (doc.letter ? ', ' + doc.letter : '')));
    meta.appendChild(document.createTextNode(' \u00b7 '));
    var time = el('time', null, doc.dateDisplay);
    time.setAttribute('datetime', doc.date);
    meta.appendChild(time);
    if (doc.from.length || doc.to.length) {
      meta.appendChild(document.createTextNode(' \u00b7 '));
      meta.appendChild(el('span', 'search-hit-parties', doc.from.join(', ') + ' \u2192 ' + doc.to.join(', ')));
    }
    li.appendChild(meta);
    li.appendChild(renderFacts(doc));
    if (hit.excerpt.length > 0) {
      var p = el('p', 'search-hit-excerpt');
      hit.excerpt.forEach(function (f) {
        p.appendChild(f[1] ? el('mark', null, f[0]) : document.createTextNode(f[0]));
      });
      li.appendChild(p);
    }
    return li;
  }

  function renderPager(result, state) {
    pager.textContent = '';
    var pages = Math.ceil(result.total / PAGE_SIZE);
    if (pages <= 1 && state.page <= 1) {
      return;
    }
    function link(page, label, rel) {
      var a = el('a', 'search-pager-link', label);
      a.href = urlFromForm(page);
      a.rel = rel;
      a.addEventListener('click', function (event) {
        event.preventDefault();
        history.pushState(null, '', a.href);
        update(true);
      });
      return a;
    }
    if (state.page > 1) {
      pager.appendChild(link(state.page - 1, strings.previous, 'prev'));
    }
    pager.appendChild(el('span', 'search-pager-page', say(strings.page, {
      page: state.page,
      pages: Math.max(pages, state.page)
    })));
    if (state.page < pages) {
      pager.appendChild(link(state.page + 1, strings.next, 'next'));
    }
  }

  /** The letters and correspondents the query names (refs.rs), above the results. */
  function renderPinned(pinned) {
    if (!pinnedBox) {
      return;
    }
    pinnedList.textContent = '';
    pinnedBox.hidden = pinned.length === 0;
    pinned.forEach(function (pin) {
      if (pin.doc) {
        pinnedList.appendChild(renderHit({ doc: pin.doc, excerpt: [] }, 'h3'));
        return;
      }
      var li = el('li', 'search-hit search-pinned-page');
      var h = el('h3', 'search-hit-title');
      var a = el('a', null, pin.title);
      a.href = base + pin.url;
      h.appendChild(a);
      li.appendChild(h);
      li.appendChild(el('p', 'search-hit-meta', strings.correspondent));
      pinnedList.appendChild(li);
    });
  }

  /** The "also words starting with …" link of a submitted query (whole words), or the way
   * back to whole words from prefix=1. */
  function renderAlso(result, state) {
    if (!also) {
      return;
    }
    also.textContent = '';
    var typed = result.parsed && parseQuery(state.q, result.r, true).prefix;
    if (!typed || typingNow) {
      also.hidden = true;
      return;
    }
    var p = new URLSearchParams(location.search);
    p.delete('page');
    var label;
    if (state.prefix) {
      p.delete('prefix');
      label = strings.wholeWords;
    } else {
      p.set('prefix', '1');
      label = say(strings.alsoPrefix, { word: typed });
    }
    var a = el('a', 'search-also-link', label);
    a.href = location.pathname + '?' + p.toString();
    a.addEventListener('click', function (event) {
      event.preventDefault();
      history.pushState(null, '', a.href);
      update(false);
    });
    also.appendChild(a);
    also.hidden = false;
  }

  /** "Did you mean …?" with a link to that search. */
  function renderSuggestion(result) {
    if (!suggest) {
      return;
    }
    suggest.textContent = '';
    suggest.hidden = !result.suggestion;
    if (result.suggestion) {
      suggest.appendChild(document.createTextNode(strings.suggest + ' '));
      var p = new URLSearchParams(location.search);
      p.set('q', result.suggestion);
      p.delete('page');
      var a = el('a', 'search-suggest-link', result.suggestion);
      a.href = location.pathname + '?' + p.toString();
      a.addEventListener('click', function (event) {
        event.preventDefault();
        history.pushState(null, '', a.href);
        fillForm();
        update(true);
      });
      suggest.appendChild(a);
    }
  }

  function render(result, state, moveFocus) {
    list.textContent = '';
    pager.textContent = '';
    renderPinned(result.pinned || []);
    renderAlso(result, state);
    renderSuggestion(result);
    if (result.empty) {
      announce(result.stopOnly ? strings.stopOnly : '');
      return;
    }
    announce(countText(result));
    result.hits.forEach(function (hit) {
      list.appendChild(renderHit(hit));
    });
    renderPager(result, state);
    if (moveFocus && status) {
      status.focus();
    }
  }

  /* ---------- wiring ---------- */

  var generation = 0;

  /** Runs the search of the current URL; a newer call wins over an older one. While the
   * reader types (`typing`), the last word is also a prefix; a submitted or shared URL
   * matches whole words unless it says prefix=1. */
  function update(moveFocus, typing) {
    var mine = ++generation;
    var state = stateFromUrl();
    state.prefix = state.prefix || !!typing;
    typingNow = !!typing;
    if (state.q !== '' || hasFilters(state.filters)) {
      announce(strings.loading);
    }
    form.setAttribute('aria-busy', 'true');
    return runSearch(state).then(function (result) {
      if (mine === generation) {
        render(result, state, moveFocus);
      }
    }).catch(function (error) {
      if (mine === generation) {
        list.textContent = '';
        pager.textContent = '';
        announce(strings.error);
      }
      if (window.console) {
        console.error(error);
      }
    }).then(function () {
      if (mine === generation) {
        form.removeAttribute('aria-busy');
      }
    });
  }

  var typingTimer = null;

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    clearTimeout(typingTimer);
    typedSinceSubmit = false;
    var url = urlFromForm(1);
    if (url !== location.pathname + location.search) {
      history.pushState(null, '', url);
    }
    update(true);
  });

  // Typing replaces the history entry (no entry per keystroke); the first change of a
  // query pushes one, so the back button returns to the previous search.
  var typedSinceSubmit = false;
  input.addEventListener('input', function () {
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () {
      var url = urlFromForm(1);
      if (typedSinceSubmit) {
        history.replaceState(null, '', url);
      } else {
        history.pushState(null, '', url);
        typedSinceSubmit = true;
      }
      update(false, true);
    }, 200);
  });

  form.addEventListener('change', function (event) {
    if (event.target === input) {
      return;
    }
    typedSinceSubmit = false;
    history.pushState(null, '', urlFromForm(1));
    update(false);
  });

  form.addEventListener('reset', function () {
    setTimeout(function () {
      typedSinceSubmit = false;
      history.pushState(null, '', urlFromForm(1));
      update(false);
    }, 0);
  });

  window.addEventListener('popstate', function () {
    typedSinceSubmit = false;
    fillForm();
    update(false);
  });

  fillForm();
  update(false);

  // For tests of the client against the Rust evaluator.
  window.postkamerSearch = {
    tokens: tokens,
    variants: variants,
    parseQuery: parseQuery,
    escapeValue: escapeValue,
    paths: paths,
    run: runSearch
  };
})();
