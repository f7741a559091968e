#!/usr/bin/env node
'use strict';
/*
 * Interop peer: read Confluent-framed Avro records with kafkajs + @kafkajs/confluent-schema-registry.
 *
 *   node interop/node/consume.js --bootstrap HOST:PORT --registry URL --topic T --count N
 *        [--timeout SECONDS] [--group G]
 *
 * Prints one line per record, in consumption order, byte-identical to interop/python/consume_avro.py:
 *   {"key": <UTF-8 key or null>, "schema_id": <id from bytes 1..4>, "value": <normalized value>}
 * serialized exactly like Python's json.dumps(..., sort_keys=True, allow_nan=False) (", " and ": "
 * separators, ASCII-only output with \uXXXX escapes, doubles in Python repr form such as 1.0 and 1e-07).
 * Exit codes: 0 ok, 1 error, 2 usage, 3 timeout.
 *
 * Decoding is SchemaRegistry.decode with avsc options {wrapUnions: true} (every union value comes
 * back as {"<branch name>": value}, so the branch is known exactly) and a BigInt long type (avsc's
 * default long type throws on values beyond 2^53). Normalization walks the writer's avsc Type.
 */
const { Kafka, logLevel } = require('kafkajs');
const { SchemaRegistry, SchemaType } = require('@kafkajs/confluent-schema-registry');
const avro = require('avsc');
const crypto = require('crypto');

const EXIT_ERROR = 1, EXIT_USAGE = 2, EXIT_TIMEOUT = 3;

function die(code, msg) {
  process.stderr.write(`consume.js: ${msg}\n`);
  process.exit(code);
}

function parseArgs(argv) {
  const usage = 'usage: consume.js --bootstrap HOST:PORT --registry URL --topic T [--topic T2 ...] --count N [--timeout SECONDS] [--group G]';
  const opts = { timeout: 30, topics: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') { process.stdout.write(usage + '\n'); process.exit(0); }
    const m = /^--(bootstrap|registry|topic|count|timeout|group)(?:=(.*))?$/.exec(a);
    if (!m) die(EXIT_USAGE, `unknown argument ${a}\n${usage}`);
    const v = m[2] !== undefined ? m[2] : argv[++i];
    if (v === undefined) die(EXIT_USAGE, `--${m[1]} needs a value\n${usage}`);
    if (m[1] === 'topic') opts.topics.push(v); else opts[m[1]] = v;
  }
  if (opts.topics.length) opts.topic = opts.topics.join(',');
  for (const k of ['bootstrap', 'registry', 'topic', 'count']) {
    if (opts[k] === undefined) die(EXIT_USAGE, `--${k} is required\n${usage}`);
  }
  opts.count = Number(opts.count);
  opts.timeout = Number(opts.timeout);
  if (!Number.isInteger(opts.count) || opts.count < 0) die(EXIT_USAGE, '--count must be an integer >= 0');
  if (!(opts.timeout > 0)) die(EXIT_USAGE, '--timeout must be a positive number of seconds');
  return opts;
}

// ---- avsc long as BigInt (exact over the whole int64 range) ----
const BigLongType = avro.types.LongType.__with({
  fromBuffer: (buf) => buf.readBigInt64LE(),
  toBuffer: (n) => { const b = Buffer.alloc(8); b.writeBigInt64LE(BigInt(n)); return b; },
  fromJSON: (x) => BigInt(x),
  toJSON: (n) => Number(n),
  isValid: (n) => typeof n === 'bigint',
  compare: (a, b) => (a === b ? 0 : (a < b ? -1 : 1)),
});
function typeHook(schema) {
  if (schema === 'long' || (schema && typeof schema === 'object' && !Array.isArray(schema) && schema.type === 'long')) {
    return BigLongType;
  }
  return undefined;
}

// ---- normalized values: markers for numbers so the serializer can format them like Python ----
class PyInt { constructor(s) { this.s = s; } }      // decimal integer text
class PyFloat { constructor(x) { this.x = x; } }    // a finite double

