#!/usr/bin/env python3
"""Interop peer: write Confluent-framed Avro records with confluent_kafka.avro.AvroProducer.

Run with Debian's interpreter:  /usr/bin/python3 interop/python/produce_avro.py \
    --bootstrap HOST:PORT --registry URL --topic T --schema FILE.avsc --key K \
    --value-json JSON [--value-json JSON ...] [--timeout SECONDS]

--value-json takes normalized JSON (the format of interop/samples/*.json and of consume_avro.py's
"value"), or @PATH to read it from a file; repeat it to produce several records in order. The
schema is registered under <topic>-value (TopicNameStrategy) by AvroProducer's serializer. Prints
one line per record:  {"offset": .., "partition": .., "schema_id": .., "topic": ..}
Exit codes: 0 ok, 1 error, 2 usage.

AvroProducer.produce() refuses a key without a key schema (and with one it would Avro-encode the
key under <topic>-key); our keys are plain UTF-8 run_id strings. So the value is encoded by the
AvroProducer's own MessageSerializer (what AvroProducer.produce runs for values: register, then
frame) and sent with the plain Producer.produce of the same instance, with the key as UTF-8 bytes.
"""

import argparse
import json
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from confluent_kafka import Producer  # noqa: E402
from confluent_kafka.avro import AvroProducer, load  # noqa: E402
from avro_json import from_json  # noqa: E402


def fail(msg):
    print("produce_avro: " + msg, file=sys.stderr, flush=True)
    sys.exit(1)


def read_value(arg):
    text = arg
    if arg.startswith("@"):
        with open(arg[1:], encoding="utf-8") as f:
            text = f.read()
    return json.loads(text)


def main():
    ap = argparse.ArgumentParser(description="Produce Avro records (Confluent framing) from normalized JSON.")
    ap.add_argument("--bootstrap", required=True, help="Kafka bootstrap servers, HOST:PORT[,HOST:PORT]")
    ap.add_argument("--registry", required=True, help="schema registry URL, e.g. http://127.0.0.1:8081")
    ap.add_argument("--topic", required=True)
    ap.add_argument("--schema", required=True, help="value schema, an .avsc file")
    ap.add_argument("--key", default=None, help="record key, sent as UTF-8 text (default: null key)")
    ap.add_argument("--value-json", required=True, action="append",
                    help="value as normalized JSON, or @FILE; repeat for several records")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for delivery (default 30)")
    args = ap.parse_args()

    try:
        schema = load(args.schema)
    except Exception as e:
        fail("cannot parse schema %s: %s" % (args.schema, e))
    try:
        values = [from_json(schema, read_value(v)) for v in args.value_json]
    except Exception as e:
        fail("bad --value-json: %s: %s" % (type(e).__name__, e))

    producer = AvroProducer({
        "bootstrap.servers": args.bootstrap,
        "schema.registry.url": args.registry,
        "linger.ms": 0,
        "partitioner": "murmur2_random",  # same key -> same partition as Java producers and kafkajs
        "acks": "all",
        "message.timeout.ms": int(args.timeout * 1000),
    }, default_value_schema=schema)
    serializer = producer._serializer  # the MessageSerializer AvroProducer.produce uses
    try:  # fail fast on a missing topic (our brokers do not auto-create topics)
        meta = producer.list_topics(args.topic, timeout=min(args.timeout, 10.0)).topics.get(args.topic)
    except Exception as e:
        fail("cannot read metadata from %s: %s" % (args.bootstrap, e))
    if meta is None or meta.error is not None:
        fail("topic %s is not available: %s" % (args.topic, meta.error if meta is not None else "no metadata"))
    key = args.key.encode("utf-8") if args.key is not None else None

    results = []

    def on_delivery(err, msg):
        results.append((err, msg))

    ids = []
    for datum in values:
        try:
            framed = serializer.encode_record_with_schema(args.topic, schema, datum)
        except Exception as e:
            fail("cannot encode/register value: %s: %s" % (type(e).__name__, e))
        ids.append(struct.unpack(">I", framed[1:5])[0])
        Producer.produce(producer, args.topic, value=framed, key=key, on_delivery=on_delivery)
    left = producer.flush(args.timeout)
    if left:
        fail("timeout after %gs: %d of %d records not delivered" % (args.timeout, left, len(values)))
    for schema_id, (err, msg) in zip(ids, results):
        if err is not None:
            fail("delivery failed: %s" % err)
        print(json.dumps({"topic": msg.topic(), "partition": msg.partition(), "offset": msg.offset(),
                          "schema_id": schema_id}, sort_keys=True), flush=True)


if __name__ == "__main__":
    main()