function normalize(type, v) {
  const t = type.typeName;
  switch (t) {
    case 'record': case 'error': {
      const out = {};
      for (const f of type.fields) out[f.name] = normalize(f.type, v[f.name]);
      return out;
    }
    case 'union:wrapped': {
      if (v === null) return null;
      const keys = Object.keys(v);
      if (keys.length !== 1) throw new Error(`bad wrapped union value with keys ${keys}`);
      const branch = type.types.find((b) => b.branchName === keys[0]);
      if (!branch) throw new Error(`union branch ${keys[0]} not in ${type.types.map((b) => b.branchName)}`);
      return normalize(branch, v[keys[0]]);
    }
    case 'union:unwrapped': {
      if (v === null || v === undefined) return null;
      const branch = type.types.find((b) => b.typeName !== 'null' && b.isValid(v));
      if (!branch) throw new Error('no union branch fits the decoded value');
      return normalize(branch, v);
    }
    case 'enum': return String(v);
    case 'array': return v.map((x) => normalize(type.itemsType, x));
    case 'map': {
      const out = {};
      for (const k of Object.keys(v)) out[k] = normalize(type.valuesType, v[k]);
      return out;
    }
    case 'null': return null;
    case 'boolean': return Boolean(v);
    case 'string': return String(v);
    case 'bytes': case 'fixed': return Buffer.from(v).toString('base64');
    case 'int': case 'long': case 'abstract:long':
      return new PyInt(typeof v === 'bigint' ? v.toString() : BigInt(v).toString());
    case 'float': case 'double':
      if (Number.isNaN(v)) return 'NaN';
      if (v === Infinity) return 'Infinity';
      if (v === -Infinity) return '-Infinity';
      return new PyFloat(v);
    default:
      if (type.underlyingType) return normalize(type.underlyingType, v); // logical types, if any
      throw new Error(`unsupported Avro type ${t}`);
  }
}

// ---- Python json.dumps(sort_keys=True, allow_nan=False) compatible serializer ----
// float.__repr__: shortest round-trip digits; exponent form when the decimal exponent is
// < -4 or >= 16; always a '.0' in fixed form; exponent with sign and at least two digits.
function pyFloatRepr(x) {
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const neg = x < 0;
  const [mant, expText] = Math.abs(x).toExponential().split('e');
  const digits = mant.replace('.', '');
  const e = parseInt(expText, 10);
  const decpt = e + 1; // value = 0.DIGITS x 10^decpt
  let s;
  if (decpt > 16 || decpt < -3) {
    s = digits[0] + (digits.length > 1 ? '.' + digits.slice(1) : '') +
        'e' + (e < 0 ? '-' : '+') + String(Math.abs(e)).padStart(2, '0');
  } else if (decpt <= 0) {
    s = '0.' + '0'.repeat(-decpt) + digits;
  } else if (decpt >= digits.length) {
    s = digits + '0'.repeat(decpt - digits.length) + '.0';
  } else {
    s = digits.slice(0, decpt) + '.' + digits.slice(decpt);
  }
  return (neg ? '-' : '') + s;
}

const ESC = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };
function pyString(s) { // ensure_ascii=True: everything outside ' '..'~' as \uXXXX (UTF-16 units)
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const c = s.charCodeAt(i);
    if (ESC[ch]) out += ESC[ch];
    else if (c < 0x20 || c > 0x7e) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

function cmpCodePoints(a, b) { // Python sorts str keys by code point
  const A = Array.from(a), B = Array.from(b);
  const n = Math.min(A.length, B.length);
  for (let i = 0; i < n; i++) {
    const d = A[i].codePointAt(0) - B[i].codePointAt(0);
    if (d !== 0) return d;
  }
  return A.length - B.length;
}

function pyDumps(v) {
  if (v === null || v === undefined) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (v instanceof PyInt) return v.s;
  if (v instanceof PyFloat) return pyFloatRepr(v.x);
  if (typeof v === 'string') return pyString(v);
  if (typeof v === 'number') { // plain JS numbers only for schema ids
    if (!Number.isFinite(v)) throw new Error('non-finite number in output');
    return Number.isInteger(v) ? String(v) : pyFloatRepr(v);
  }
  if (Array.isArray(v)) return '[' + v.map(pyDumps).join(', ') + ']';
  const keys = Object.keys(v).sort(cmpCodePoints);
  return '{' + keys.map((k) => pyString(k) + ': ' + pyDumps(v[k])).join(', ') + '}';
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const registry = new SchemaRegistry(
    { host: opts.registry.replace(/\/+$/, '') },
    { [SchemaType.AVRO]: { wrapUnions: true, typeHook } },
  );
  const kafka = new Kafka({
    clientId: 'entrenar-interop-node',
    brokers: opts.bootstrap.split(','),
    logLevel: logLevel.ERROR,
    // kafkajs logs to stdout by default: keep stdout for records only.
    logCreator: () => ({ namespace, level, label, log }) => {
      const { message, ...extra } = log;
      process.stderr.write(`kafkajs ${label} [${namespace}] ${message} ${JSON.stringify(extra)}\n`);
    },
  });
  const consumer = kafka.consumer({
    groupId: opts.group || 'entrenar-interop-node-' + crypto.randomBytes(6).toString('hex'),
    allowAutoTopicCreation: false,
  });

  // Reads --count records from each topic; one process for many topics keeps test suites fast.
  const got = Object.fromEntries(opts.topics.map((t) => [t, 0]));
  const complete = () => Object.values(got).every((n) => n >= opts.count);
  let done = false;
  const timer = setTimeout(() => {
    die(EXIT_TIMEOUT, `timeout after ${opts.timeout}s: read ${JSON.stringify(got)} of ${opts.count} records per topic`);
  }, opts.timeout * 1000);

  const finish = async () => {
    clearTimeout(timer);
    const guard = setTimeout(() => process.exit(0), 5000); // never hang on disconnect
    guard.unref();
    try { await consumer.disconnect(); } catch (_) { /* exiting anyway */ }
    process.exit(0);
  };
  if (opts.count === 0) return finish();

  await consumer.connect();
  // A topic that does not exist yet: retry the subscription until the timeout.
  for (;;) {
    try {
      await consumer.subscribe({ topics: opts.topics, fromBeginning: true });
      break;
    } catch (e) {
      if (e && e.type === 'UNKNOWN_TOPIC_OR_PARTITION') { await new Promise((r) => setTimeout(r, 300)); continue; }
      throw e;
    }
  }
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      if (done || got[topic] >= opts.count) return;
      let line;
      try {
        const key = message.key === null ? null : message.key.toString('utf8');
        if (message.value === null) {
          line = { key, schema_id: null, topic, value: null }; // tombstone
        } else {
          const raw = message.value;
          if (raw.length < 5 || raw[0] !== 0) {
            throw new Error(`value is not Confluent-framed (magic byte ${raw.length ? raw[0] : 'none'})`);
          }
          const schemaId = raw.readUInt32BE(1);
          const decoded = await registry.decode(raw);
          const type = await registry.getSchema(schemaId); // the writer's avsc Type (cached)
          line = { key, schema_id: schemaId, topic, value: normalize(type, decoded) };
        }
      } catch (e) {
        die(EXIT_ERROR, `cannot decode ${topic}[${partition}]@${message.offset}: ${e && e.stack ? e.stack : e}`);
      }
      process.stdout.write(pyDumps(line) + '\n');
      got[topic] += 1;
      if (complete() && !done) {
        done = true;
        setImmediate(finish);
      }
    },
  });
}

module.exports = { normalize, pyDumps, pyFloatRepr, PyInt, PyFloat };

if (require.main === module) {
  main().catch((e) => die(EXIT_ERROR, (e && e.stack) ? e.stack : String(e)));
}
